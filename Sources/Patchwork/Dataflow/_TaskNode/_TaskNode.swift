import Dispatch
import Synchronization

/// One submitted task: its accesses, work, dependency counter and completion state.
///
/// Fields marked "submission" are written only under the graph's submission lock (or before the
/// task is published to a worker); the rest are atomics or guarded by `sync`.
@usableFromInline
internal final class _TaskNode: @unchecked Sendable {
    // First, with the reference count: what the submitting thread still writes after the task
    // is published (when later tasks register after it). The running worker's fields follow
    // without a padding line: a smaller record measured faster than one without that sharing.
    /// The last task that linked itself after this one (edge deduplication; submission).
    @exclusivity(unchecked) var lastLinkedSerial = -1
    /// The entries of trackers that name this task; one retain covers them all (submission).
    @exclusivity(unchecked) var trackerEntries = 0
    /// The task's number in its graph (submission).
    @exclusivity(unchecked) var id = 0
    /// The graph's runtime (submission).
    @exclusivity(unchecked) var graphID = 0
    /// The name and the space the task runs in (set again when a worker reuses the record for
    /// another task run in place, see ``reuse(name:space:)``).
    @exclusivity(unchecked) var name: String
    @usableFromInline @exclusivity(unchecked) var space: MemorySpace
    /// The accesses, each with its tracker (submission).
    @usableFromInline @exclusivity(unchecked) var accesses = _TaskAccesses()
    /// Copies to make before running: bring `tracker`'s resource from `source` to `space` (submission).
    @exclusivity(unchecked) var copies: [(tracker: _AccessTracker, source: MemorySpace)] = []
    /// Resources this task accumulates into, sorted by identity, unique (submission).
    @exclusivity(unchecked) var commuteTrackers: [_AccessTracker] = []

    // What the worker that runs the task writes (and reads), after the submitter's fields above.
    /// The work; destroyed after the run so captured values are released.
    @usableFromInline @exclusivity(unchecked) var work = _TaskWork()
    /// A replay of a recording, or a recorded task (set before the task is published).
    @exclusivity(unchecked) var replay = _ReplayRole.none

    /// Predecessors not yet finished, plus one while it is held. A task with accesses starts at
    /// ``pendingBias`` while it is submitted: each predecessor that finishes subtracts one, and
    /// the submitter subtracts `pendingBias - edges` once at the end (one atomic per task rather
    /// than two per edge).
    let pending = Atomic<Int>(0)

    /// The submission bias of `pending`: more than any task's number of edges.
    static var pendingBias: Int { 1 << 40 }
    /// 0 not finished, 1 succeeded, 2 failed.
    let status = Atomic<Int>(0)
    /// A failure that `wait()` has reported: trackers may forget the task.
    let acknowledged = Atomic<Bool>(false)
    /// Set when a predecessor failed (the cause is in `sync`).
    let poisoned = Atomic<Bool>(false)
    let sync = _Lock(_TaskSync())

    /// A task without work (a gate or a placeholder) in `space`; submission numbers it.
    @usableFromInline
    init(name: String, space: MemorySpace) {
        self.name = name
        self.space = space
    }

    /// A task running `work` (which must fit in ``_TaskWork/capacity`` bytes) in `space`.
    @inlinable
    convenience init<Work: _TaskWorkItem>(name: String, space: MemorySpace, work: consuming Work) {
        self.init(name: name, space: space)
        self.work.store(work)
    }

    /// A task running `work` in `space`: kept in the record when it fits, else in a closure.
    @inlinable
    static func running<Work: _TaskWorkItem>(_ work: Work, name: String, space: MemorySpace) -> _TaskNode {
        if _TaskWork.fits(Work.self) { return _TaskNode(name: name, space: space, work: work) }
        return _TaskNode(name: name, space: space, work: _ContextBody { context in try work.run(context) })
    }

    /// Makes this record, of a task that succeeded and that nothing references any more, the
    /// record of a new task (see `_Worker.inPlaceRecord(name:space:)`): a successful task has
    /// handed over its successors and waiters, and has neither work nor tracker entries left.
    func reuse(name: String, space: MemorySpace) {
        self.name = name
        self.space = space
        accesses.deallocate()
        accesses = _TaskAccesses()
        status.store(0, ordering: .relaxed)
    }

    deinit {
        accesses.deallocate()
        work.discard(of: self)
    }

    /// Runs the work, and forgets it (releasing what it captured, even when it throws).
    func run() throws { try work(.runAndDiscard, _TaskContext(node: self)) }

