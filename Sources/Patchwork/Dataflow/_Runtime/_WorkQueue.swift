
/// A double-ended queue of ready tasks behind a mutex: the owner pushes and pops at the back
/// (LIFO, cache-warm), thieves and the injection path take from the front (FIFO).
final class _WorkQueue: Sendable {
    private let ring = _Lock(_Ring())

    func push(_ task: _TaskNode) { ring.withLock { $0.pushBack(task) } }
    func popBack() -> _TaskNode? { ring.withLock { $0.popBack() } }
    func popFront() -> _TaskNode? { ring.withLock { $0.popFront() } }
    var count: Int { ring.withLock { $0.count } }
}

/// A growable ring buffer of tasks.
struct _Ring {
    private var slots: ContiguousArray<_TaskNode?> = ContiguousArray(repeating: nil, count: 64)
    private var head = 0
    private(set) var count = 0

    mutating func pushBack(_ task: _TaskNode) {
        if count == slots.count { grow() }
        slots[(head + count) & (slots.count - 1)] = task
        count += 1
    }

    mutating func popBack() -> _TaskNode? {
        guard count > 0 else { return nil }
        count -= 1
        let i = (head + count) & (slots.count - 1)
        defer { slots[i] = nil }
        return slots[i]
    }

    mutating func popFront() -> _TaskNode? {
        guard count > 0 else { return nil }
        let i = head
        head = (head + 1) & (slots.count - 1)
        count -= 1
        defer { slots[i] = nil }
        return slots[i]
    }

    private mutating func grow() {
        var bigger = ContiguousArray<_TaskNode?>(repeating: nil, count: slots.count * 2)
        for k in 0..<count { bigger[k] = slots[(head + k) & (slots.count - 1)] }
        slots = bigger
        head = 0
    }
}
