/// The tasks running in place now (see `_Runtime+InPlace.swift`): they have no entries in the
/// trackers, so a task submitted while one runs looks here too and waits for the ones it conflicts
/// with. Guarded by the submission lock.
///
/// Each task is retained while it is listed; one that succeeded is dropped by the next
/// submission that looks (`pruneSucceeded()`), one that failed by its runner, once its accesses
/// are remembered in the trackers.
struct _InPlaceTasks {
    /// One access of a listed task.
    struct Entry {
        var task: Unmanaged<_TaskNode>
        var identity: ObjectIdentifier
        var box: DataflowBox
        var mode: AccessMode
    }

    /// The accesses of the listed tasks, then the tasks (retained), in memory of their own
    /// (allocated on first use, freed by ``removeAll()``): no array's uniqueness checks and
    /// copies on the path of every task run in place.
    private var entries = _UnsafeList<Entry>()
    private var tasks = _UnsafeList<Unmanaged<_TaskNode>>()

    var isEmpty: Bool { tasks.count == 0 }

    /// Lists `task` with its accesses.
    mutating func add(_ task: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>) {
        let handle = Unmanaged.passRetained(task)
        tasks.append(handle)
        for k in accesses.indices {
            let a = accesses.baseAddress.unsafelyUnwrapped + k  // in place: no copy of the access
            entries.append(Entry(task: handle, identity: a.pointee.identity, box: a.pointee.box, mode: a.pointee.mode))
        }
    }

    /// Forgets `task` (listed).
    mutating func remove(_ task: _TaskNode) {
        remove { $0 === task }
    }

    /// Forgets the tasks that succeeded.
    @inline(__always)
    mutating func pruneSucceeded() {
        if tasks.count == 0 { return }
        if tasks.count == 1 {
            // The common case: the last task this thread ran in place.
            guard tasks[0]._withUnsafeGuaranteedRef({ $0.succeeded }) else { return }
            tasks[0].release()
            tasks.count = 0
            entries.count = 0
            return
        }
        remove { $0.succeeded }
    }

    private mutating func remove(where match: (_TaskNode) -> Bool) {
        entries.removeAll { e in e.task._withUnsafeGuaranteedRef(match) }
        tasks.removeAll { t in
            let matched = t._withUnsafeGuaranteedRef(match)
            if matched { t.release() }
            return matched
        }
    }

    /// True when a listed task that has not succeeded has an access that `access` conflicts with.
    func conflicts(with access: UnsafePointer<_RawAccess>) -> Bool {
        entries.contains { e in
            e.identity == access.pointee.identity && e.mode.conflicts(with: access.pointee.mode)
                && e.box.intersects(access.pointee.box) && !e.task._withUnsafeGuaranteedRef { $0.succeeded }
        }
    }

    /// Links `task` after every listed task with an access that `access` conflicts with; returns
    /// the number of edges added.
    func link(_ task: _TaskNode, after access: UnsafePointer<_RawAccess>) -> Int {
        var edges = 0
        entries.forEach { e in
            guard e.identity == access.pointee.identity && e.mode.conflicts(with: access.pointee.mode)
                    && e.box.intersects(access.pointee.box) else { return }
            e.task._withUnsafeGuaranteedRef { earlier in
                if earlier === task || earlier.lastLinkedSerial == task.id { return }
                earlier.lastLinkedSerial = task.id
                if earlier.link(task) { edges += 1 }
            }
        }
        return edges
    }

    /// Releases the listed tasks (when the runtime goes away).
    mutating func removeAll() {
        for k in 0..<tasks.count { tasks[k].release() }
        tasks.deallocate()
        entries.deallocate()
    }
}

/// A list of trivial values in memory it allocates itself; freed by ``deallocate()``.
struct _UnsafeList<Element>: @unchecked Sendable {  // guarded by its owner's lock
    private var items: UnsafeMutablePointer<Element>?
    private var capacity = 0
    var count = 0

    @inline(__always)
    mutating func append(_ item: Element) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(8, 2 * capacity))
            if let items {
                bigger.moveInitialize(from: items, count: count)
                items.deallocate()
            }
            items = bigger
            capacity = Swift.max(8, 2 * capacity)
        }
        (items.unsafelyUnwrapped + count).initialize(to: item)
        count += 1
    }

    @inline(__always)
    subscript(k: Int) -> Element { items.unsafelyUnwrapped[k] }

    /// Keeps, in order, the items for which `remove` is false.
    mutating func removeAll(where remove: (Element) -> Bool) {
        var kept = 0
        for k in 0..<count where !remove(items.unsafelyUnwrapped[k]) {
            items.unsafelyUnwrapped[kept] = items.unsafelyUnwrapped[k]
            kept += 1
        }
        count = kept
    }

    func contains(where match: (Element) -> Bool) -> Bool {
        for k in 0..<count where match(items.unsafelyUnwrapped[k]) { return true }
        return false
    }

    func forEach(_ body: (Element) -> Void) {
        for k in 0..<count { body(items.unsafelyUnwrapped[k]) }
    }

    mutating func deallocate() {
        items?.deallocate()
        items = nil
        capacity = 0
        count = 0
    }
}