    /// Runs the work of a recorded task, keeping it for the next replay.
    func runKeepingWork() throws { try work(.run, _TaskContext(node: self)) }

    /// Forgets the work (when the task is skipped), releasing what it captured.
    func dropWork() { work.discard(of: self) }

    @inline(__always) var isFinished: Bool { status.load(ordering: .acquiring) != 0 }

    @inline(__always) var succeeded: Bool { status.load(ordering: .acquiring) == 1 }

    /// True when trackers no longer need to remember the task: it succeeded, or it failed and the
    /// failure was reported.
    @inline(__always) var isRetired: Bool {
        let s = status.load(ordering: .acquiring)
        return s == 1 || (s == 2 && acknowledged.load(ordering: .relaxed))
    }

    /// The root failure a dependent of this (failed) task reports: this task, or its own cause.
    var failureRoot: (name: String, id: Int) {
        sync.withLock { $0.poisonCause } ?? (name, id)
    }

    /// Marks the task as a dependent of the failed task `root`.
    func poison(by root: (name: String, id: Int)) {
        sync.withLock { s in
            if s.poisonCause == nil { s.poisonCause = root }
        }
        poisoned.store(true, ordering: .releasing)
    }

    /// Adds `successor` after this task unless it is finished. Returns true when an edge was added
    /// (the successor, still biased, counts it: see ``pending``); a failed task poisons the
    /// successor instead.
    func link(_ successor: _TaskNode) -> Bool {
        if status.load(ordering: .acquiring) == 1 { return false }  // succeeded: no lock needed
        let state: Int = sync.withLock { s in
            let state = status.load(ordering: .relaxed)  // stored under the lock by `finish`
            if state != 0 { return state }
            s.successors.append(Unmanaged.passUnretained(successor))
            return 0
        }
        if state == 0 { return true }
        if state == 2 { successor.poison(by: failureRoot) }
        return false
    }
}

extension _TaskNode {
    /// For a recorded task, the task of the replay running it.
    var runningReplay: _TaskNode? {
        guard case .member(let recording, _) = replay else { return nil }
        return recording._withUnsafeGuaranteedRef { $0.instance?.takeUnretainedValue() }
    }

    /// True for a task an automatic trace may hold: not `held` for an external event, run on the
    /// host, and neither a replay nor a recorded task.
    func isOrdinaryHostTask(held: Bool) -> Bool {
        guard !held, space == .host, case .none = replay else { return false }
        return true
    }

    /// For a task in a repetition of an automatic trace, the task standing for the repetition
    /// (what depends on the tasks before the repetition reaches its tasks through it).
    var traceGate: _TaskNode? {
        guard case .traced(let instance, _) = replay else { return nil }
        return instance._withUnsafeGuaranteedRef { $0.task }
    }

    /// True when this running task would never see `task` finish: `task` depends on it. A recorded
    /// task answers for its replay; a task of a repetition of an automatic trace answers from
    /// the trace inside its repetition and for the repetition's task outside it.
    func waitWouldDeadlock(on task: _TaskNode) -> Bool {
        if case .traced(let mine, let i) = replay {
            if case .traced(let theirs, let j) = task.replay, mine.toOpaque() == theirs.toOpaque() {
                return mine._withUnsafeGuaranteedRef { $0.template.leads(from: i, to: j) }
            }
            if let gate = traceGate, gate.leadsTo(task.traceGate ?? task) { return true }
        }
        return (runningReplay ?? self).leadsTo(task.traceGate ?? task)
    }

    /// True when `other` is this task or depends on it through at most `limit` tasks (a bounded
    /// search of the successor lists: cheap, and only made before a wait inside a task).
    func leadsTo(_ other: _TaskNode, limit: Int = 256) -> Bool {
        if other === self { return true }
        var frontier: [_TaskNode] = [self]
        var visited = 0
        while let node = frontier.popLast(), visited < limit {
            visited += 1
            let successors = node.sync.withLock { node.isFinished ? _Successors() : $0.successors }
            var found = false
            successors.forEach { s in
                if s === other { found = true } else if !found { frontier.append(s) }
            }
            if found { return true }
        }
        return false
    }
}

/// What a task's lock guards (the task's `status` is also stored under it when it finishes).
internal struct _TaskSync {
    var successors = _Successors()
    var waiters: [DispatchSemaphore] = []
    /// The failure's details, boxed: rare, and kept out of every task's record.
    private var failure: _TaskFailure?

