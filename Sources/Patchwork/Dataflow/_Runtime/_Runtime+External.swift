/// A check of one external event (a message arrival) that a held task waits for: returns true
/// when it is done, and is then dropped.
struct _Poller: @unchecked Sendable {
    let poll: () -> Bool
}

extension _Runtime {
    /// Registers `poll`, which idle workers (and workers waiting inside tasks) call until it
    /// returns true. Workers do not park while pollers are registered.
    func addPoller(_ poll: @escaping () -> Bool) {
        pollers.withLock { $0.append(_Poller(poll: poll)) }
        pollerCount.wrappingAdd(1, ordering: .relaxed)
        wakeOne()
    }

    /// Calls every registered poller once (one thread at a time); returns true when one finished.
    func pollExternalEvents() -> Bool {
        guard pollerCount.load(ordering: .relaxed) > 0 else { return false }
        let finished = pollers.withLock { list -> Int in
            let before = list.count
            list.removeAll { $0.poll() }
            return before - list.count
        }
        if finished > 0 { pollerCount.wrappingSubtract(finished, ordering: .relaxed) }
        return finished > 0
    }

    /// Releases the hold of a task submitted with `held: true`; it runs once its dependencies
    /// are done too.
    func releaseHold(_ node: _TaskNode) {
        if node.pending.wrappingSubtract(1, ordering: .acquiringAndReleasing).oldValue == 1 {
            schedule(node, from: currentWorker)
        }
    }
}
