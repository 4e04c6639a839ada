import Synchronization

// Task records are reused: the last counted reference to a finished record (its in-flight one,
// or its trackers' one) hands it to the free list of the worker whose thread drops it, and the
// next task submitted on that thread takes it from there. A reused record keeps its lock and its
// work memory: submitting a task then allocates nothing of the runtime's, and in a stencil code,
// where the submitting thread drops its records (their trackers forget them), the memory never
// moves between threads. A record that a handle, a recording or a failure list still names is not
// unique, hence not reused (it is freed as usual once they let go).

extension _TaskNode {
    /// Ends one counted reference to `task`; the last one puts the record in the current thread's
    /// worker's free list (if it has room), else frees it.
    @inline(__always)
    static func release(_ task: Unmanaged<_TaskNode>) {
        var node = task.takeRetainedValue()
        guard isKnownUniquelyReferenced(&node) else { return }
        _Worker.withCurrent { worker in
            guard let worker, worker.freeNodes.count < _Worker.freeNodeLimit else { return }
            // What the threads that dropped the other references wrote happens before the reuse.
            atomicMemoryFence(ordering: .acquiring)
            node.clear()
            worker.freeNodes.append(node)
        }
    }

    /// Brings a finished record back to the state of a new one.
    private func clear() {
        dropWork()
        lastLinkedSerial = -1
        id = 0
        if !accesses.isEmpty { accesses.removeAll() }
        if !copies.isEmpty { copies = [] }
        if !commuteTrackers.isEmpty { commuteTrackers = [] }
        if case .none = replay {} else { replay = .none }
        // A task that succeeded left nothing under its lock: the lock's line, last written by the
        // worker that finished the task, stays there.
        if status.load(ordering: .relaxed) != 1 || poisoned.load(ordering: .relaxed) {
            sync.withLock { s in
                s.error = nil
                s.poisonCause = nil
            }
            acknowledged.store(false, ordering: .relaxed)
            poisoned.store(false, ordering: .relaxed)
        }
        pending.store(0, ordering: .relaxed)
        status.store(0, ordering: .relaxed)
    }
}

extension _Runtime {
    /// A task record for a new task: a reused one from the current thread's worker, else a new one.
    func makeNode(name: String, space: MemorySpace) -> _TaskNode {
        if let node = _Worker.withCurrent({ $0?.freeNodes.popLast() }) {
            node.name = name
            node.space = space
            return node
        }
        return _TaskNode(name: name, space: space, body: nil)
    }
}