    /// The error the task finished with (set when it finishes).
    var error: DataflowError? {
        get { failure?.error }
        set { if newValue != nil || failure != nil { details.error = newValue } }
    }

    /// The failed task that poisoned this one, the first one only.
    var poisonCause: (name: String, id: Int)? {
        get { failure?.poisonCause }
        set { if newValue != nil || failure != nil { details.poisonCause = newValue } }
    }

    private var details: _TaskFailure {
        mutating get {
            if let failure { return failure }
            let made = _TaskFailure()
            failure = made
            return made
        }
    }
}

/// The details of a failed or poisoned task (guarded by its lock).
final class _TaskFailure {
    var error: DataflowError?
    var poisonCause: (name: String, id: Int)?
}

/// The tasks that wait for a task: the first four inline (no allocation for most tasks), the
/// rest in an array. Not counted: a successor is in flight (it cannot finish before this task).
struct _Successors {
    private var s0: _Runnable?
    private var s1: _Runnable?
    private var s2: _Runnable?
    private var s3: _Runnable?
    private var more: [_Runnable] = []
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ task: _Runnable) {
        switch count {
        case 0: s0 = task
        case 1: s1 = task
        case 2: s2 = task
        case 3: s3 = task
        default: more.append(task)
        }
        count += 1
    }

    @inline(__always)
    func forEach(_ body: (_TaskNode) -> Void) {
        if count > 0 { s0.unsafelyUnwrapped._withUnsafeGuaranteedRef(body) }
        if count > 1 { s1.unsafelyUnwrapped._withUnsafeGuaranteedRef(body) }
        if count > 2 { s2.unsafelyUnwrapped._withUnsafeGuaranteedRef(body) }
        if count > 3 { s3.unsafelyUnwrapped._withUnsafeGuaranteedRef(body) }
        if count > 4 { for task in more { task._withUnsafeGuaranteedRef(body) } }
    }
}

/// What a running task's closure gets from the runtime: the replicas of its resources in the space
/// where it runs.
@usableFromInline
internal struct _TaskContext {
    /// The running task (alive: it is in flight).
    @usableFromInline let task: Unmanaged<_TaskNode>

    @usableFromInline init(node: _TaskNode) { task = .passUnretained(node) }

    @usableFromInline var node: _TaskNode { task.takeUnretainedValue() }

    /// The space the task runs in.
    @usableFromInline var space: MemorySpace { task._withUnsafeGuaranteedRef { $0.space } }

    /// The copy of `resource` in the task's space: the resource itself in its home space.
    @inlinable
    func resolve<R: DataflowResource>(_ resource: R) -> R {
        if !resource.isSpaceManaged || node.space == resource.homeSpace { return resource }
        return node.replica(of: resource)
    }

    /// `resource` as the running task of `context` sees it; without a context (a view made at
    /// submission, see ``Access/submissionView(in:checked:)``), the resource itself.
    @inlinable
    static func resolve<R: DataflowResource>(_ resource: R, in context: _TaskContext?) -> R {
        guard let context else { return resource }
        return context.resolve(resource)
    }

    /// The view of the task's access number `k`: `early` when it was made at submission, else
    /// `make(resource, region, self)` with the resource as its tracker holds it. The closures of
    /// the fixed-arity `submit` forms keep no reference of their own, so a task run on another
    /// thread touches no reference count of its resources.
    @inlinable
    func view<R: DataflowResource, V>(
        _ k: Int, early: V?, _ region: R.Region, _ make: (R, R.Region, _TaskContext?) -> V, as type: R.Type
    ) -> V {
        if let early { return early }
        return task._withUnsafeGuaranteedRef { node in
            node.accesses[k].tracker._withUnsafeGuaranteedRef { tracker in
                if ObjectIdentifier(Swift.type(of: tracker)) == ObjectIdentifier(_TypedTracker<R>.self) {
                    return make(unsafeDowncast(tracker, to: _TypedTracker<R>.self).typedResource, region, self)
                }
                return make(tracker.resource as! R, region, self)  // first named as another static type
            }
        }
    }
}

extension _TaskNode {
    @usableFromInline
    func replica<R: DataflowResource>(of resource: R) -> R {
        let identity = resource.dataflowIdentity
        for k in 0..<accesses.count {
            let tracker = accesses[k].tracker.takeUnretainedValue()
            if tracker.identity == identity, let replica = tracker.replica(in: space) as? R { return replica }
        }
        preconditionFailure("no replica of \(resource.dataflowName) in \(space): not among the task's accesses")
    }
}
