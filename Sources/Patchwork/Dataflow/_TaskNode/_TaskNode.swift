import Dispatch
import Synchronization

/// One submitted task: its accesses, closure, dependency counter and completion state.
///
/// Fields marked "submission" are written only under the graph's submission lock before the task
/// is published to a worker; the rest are atomics or guarded by `sync`.
@usableFromInline
internal final class _TaskNode: @unchecked Sendable {
    let id: Int
    let name: String
    let graphID: Int
    @usableFromInline let space: MemorySpace
    /// The work; cleared after the run so captured values are released.
    var body: ((_TaskContext) throws -> Void)?
    /// The work of a task without accesses (it needs no context: one closure less per task).
    var plainBody: (() throws -> Void)?
    /// The accesses, each with its tracker (set at submission).
    var accesses: [_RawAccess]
    /// Copies to make before running: bring `tracker`'s resource from `source` to `space` (submission).
    var copies: [(tracker: _AccessTracker, source: MemorySpace)] = []
    /// Resources this task accumulates into, sorted by identity, unique (submission).
    var commuteTrackers: [_AccessTracker] = []
    /// The last task that linked itself after this one (edge deduplication; submission).
    var lastLinkedSerial = -1
    /// The entries of trackers that name this task; one retain covers them all (submission).
    var trackerEntries = 0

    /// Predecessors not yet finished, plus one while it is held. A task with accesses starts at
    /// ``pendingBias`` while it is submitted: each predecessor that finishes subtracts one, and
    /// the submitter subtracts `pendingBias - edges` once at the end (one atomic per task rather
    /// than two per edge).
    let pending: Atomic<Int>

    /// The submission bias of `pending`: more than any task's number of edges.
    static var pendingBias: Int { 1 << 40 }
    /// 0 not finished, 1 succeeded, 2 failed.
    let status = Atomic<Int>(0)
    /// A failure that `wait()` has reported: trackers may forget the task.
    let acknowledged = Atomic<Bool>(false)
    /// Set when a predecessor failed (the cause is in `sync`).
    let poisoned = Atomic<Bool>(false)
    let sync = _Lock(_TaskSync())

    /// A task with `pending` unsettled dependencies (1 while being submitted; 0 for a ready task
    /// without accesses, 1 for a held one) and `body` or `plainBody`.
    init(id: Int, name: String, graphID: Int, space: MemorySpace, accesses: [_RawAccess],
         pending: Int = 1, body: ((_TaskContext) throws -> Void)?, plainBody: (() throws -> Void)? = nil) {
        self.id = id
        self.name = name
        self.graphID = graphID
        self.space = space
        self.accesses = accesses
        self.body = body
        self.plainBody = plainBody
        self.pending = Atomic(pending)
    }

    @inline(__always) var isFinished: Bool { status.load(ordering: .acquiring) != 0 }

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
        let state: Int = sync.withLock { s in
            if s.finished { return s.error == nil ? 1 : 2 }
            s.successors.append(successor)
            return 0
        }
        if state == 0 { return true }
        if state == 2 { successor.poison(by: failureRoot) }
        return false
    }
}

extension _TaskNode {
    /// True when `other` is this task or depends on it through at most `limit` tasks (a bounded
    /// search of the successor lists: cheap, and only made before a wait inside a task).
    func leadsTo(_ other: _TaskNode, limit: Int = 256) -> Bool {
        if other === self { return true }
        var frontier: [_TaskNode] = [self]
        var visited = 0
        while let node = frontier.popLast(), visited < limit {
            visited += 1
            let successors = node.sync.withLock { $0.finished ? _Successors() : $0.successors }
            var found = false
            successors.forEach { s in
                if s === other { found = true } else if !found { frontier.append(s) }
            }
            if found { return true }
        }
        return false
    }
}

internal struct _TaskSync {
    var finished = false
    var error: DataflowError?
    var poisonCause: (name: String, id: Int)?
    var successors = _Successors()
    var waiters: [DispatchSemaphore] = []
}

/// The tasks that wait for a task: the first four inline (no allocation for most tasks), the
/// rest in an array.
struct _Successors {
    private var s0: _TaskNode?
    private var s1: _TaskNode?
    private var s2: _TaskNode?
    private var s3: _TaskNode?
    private var more: [_TaskNode] = []
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ task: _TaskNode) {
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
        if count > 0 { body(s0.unsafelyUnwrapped) }
        if count > 1 { body(s1.unsafelyUnwrapped) }
        if count > 2 { body(s2.unsafelyUnwrapped) }
        if count > 3 { body(s3.unsafelyUnwrapped) }
        if count > 4 { for task in more { body(task) } }
    }
}

/// What a running task's closure gets from the runtime: the replicas of its resources in the space
/// where it runs.
@usableFromInline
internal struct _TaskContext {
    @usableFromInline unowned(unsafe) let node: _TaskNode

    /// The space the task runs in.
    @usableFromInline var space: MemorySpace { node.space }

    /// The copy of `resource` in the task's space: the resource itself in its home space.
    @inlinable
    func resolve<R: DataflowResource>(_ resource: R) -> R {
        if !resource.isSpaceManaged || node.space == resource.homeSpace { return resource }
        return node.replica(of: resource)
    }
}

extension _TaskNode {
    @usableFromInline
    func replica<R: DataflowResource>(of resource: R) -> R {
        let identity = resource.dataflowIdentity
        for access in accesses where access.identity == identity {
            if let replica = access.tracker?.replica(in: space) as? R { return replica }
        }
        preconditionFailure("no replica of \(resource.dataflowName) in \(space): not among the task's accesses")
    }
}
