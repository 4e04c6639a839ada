#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dataflow runtime: submit tasks with declared accesses; they run on worker threads as soon as
/// the tasks they depend on are done, with the result of running them one by one in submission
/// order.
///
/// ```swift
/// let graph = try DataflowGraph(workers: 2)
/// let a = Shared([1.0, 2.0]), b = Shared(0.0)
/// try graph.submit(name: "sum", .read(a), .write(b)) { src, dst in dst.value = src.value.reduce(0, +) }
/// try graph.wait()          // or: try await graph.wait()
/// b.value                   // 3.0
/// ```
///
/// Semantics: a task depends on every earlier task with an intersecting region of the same
/// resource, unless both only read or both accumulate (see ``AccessMode``); disjoint boxes never
/// wait on each other. Submission streams: a task may start before the next one is submitted.
/// Tasks may submit tasks and wait for them (``wait(for:)-(TaskHandle)``); a waiting worker runs
/// other tasks meanwhile, so nesting does not deadlock — but a task cannot wait for a task that
/// depends on its own accesses (that one cannot start before the waiter ends): such a wait throws
/// ``DataflowError/waitForDependent(task:id:waitedTask:waitedID:)`` (found through up to 256
/// tasks of successors; a longer chain still hangs). A task that throws
/// fails; the tasks that depend on it are skipped and fail with
/// ``DataflowError/dependencyFailed(task:id:failedTask:failedID:)``, and ``wait()-9t6o7`` reports the
/// failure once; the graph stays usable.
///
/// Scheduling: one deque per worker thread, newest-first for the owner, oldest-first for thieves;
/// a task that becomes ready goes to the worker that last wrote its input, else to the worker that
/// made it ready; idle workers spin briefly and then park (no CPU used when idle).
///
/// - Complexity: submitting costs O(accesses × outstanding accesses in the buckets their regions
///   cover); a task that is ready costs a few hundred nanoseconds to schedule and run. The
///   fixed-arity forms (up to 4 accesses) allocate the task and one closure, keep the accesses in
///   the task and their resources in the runtime's trackers: a task run on another thread touches
///   no reference count of its resources.
public final class DataflowGraph: Sendable {
    let runtime: _Runtime

