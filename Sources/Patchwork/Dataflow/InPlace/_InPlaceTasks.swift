/// The tasks running in place now (see `_Runtime+InPlace.swift`): they have no entries in the
/// trackers, so a task submitted while one runs looks here too and waits for the ones it conflicts
/// with. Guarded by the submission lock.
///
/// A task with a record of its own is retained while it is listed (by the entry of its first
/// access); one in a record of its worker's is not (the worker keeps the record, and reuses it
/// only once the list has dropped it). One that succeeded is dropped by the next submission that
/// looks (`pruneSucceeded()`), one that failed by its runner, once its accesses are remembered in
/// the trackers.
struct _InPlaceTasks {
    /// One access of a listed task.
    struct Entry {
        var task: Unmanaged<_TaskNode>
        /// True for the first access of a task the list retains: it holds that retain.
        var owner: Bool
        var identity: ObjectIdentifier
        var box: DataflowBox
        var mode: AccessMode

        /// True when `access` must be ordered after this one.
        @inline(__always)
        func conflicts(with access: UnsafePointer<_RawAccess>) -> Bool {
            identity == access.pointee.identity && mode.conflicts(with: access.pointee.mode) && box.intersects(access.pointee.box)
        }
    }

    /// The accesses of the listed tasks, in memory of their own (allocated on first use, freed by
    /// ``removeAll()``): no array's uniqueness checks and copies on the path of every task run in
    /// place.
    private var entries = _UnsafeList<Entry>()

    var isEmpty: Bool { entries.count == 0 }

    /// Lists `task` with its accesses (at least one), retaining it unless its worker keeps it.
    mutating func add(_ task: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, retaining: Bool) {
        let handle = retaining ? Unmanaged.passRetained(task) : Unmanaged.passUnretained(task)
        for k in accesses.indices {
            let a = accesses.baseAddress.unsafelyUnwrapped + k  // in place: no copy of the access
            entries.append(Entry(task: handle, owner: retaining && k == 0, identity: a.pointee.identity, box: a.pointee.box, mode: a.pointee.mode))
        }
    }

    /// Forgets `task` (listed).
    mutating func remove(_ task: _TaskNode) {
        remove { $0 === task }
    }

    /// Forgets the tasks that succeeded.
    @inline(__always)
    mutating func pruneSucceeded() {
        if entries.count != 0 { remove { $0.succeeded } }
    }

    private mutating func remove(where match: (_TaskNode) -> Bool) {
        entries.removeAll { e in
            let matched = e.task._withUnsafeGuaranteedRef(match)
            if matched && e.owner { e.task.release() }
            return matched
        }
    }

    /// True when a listed task that has not succeeded has an access that `access` conflicts with.
    func conflicts(with access: UnsafePointer<_RawAccess>) -> Bool {
        entries.contains { e in e.conflicts(with: access) && !e.task._withUnsafeGuaranteedRef { $0.succeeded } }
    }

    /// Links `task` after every listed task with an access that `access` conflicts with; returns
    /// the number of edges added.
    func link(_ task: _TaskNode, after access: UnsafePointer<_RawAccess>) -> Int {
        var edges = 0
        entries.forEach { e in
            guard e.conflicts(with: access) else { return }
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
        entries.forEach { if $0.owner { $0.task.release() } }
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
