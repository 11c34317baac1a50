#!/usr/bin/env bash
# Runs the JMH benchmarks in benchmarks/target/benchmarks.jar with the JVM flags of jvm.options
# (through jvm-flags.sh), on the host JVM and on every fork (-jvmArgsAppend), with -foe true so a
# fork that fails fails the run. Any other argument goes to JMH, for example:
#   benchmarks/run-jmh.sh PlaceOrderBenchmark -p variant=reference -prof gc
#   benchmarks/run-jmh.sh -l            (list benchmarks)
# Heap sizes are set per benchmark class with @Fork(jvmArgs = ...); JMH's -jvmArgs would replace them.
# Builds the jar first when it is missing or older than the sources (METE_BUILD=1 forces a build).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/benchmarks/target/benchmarks.jar"

if [ ! -f "$JAR" ] || [ "${METE_BUILD:-0}" = "1" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/engine/src/main \
        "$ROOT"/journal/src/main "$ROOT"/gateway/src/main "$ROOT"/benchmarks/src/main -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
    echo "run-jmh: building benchmarks.jar (./mvnw -pl benchmarks -am package -DskipTests)..." >&2
    (cd "$ROOT" && ./mvnw -q -B -DskipTests -pl benchmarks -am package >&2)
fi

JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi

mapfile -t FLAGS < <("$ROOT/benchmarks/jvm-flags.sh")

exec "$JAVA" "${FLAGS[@]}" -jar "$JAR" -foe true -jvmArgsAppend "${FLAGS[*]}" "$@"
