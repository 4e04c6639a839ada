import Synchronization

/// A ready task in a queue: not counted — a task holds a reference to itself from submission to
/// the end of ``_Runtime/finish(_:error:on:)`` (its "in flight" reference), so queues, successor
/// lists and workers never touch its reference count.
typealias _Runnable = Unmanaged<_TaskNode>

/// A double-ended queue of ready tasks behind a mutex: the owner pushes and pops at the back
/// (LIFO, cache-warm), thieves and the injection path take from the front (FIFO).
///
/// `size` mirrors the ring's count outside the lock, so that idle workers skip empty queues
/// without taking their locks; thieves may only try the lock (``tryPopFront()``).
///
/// A field of its worker (not an object of its own): looking at another worker's queue touches no
/// reference count.
struct _WorkQueue: ~Copyable, @unchecked Sendable {
    private let ring = _Lock(_Ring())
    /// The number of queued tasks, written under the lock. Sequentially consistent: a worker that
    /// registered as a sleeper and then reads 0 cannot miss a push whose waker did not see it.
    private let size = Atomic<Int>(0)

    /// True when the queue looks empty (no lock taken).
    @inline(__always) var isEmpty: Bool { size.load(ordering: .sequentiallyConsistent) == 0 }

    func push(_ task: _Runnable) {
        ring.withLock { r in
            r.pushBack(task)
            size.store(r.count, ordering: .sequentiallyConsistent)
        }
    }

    @inline(__always)
    func popBack() -> _Runnable? {
        if isEmpty { return nil }
        return ring.withLock { Self.take(&$0, size) { $0.popBack() } }
    }

    @inline(__always)
    func popFront() -> _Runnable? {
        if isEmpty { return nil }
        return ring.withLock { Self.take(&$0, size) { $0.popFront() } }
    }

    /// The oldest task, unless the queue looks empty or its lock is busy (a thief then looks
    /// elsewhere instead of waiting).
    @inline(__always)
    func tryPopFront() -> _Runnable? {
        if isEmpty { return nil }
        let task: _Runnable?? = ring.withLockIfAvailable { Self.take(&$0, size) { $0.popFront() } }
        return task ?? nil
    }

    /// `pop(ring)`, then the ring's new count published in `size` (under the lock).
    @inline(__always)
    private static func take(_ ring: inout _Ring, _ size: borrowing Atomic<Int>, _ pop: (inout _Ring) -> _Runnable?) -> _Runnable? {
        let task = pop(&ring)
        size.store(ring.count, ordering: .sequentiallyConsistent)
        return task
    }

    var count: Int { size.load(ordering: .relaxed) }
}

/// A growable ring buffer of tasks.
struct _Ring {
    private var slots: ContiguousArray<_Runnable?> = ContiguousArray(repeating: nil, count: 64)
    private var head = 0
    private(set) var count = 0

    mutating func pushBack(_ task: _Runnable) {
        if count == slots.count { grow() }
        slots[(head + count) & (slots.count - 1)] = task
        count += 1
    }

    mutating func popBack() -> _Runnable? {
        guard count > 0 else { return nil }
        count -= 1
        let i = (head + count) & (slots.count - 1)
        defer { slots[i] = nil }
        return slots[i]
    }

    mutating func popFront() -> _Runnable? {
        guard count > 0 else { return nil }
        let i = head
        head = (head + 1) & (slots.count - 1)
        count -= 1
        defer { slots[i] = nil }
        return slots[i]
    }

    private mutating func grow() {
        var bigger = ContiguousArray<_Runnable?>(repeating: nil, count: slots.count * 2)
        for k in 0..<count { bigger[k] = slots[(head + k) & (slots.count - 1)] }
        slots = bigger
        head = 0
    }
}
