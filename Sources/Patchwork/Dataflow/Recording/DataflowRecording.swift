import Synchronization

/// Tasks recorded once and run again and again: the dependency analysis of a time step done once
/// (the inspector), its replays only counting down precomputed dependencies (the executor).
///
/// ```swift
/// let twoSteps = try graph.record(name: "two steps") {
///     for (fill, src, dst) in [(fillU, u, v), (fillV, v, u)] {   // halo exchanges of u and v
///         try graph.submit(fill)
///         for i in src.patchIndices {
///             try graph.submit(.read(src, patch: i, grownBy: 1), .write(dst, patch: i)) { s, d in
///                 try Stencil.jacobi5(from: s, to: d, over: d.box, centre: 0.2, neighbour: 0.2)
///             }
///         }
///     }
/// }
/// for _ in 0..<steps / 2 { try graph.replay(twoSteps) }
/// try graph.wait()
/// ```
///
/// While ``DataflowGraph/record(name:_:)`` runs, the tasks its body submits (on the recording
/// thread) are not run: the runtime derives their dependencies among themselves, as it would for
/// submitted tasks, and keeps their closures, with the views made at recording. Each
/// ``DataflowGraph/replay(_:)`` then runs them all with the result of submitting them again in
/// the same order: a replay is ordered after earlier tasks (and earlier replays) that conflict
/// with what its tasks access — as one task whose accesses cover, per resource, the bounding box
/// of the recorded regions — and later tasks that conflict wait for the whole replay. Inside a
/// replay only the recorded dependencies are counted down: no tracker, no lock, no allocation
/// per task.
///
/// Recorded tasks run on the host, on resources at home there; one waiting for an external event
/// (a message) cannot be recorded (``DataflowError/notRecordable(task:reason:)``). Their closures
/// run once per replay: what they capture is the same each time, so a time-step index, say, comes
/// from a resource they read, not from a captured variable. A task of a replay that throws fails
/// the replay (its handle reports the task and the error); the recorded tasks that depend on it
/// are skipped in that replay, and the recording can be replayed again.
///
/// - Complexity: recording costs what submitting the tasks costs; a replay costs one submission
///   plus, per task, a queue push and pop and one atomic decrement per recorded dependency.
public final class DataflowRecording: @unchecked Sendable {
    /// The name given at recording: a replay's task name.
    public let name: String
    let runtimeID: Int

    /// The recorded tasks, in recording order (they hold their closures and views).
    private(set) var tasks: [_TaskNode] = []
    /// The number of recorded tasks each task waits for, by index.
    private(set) var dependencyCounts: [Int] = []
    /// The tasks that wait for task `k`: `successorTable[successorStart[k] ..< successorStart[k + 1]]`
    /// (filled when the recording ends; plain memory, read by every replayed task).
    @exclusivity(unchecked) private var successorTable = UnsafeMutableBufferPointer<Unmanaged<_TaskNode>>(start: nil, count: 0)
    @exclusivity(unchecked) private var successorStart = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    /// The tasks that wait for no recorded task.
    private var roots: [Unmanaged<_TaskNode>] = []
    /// What a replay accesses, as one task: per resource, the bounding box of the recorded regions
    /// (read, or read and written when a task writes it), and the recording's own sequencer.
    private(set) var footprint: [_RawAccess] = []
    /// The recording's trackers, private: they derived the dependencies and keep the resources
    /// for views made when a task runs.
    var trackers = _SubmissionState()
    /// Orders the replays of this recording one after another (they share the tasks' counters).
    private let sequencer = Shared(0, name: "replays")

    // The replay in flight (replays run one at a time: see `sequencer`).
    /// The replay's task, which finishes when its last task has.
    @exclusivity(unchecked) private(set) var instance: Unmanaged<_TaskNode>?
    /// Tasks of the replay not yet finished, plus one for the launch.
    let remaining = Atomic<Int>(0)
    /// The first failure of the replay.
    let failure = _Lock<DataflowError?>(nil)

    init(name: String, runtimeID: Int) {
        self.name = name
        self.runtimeID = runtimeID
    }

    deinit {
        successorTable.deallocate()
        successorStart.deallocate()
    }

    /// The number of recorded tasks.
    public var taskCount: Int { tasks.count }
    /// The number of dependencies among the recorded tasks (after transitive reduction).
    public var dependencyCount: Int { successorTable.count }

    /// Adds a recorded task that waits for `dependencies` earlier recorded tasks (already linked
    /// after them: they list it as a successor until ``seal(footprint:)``).
    func append(_ task: _TaskNode, dependencies: Int) {
        task.replay = .member(Unmanaged.passUnretained(self), index: tasks.count)
        tasks.append(task)
        dependencyCounts.append(dependencies)
    }

    /// Ends the recording: moves the successor lists out of the tasks into one table and builds
    /// the replay's accesses from `regions` (per resource: the union box and whether it is written).
    func seal(regions: [(resource: any DataflowResource, box: DataflowBox, writes: Bool)]) {
        var table: [Unmanaged<_TaskNode>] = []
        var start = [0]
        for (k, task) in tasks.enumerated() {
            let listed = task.sync.withLock { s in
                defer { s.successors = _Successors() }
                return s.successors
            }
            listed.forEach { table.append(.passUnretained($0)) }
            start.append(table.count)
            if dependencyCounts[k] == 0 { roots.append(.passUnretained(task)) }
        }
        successorTable = .allocate(capacity: table.count)
        _ = successorTable.initialize(from: table)
        successorStart = .allocate(capacity: start.count)
        _ = successorStart.initialize(from: start)
        footprint = regions.map { region in
            func access<R: DataflowResource>(_ resource: R) -> _RawAccess {
                _RawAccess(resource: resource, box: region.box, mode: region.writes ? .readWrite : .read)
            }
            return access(region.resource)
        }
        footprint.append(_RawAccess(resource: sequencer, box: .unit, mode: .readWrite))
    }

    /// Readies every task for a replay run as `instance` and returns the tasks to start with. The
    /// replay finishes when ``remaining`` (tasks, plus one for the caller) reaches zero.
    func prepare(instance: _TaskNode) -> [Unmanaged<_TaskNode>] {
        self.instance = .passUnretained(instance)
        failure.withLock { $0 = nil }
        for (k, task) in tasks.enumerated() {
            task.pending.store(dependencyCounts[k], ordering: .relaxed)
            task.poisoned.store(false, ordering: .relaxed)
        }
        remaining.store(tasks.count + 1, ordering: .relaxed)
        return roots
    }

    /// Calls `body` on each task that waits for task `k`.
    @inline(__always)
    func forEachSuccessor(of k: Int, _ body: (_TaskNode) -> Void) {
        var i = successorStart[k]
        let end = successorStart[k + 1]
        while i < end {
            successorTable[i]._withUnsafeGuaranteedRef(body)
            i += 1
        }
    }

    /// Records `error` unless an earlier task of the replay failed first.
    func fail(_ error: DataflowError) {
        failure.withLock { if $0 == nil { $0 = error } }
    }
}
