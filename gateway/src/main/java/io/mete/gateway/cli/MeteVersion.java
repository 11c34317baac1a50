package io.mete.gateway.cli;

import picocli.CommandLine;

final class MeteVersion implements CommandLine.IVersionProvider
{
    static String version()
    {
        final String version = MeteVersion.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }

    @Override
    public String[] getVersion()
    {
        return new String[] {"mete " + version(), "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version()};
    }
}
