/// One task run as recorded by a graph created with `tracing: true`.
///
/// ```swift
/// let graph = try DataflowGraph(workers: 2, tracing: true)
/// ... ; try graph.wait()
/// try graph.writeChromeTrace(to: "/tmp/run.json")    // open in Perfetto or chrome://tracing
/// ```
///
/// Times are nanoseconds since the graph was created.
public struct DataflowTraceEvent: Sendable, Equatable {
    /// The task's name.
    public var name: String
    /// The task's number in submission order.
    public var taskID: Int
    /// The worker that ran it.
    public var worker: Int
    /// When it started.
    public var startNanoseconds: UInt64
    /// When it ended.
    public var endNanoseconds: UInt64
    /// True when the task's closure (or a copy before it) threw.
    public var failed: Bool
}

/// Counters of a graph's activity since it was created.
///
/// - Complexity: reading them sums a few atomics per worker.
public struct DataflowCounters: Sendable, Equatable {
    /// Tasks submitted.
    public var tasksSubmitted: Int
    /// Tasks whose closure ran (or that were skipped because a dependency failed).
    public var tasksRun: Int
    /// Tasks that failed or were skipped.
    public var tasksFailed: Int
    /// Tasks a worker took from another worker's deque.
    public var steals: Int
    /// Dependency edges added between tasks.
    public var edges: Int
    /// Copies between memory spaces.
    public var copies: Int
    /// Tasks whose dependencies came from an automatic trace (see
    /// ``DataflowGraph/init(workers:tracing:maxOutstandingTasks:automaticTracing:inPlaceLimit:)``).
    public var tasksTraced: Int
    /// Tasks run in place by the worker that submitted them (see `inPlaceLimit` in
    /// ``DataflowGraph/init(workers:tracing:maxOutstandingTasks:automaticTracing:inPlaceLimit:)``);
    /// counted in ``tasksRun`` too.
    public var tasksRunInPlace: Int
}
