package io.mete.engine.runtime;

/** Every pipeline test again, with the journal written on the business-logic thread (stages 1 and 2 on one thread). */
class EnginePipelineOnOneThreadTest extends EnginePipelineTest
{
    @Override
    PipelineConfig config()
    {
        return PipelineConfig.defaults().journalOnEngineThread(true);
    }
}
