#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DataflowGraph {
    /// The task runs recorded so far (empty unless the graph was created with `tracing: true`),
    /// ordered by start time. Read it when no task is running (after ``wait()-9t6o7``).
    public var traceEvents: [DataflowTraceEvent] {
        runtime.workers.flatMap { $0.trace.withLock { $0 } }.sorted {
            ($0.startNanoseconds, $0.worker) < ($1.startNanoseconds, $1.worker)
        }
    }

    /// Forgets the recorded task runs.
    public func clearTrace() {
        for worker in runtime.workers { worker.trace.withLock { $0.removeAll() } }
    }

    /// Writes ``traceEvents`` as Chrome trace JSON (opens in Perfetto) to `path`.
    public func writeChromeTrace(to path: String) throws(DataflowError) {
        try traceEvents.writeChromeTrace(to: path)
    }

    /// Counters of the graph's activity so far.
    public var counters: DataflowCounters {
        let (edges, traced) = runtime.submission.withLock { ($0.edges, $0.traced) }
        return DataflowCounters(
            tasksSubmitted: runtime.tasksSubmitted,
            tasksRun: runtime.workers.reduce(0) { $0 + $1.tasksRun.load(ordering: .relaxed) },
            tasksFailed: runtime.tasksFailed.load(ordering: .relaxed),
            steals: runtime.workers.reduce(0) { $0 + $1.steals.load(ordering: .relaxed) },
            edges: edges,
            copies: runtime.copies.load(ordering: .relaxed),
            tasksTraced: traced,
            tasksRunInPlace: runtime.workers.reduce(0) { $0 + $1.tasksRunInPlace.load(ordering: .relaxed) })
    }
}
