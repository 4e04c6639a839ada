/// What went wrong in the dataflow runtime: each case names the task, resource or value involved.
///
/// ```swift
/// do { try graph.wait(for: handle) }
/// catch .dependencyFailed(let task, _, let failed, _) { print("\(task) skipped: \(failed) failed") }
/// ```
public enum DataflowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The task's closure threw; `reason` is the thrown error as text.
    case taskFailed(task: String, id: Int, reason: String)
    /// The task did not run because a task it depends on (`failedTask`, the first one that threw)
    /// failed.
    case dependencyFailed(task: String, id: Int, failedTask: String, failedID: Int)
    /// An access's region is not inside the resource's bounds.
    case accessOutOfBounds(resource: String, region: String, bounds: String)
    /// An access named a patch of a ``PatchArray`` that this rank does not hold.
    case patchNotLocal(patch: Int, rank: Int)
    /// The graph was shut down; it takes no more tasks.
    case graphShutDown
    /// The task belongs to another graph.
    case foreignTask(task: String, id: Int)
    /// ``DataflowGraph/wait()-9t6o7`` was called from inside a task of the same graph (it would wait for
    /// itself); wait for specific tasks or regions instead.
    case waitAllInsideTask(task: String)
    /// Task `task` waited for `waitedTask`, which depends on it (directly or through a few other
    /// tasks) and so cannot start before `task` ends: the wait would never return.
    case waitForDependent(task: String, id: Int, waitedTask: String, waitedID: Int)
    /// A configuration value was out of range.
    case invalidConfiguration(name: String, value: Int, requirement: String)
    /// Writing the trace file failed.
    case traceWriteFailed(path: String, errno: Int32)
    /// Task `task`, submitted while recording, cannot be recorded (see ``DataflowRecording``):
    /// `reason` says why.
    case notRecordable(task: String, reason: String)
    /// The handle names a recorded task, which runs only inside replays: wait for the replay
    /// (``DataflowGraph/replay(_:)`` returns its handle).
    case recordedTask(task: String, id: Int)
    /// The recording was made by another graph.
    case foreignRecording(name: String)

    public var description: String {
        switch self {
        case let .taskFailed(task, id, reason): "task \(task) #\(id) failed: \(reason)"
        case let .dependencyFailed(task, id, failedTask, failedID):
            "task \(task) #\(id) did not run: it depends on task \(failedTask) #\(failedID), which failed"
        case let .accessOutOfBounds(resource, region, bounds):
            "access to \(region) of \(resource) is outside its bounds \(bounds)"
        case let .patchNotLocal(patch, rank): "patch \(patch) is not held by rank \(rank)"
        case .graphShutDown: "the dataflow graph was shut down"
        case let .foreignTask(task, id): "task \(task) #\(id) belongs to another graph"
        case let .waitAllInsideTask(task): "wait() for all tasks called inside task \(task)"
        case let .waitForDependent(task, id, waitedTask, waitedID):
            "task \(task) #\(id) waited for task \(waitedTask) #\(waitedID), which depends on it (it would wait forever)"
        case let .invalidConfiguration(name, value, requirement): "invalid \(name) \(value): must be \(requirement)"
        case let .traceWriteFailed(path, errno): "cannot write trace to \(path) (errno \(errno))"
        case let .notRecordable(task, reason): "task \(task) cannot be recorded: \(reason)"
        case let .recordedTask(task, id):
            "task \(task) #\(id) is a recorded task, run only by replays: wait for the replay instead"
        case let .foreignRecording(name): "recording \(name) was made by another graph"
        }
    }
}
