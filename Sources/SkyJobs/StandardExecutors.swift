public import SkyWorker

/// The executors a stock Sky worker registers.
public enum StandardExecutors {
    /// Every executor this build of Sky has.
    public static func registry() -> ExecutorRegistry {
        ExecutorRegistry([SleepExecutor(), PerturbExecutor(), TrainExecutor(), EvalExecutor(), RescoreExecutor(), ImportExecutor()])
    }
}
