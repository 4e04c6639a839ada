import Dispatch

extension _Runtime {
    /// Waits until `task` has finished and returns its error, if any. A worker runs other tasks
    /// meanwhile; another thread sleeps. Inside a task, waiting for a task that depends on it
    /// throws ``DataflowError/waitForDependent(task:id:waitedTask:waitedID:)`` instead of hanging.
    func wait(for task: _TaskNode) throws(DataflowError) {
        guard task.graphID == id else { throw .foreignTask(task: task.name, id: task.id) }
        if case .member = task.replay { throw .recordedTask(task: task.name, id: task.id) }
        if !task.isFinished {
            if let worker = currentWorker {
                // A recorded task waits as its replay: what depends on the replay waits for it.
                if let current = worker.current, current.waitWouldDeadlock(on: task) {
                    throw .waitForDependent(task: current.name, id: current.id, waitedTask: task.name, waitedID: task.id)
                }
                help(worker) { task.isFinished }
            } else {
                let semaphore = DispatchSemaphore(value: 0)
                let finished = task.sync.withLock { s in
                    let finished = task.isFinished
                    if !finished { s.waiters.append(semaphore) }
                    return finished
                }
                if !finished { semaphore.wait() }
            }
        }
        if let error = task.sync.withLock({ $0.error }) { throw error }
    }

    /// Waits until no submitted task is unfinished, then reports failures.
    func waitForAll() throws(DataflowError) {
        if let worker = currentWorker {
            throw .waitAllInsideTask(task: worker.current?.name ?? "?")
        }
        endRepetition()  // a repetition of an automatic trace does not span a wait for all tasks
        while outstanding.load(ordering: .acquiring) > 0 {
            let semaphore = DispatchSemaphore(value: 0)
            let idle = quiescence.withLock { q in
                if outstanding.load(ordering: .acquiring) == 0 { return true }
                q.semaphores.append(semaphore)
                return false
            }
            if idle { break }
            semaphore.wait()
        }
        try reportFailures()
    }

    /// The async form of ``waitForAll()``: suspends without blocking a thread.
    func waitForAll() async throws(DataflowError) {
        if let worker = currentWorker {
            throw .waitAllInsideTask(task: worker.current?.name ?? "?")
        }
        endRepetition()  // a repetition of an automatic trace does not span a wait for all tasks
        while outstanding.load(ordering: .acquiring) > 0 {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let idle = quiescence.withLock { q in
                    if outstanding.load(ordering: .acquiring) == 0 { return true }
                    q.continuations.append(continuation)
                    return false
                }
                if idle { continuation.resume() }
            }
        }
        try reportFailures()
    }

    func releaseThrottled() {
        let waiting = quiescence.withLock { q in
            throttled.store(false, ordering: .sequentiallyConsistent)
            defer { q.throttled = [] }
            return q.throttled
        }
        for s in waiting { s.signal() }
    }

    func notifyQuiescence() {
        let (semaphores, continuations, waiting) = quiescence.withLock { q in
            throttled.store(false, ordering: .sequentiallyConsistent)
            defer { q.semaphores = []; q.continuations = []; q.throttled = [] }
            return (q.semaphores, q.continuations, q.throttled)
        }
        for s in waiting { s.signal() }
        for s in semaphores { s.signal() }
        if stopping.load(ordering: .sequentiallyConsistent) {
            for _ in workers { parking.signal() }  // let parked workers see that all is done
        }
        for c in continuations { c.resume() }
    }

    /// Throws the first failure (in submission order; a task that threw before a dependent that
    /// was skipped) since the last report, and lets the trackers forget the failed tasks.
    func reportFailures() throws(DataflowError) {
        let failed = failures.withLock { f in
            defer { f = [] }
            return f
        }
        guard !failed.isEmpty else { return }
        var first: (rank: Int, id: Int, error: DataflowError)?
        for task in failed {
            task.acknowledged.store(true, ordering: .relaxed)
            guard let error = task.sync.withLock({ $0.error }) else { continue }
            let rank: Int
            if case .taskFailed = error { rank = 0 } else { rank = 1 }
            if first == nil || (rank, task.id) < (first!.rank, first!.id) {
                first = (rank, task.id, error)
            }
        }
        if let first { throw first.error }
    }
}