    /// Creates a graph with `workers` threads (default: one per processor). With `tracing`, every
    /// task run is recorded (see ``traceEvents``). About `maxOutstandingTasks` unfinished tasks
    /// (default 64 per worker, at least 256) are kept: a task that submits further ahead runs
    /// ready tasks itself first — a new task that is ready at once runs inline, as OpenMP does past
    /// its task throttle — and another thread waits.
    ///
    /// With `automaticTracing`, the graph notices when the submitted tasks repeat — the tasks of a
    /// time step, say — and from then on derives their dependencies from one repetition instead of
    /// analysing each task: what ``record(name:_:)`` and ``replay(_:)`` do, without asking (Legion
    /// calls it automatic tracing). Results are the same. What changes: a repetition is ordered
    /// with the tasks around it as a whole — its first task waits for everything earlier that
    /// conflicts with any of its tasks, later conflicting tasks wait for all of it — and so is a
    /// failure: when a task of a repetition fails, its dependents inside the repetition are skipped
    /// as usual, but every later task that conflicts with the repetition as a whole (its bounding
    /// boxes) fails too, until ``wait()-9t6o7`` has reported the failure. A task that does not
    /// match the repetition is analysed as usual, and a wait for all tasks ends the repetition
    /// being filled. ``DataflowCounters/tasksTraced`` counts the tasks it covered. Off by default:
    /// it pays only for tasks of a microsecond or less.
    ///
    /// Tasks shorter than `inPlaceLimit` run in place: a task submitted from inside another task
    /// (on a worker), ready at once, and whose name has run for no longer than `inPlaceLimit` on
    /// average, runs on the submitting worker before `submit` returns — no queue, no dependency
    /// count, nothing for later tasks to look at once it is done — because handing it to another
    /// worker would cost more than running it (OpenMP runs such tasks undeferred). Results,
    /// dependencies and failures are the same; a task submitted meanwhile by another thread waits
    /// for it as for any task. The runtime times a few runs of each task name: give kernels of
    /// different cost different names (string literals, or names of up to 15 UTF-8 bytes). Tasks
    /// that accumulate, need a copy between memory spaces, are held, or run under automatic
    /// tracing are never run in place. Default 250 ns (about what handing a task to another
    /// worker costs); nil or zero: never. ``DataflowCounters/tasksRunInPlace`` counts them.
    public init(
        workers: Int? = nil, tracing: Bool = false, maxOutstandingTasks: Int? = nil, automaticTracing: Bool = false,
        inPlaceLimit: Duration? = .nanoseconds(250)
    ) throws(DataflowError) {
        let count = workers ?? Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        guard (1...1024).contains(count) else {
            throw .invalidConfiguration(name: "workers", value: count, requirement: "in 1...1024")
        }
        let limit = maxOutstandingTasks ?? Swift.max(256, 64 * count)
        guard limit >= 2 else {
            throw .invalidConfiguration(name: "maxOutstandingTasks", value: limit, requirement: "at least 2")
        }
        let nanoseconds = (inPlaceLimit ?? .zero) / .nanoseconds(1)
        guard nanoseconds >= 0, nanoseconds < 1e15 else {
            throw .invalidConfiguration(name: "inPlaceLimit (ns)", value: Int(nanoseconds.rounded()), requirement: "between 0 and 10^6 s")
        }
        let inPlace = UInt64(nanoseconds)
        runtime = _Runtime(workerCount: count, tracing: tracing, maxOutstanding: limit, automaticTracing: automaticTracing,
                           inPlaceLimit: inPlace)
    }

    deinit { shutdown() }

    /// The number of worker threads.
    public var workerCount: Int { runtime.workers.count }

    /// Submits a task with `accesses` (its closure receives one view per access, in order) to run
    /// in `space`. Throws when an access lies outside its resource or the graph is shut down.
    @discardableResult
    @inlinable
    public func submit<each R: DataflowResource, each V>(
        name: String = "task", on space: MemorySpace = .host,
        _ accesses: repeat Access<each R, each V>,
        body: @escaping @Sendable (repeat each V) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        try _submit(name: name, space: space, AccessList(repeat each accesses)) { (views: (repeat each V)) in
            try body(repeat each views)
        }
    }

    /// Submits a task running `kernel` on `arguments`, with the accesses the kernel declares.
    @discardableResult
    @inlinable
    public func submit<K: Kernel>(
        _ kernel: K, _ arguments: K.Arguments, name: String? = nil, on space: MemorySpace = .host
    ) throws(DataflowError) -> TaskHandle {
        try _submit(name: name ?? K.name, space: space, K.accesses(arguments)) { views in
            try kernel.run(views)
        }
    }

    /// Submits a task with the accesses of `list`, running `run` on their views: made now when
    /// the task's space allows it (the closure then keeps the views, not the accesses and their
    /// resources), else when the task runs.
    @inlinable
    internal func _submit<Views>(
        name: String, space: MemorySpace, _ list: AccessList<Views>, run: @escaping (Views) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        if list.placement.allowsSubmissionViews(in: space) {
            let views = list.makeViews(nil)
            return try _submit(name: name, space: space, list.raw) { _ in try run(views) }
        }
        return try _submit(name: name, space: space, list.raw) { context in try run(list.makeViews(context)) }
    }

    @usableFromInline
    internal func _submit(
        name: String, space: MemorySpace, _ accesses: consuming [_RawAccess],
        body: @escaping (_TaskContext) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        TaskHandle(node: try runtime.submit(name: name, space: space, accesses: accesses, body: body))
    }

    /// `body` on the `count` accesses in `accesses` (one `_RawAccess` or a tuple of them, in the
    /// caller's stack: no array per task) as a buffer.
    @inlinable
    internal func _withBuffer<Accesses, Result>(
        of accesses: inout Accesses, count: Int, _ body: (UnsafeBufferPointer<_RawAccess>) throws(DataflowError) -> Result
    ) throws(DataflowError) -> Result {
        assert(MemoryLayout<Accesses>.stride == count * MemoryLayout<_RawAccess>.stride)
        return try withUnsafeBytes(of: &accesses) { (bytes) throws(DataflowError) -> Result in
            try body(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: _RawAccess.self), count: count))
        }
    }

    /// Submits `node` with the `count` accesses in `accesses` (see ``_withBuffer(of:count:_:)``).
    @inlinable
    internal func _submit<Accesses>(_ node: _TaskNode, _ accesses: inout Accesses, count: Int) throws(DataflowError) -> TaskHandle {
        try _withBuffer(of: &accesses, count: count) { (accesses) throws(DataflowError) in try _submit(node, accesses) }
        return TaskHandle(node: node)
    }

    /// Submits the task doing `work` with the `count` accesses in `accesses` (as above): run in
    /// place, in a record of the current worker's, when it qualifies (see `_Runtime+InPlace.swift`),
    /// else in a record of its own, submitted as usual.
    @inlinable
    internal func _submit<Work: _TaskWorkItem, Accesses>(
        _ work: Work, name: String, space: MemorySpace, _ accesses: inout Accesses, count: Int
    ) throws(DataflowError) -> TaskHandle {
        try _withBuffer(of: &accesses, count: count) { (accesses) throws(DataflowError) -> TaskHandle in
            if let record = _runInPlace(name: name, space: space, accesses, work: { try work.run(_TaskContext(node: $0)) }) {
                return TaskHandle(node: record)
            }
            let node = _TaskNode.running(work, name: name, space: space)
            try _submit(node, accesses, inPlace: false)
            return TaskHandle(node: node)
        }
    }

    @usableFromInline
    internal func _runInPlace(
        name: String, space: MemorySpace, _ accesses: UnsafeBufferPointer<_RawAccess>, work: (_TaskNode) throws -> Void
    ) -> _TaskNode? {
        runtime.runInPlace(name: name, space: space, accesses, work: work)
    }

    @usableFromInline
    internal func _submit(_ node: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, inPlace: Bool = true) throws(DataflowError) {
        try runtime.submit(node, accesses: accesses, inPlace: inPlace)
    }

    @usableFromInline
    internal func _submit(
        name: String, space: MemorySpace, body: @escaping () throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        TaskHandle(node: try runtime.submit(name: name, space: space, body: body))
    }

    /// Finishes the tasks already submitted, then stops the worker threads; later submissions throw
    /// ``DataflowError/graphShutDown``. Called by `deinit` too (inside a task of the graph it does
    /// not wait: the remaining tasks still run before the workers stop).
    public func shutdown() {
        runtime.closed.store(true, ordering: .sequentiallyConsistent)
        if runtime.currentWorker == nil { try? runtime.waitForAll() }
        runtime.stop()
    }
}

/// A submitted task, to wait for with ``DataflowGraph/wait(for:)-(TaskHandle)``.
///
/// Handles are cheap references; keeping one keeps the task's record (not its data) alive.
public struct TaskHandle: Sendable, Hashable, CustomStringConvertible {
    @usableFromInline internal let node: _TaskNode

    @usableFromInline internal init(node: _TaskNode) { self.node = node }

    /// The task's name.
    public var name: String { node.name }
    /// The task's number in its graph, in submission order (from 1).
    public var id: Int { node.id }
    /// True when the task has finished (succeeded, failed or been skipped).
    public var isFinished: Bool { node.isFinished }

    public static func == (a: TaskHandle, b: TaskHandle) -> Bool { a.node === b.node }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(node)) }
    public var description: String { "\(node.name) #\(node.id)" }
}
