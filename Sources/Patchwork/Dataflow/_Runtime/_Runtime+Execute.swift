import Dispatch

extension _Runtime {
    /// Runs a ready task on `worker`: takes its accumulate locks, makes its copies, runs its
    /// closure, records versions, and finishes it.
    func execute(_ task: _TaskNode, on worker: _Worker) {
        if case .member(let recording, let index) = task.replay {
            recording._withUnsafeGuaranteedRef { executeRecorded(task, of: $0, index: index, on: worker) }
            return
        }
        if case .trace(let instance) = task.replay {
            executeGate(task, of: instance, on: worker)
            return
        }
        if task.poisoned.load(ordering: .acquiring) {
            let root = task.failureRoot
            task.dropWork()
            finish(task, error: .dependencyFailed(
                task: task.name, id: task.id, failedTask: root.name, failedID: root.id), on: worker)
            return
        }
        if !task.commuteTrackers.isEmpty && !acquireCommuteLocks(task) { return }
        let timed = tracing || (inPlaceLimit > 0 && worker.takesSample())
        let start = timed ? _nanoseconds() : 0
        unowned(unsafe) let previous = worker.current
        worker.current = task
        var failure = task.copies.isEmpty ? nil : makeCopies(for: task)
        if failure == nil {
            do { try task.run() } catch {
                failure = .taskFailed(task: task.name, id: task.id, reason: "\(error)")
            }
        } else {
            task.dropWork()  // a copy failed: the work never runs
        }
        worker.current = previous
        if failure == nil {
            recordWrites(of: task, on: worker)
            if timed && inPlaceLimit > 0 && task.copies.isEmpty { lengths.record(task.name, nanoseconds: _nanoseconds() &- start) }
        }
        if !task.commuteTrackers.isEmpty { releaseCommuteLocks(task, on: worker) }
        countRun(of: task, on: worker, since: start, failed: failure != nil)
        if failure == nil, case .replay(let recording) = task.replay {
            launch(recording, as: task, on: worker)  // finishes after the replayed tasks
            return
        }
        finish(task, error: failure, on: worker)
    }

    /// Records the writes of `task`, which succeeded on `worker`: new versions of the resources
    /// whose copies the runtime manages, and where the data now is.
    @inline(__always)
    func recordWrites(of task: _TaskNode, on worker: _Worker) {
        task.accesses.forEach { access in
            guard access.mode.writes else { return }
            access.tracker._withUnsafeGuaranteedRef { tracker in
                if access.spaceManaged { tracker.recordWrite(in: task.space) }
                // Where the data is (read without touching the tracker's fields that
                // submission writes).
                if access.locates && tracker.lastWriter.load(ordering: .relaxed) != worker.index {
                    tracker.lastWriter.store(worker.index, ordering: .relaxed)
                }
            }
        }
    }

    /// Makes the copies `task` needs in its space before it runs; the failure, if one failed.
    func makeCopies(for task: _TaskNode) -> DataflowError? {
        for (tracker, source) in task.copies {
            do {
                try tracker.copy(from: source, to: task.space)
                copies.wrappingAdd(1, ordering: .relaxed)
            } catch {
                return .taskFailed(
                    task: task.name, id: task.id,
                    reason: "copy of \(tracker.resource.dataflowName) from \(source) to \(task.space) failed: \(error)")
            }
        }
        return nil
    }

    /// Counts a run of `task` on `worker` and, when tracing, records it (from `start`).
    @inline(__always)
    func countRun(of task: _TaskNode, on worker: _Worker, since start: UInt64, failed: Bool) {
        // Only this worker's thread writes its counters: no read-modify-write needed.
        worker.tasksRun.store(worker.tasksRun.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        guard tracing else { return }
        let event = DataflowTraceEvent(
            name: task.name, taskID: task.id, worker: worker.index,
            startNanoseconds: start &- traceOrigin, endNanoseconds: _nanoseconds() &- traceOrigin, failed: failed)
        worker.trace.withLock { $0.append(event) }
    }

    /// Marks the task finished, releases its successors (poisoning them if it failed), wakes
    /// whoever waits for it, and ends its in-flight reference (see ``_Runnable``): the caller must
    /// not use `task` afterwards unless it holds a reference of its own. A task of the runtime's
    /// own (a repetition's, see ``_TraceInstance``) is not `counted` among failed or unfinished tasks.
    func finish(_ task: _TaskNode, error: DataflowError?, on worker: _Worker?, counted: Bool = true) {
        complete(task, error: error, on: worker, counted: counted)
        if !counted {
            Unmanaged.passUnretained(task).release()
            return
        }
        let left = outstanding.wrappingSubtract(1, ordering: .sequentiallyConsistent).newValue
        if left == 0 { notifyQuiescence() }
        if left <= maxOutstanding / 2 && throttled.load(ordering: .sequentiallyConsistent) { releaseThrottled() }
        Unmanaged.passUnretained(task).release()
    }

    /// The part of ``finish(_:error:on:counted:)`` that does not end the in-flight reference: marks
    /// the task finished, releases (or poisons) its successors and wakes whoever waits for it.
    func complete(_ task: _TaskNode, error: DataflowError?, on worker: _Worker?, counted: Bool = true) {
        var successors = _Successors()
        var waiters: [DispatchSemaphore] = []
        task.sync.withLock { s in
            if let error { s.error = error }
            task.status.store(error == nil ? 1 : 2, ordering: .releasing)
            swap(&successors, &s.successors)
            if !s.waiters.isEmpty { swap(&waiters, &s.waiters) }
        }
        if error != nil {
            if counted { tasksFailed.wrappingAdd(1, ordering: .relaxed) }
            failures.withLock { $0.append(task) }
            let root = task.failureRoot
            successors.forEach { $0.poison(by: root) }
        }
        successors.forEach { successor in
            if successor.pending.wrappingSubtract(1, ordering: .acquiringAndReleasing).oldValue == 1 {
                schedule(successor, from: worker)
            }
        }
        for waiter in waiters { waiter.signal() }
        if case .traced(let instance, let index) = task.replay {
            let root = error == nil ? (task.name, task.id) : task.failureRoot
            instance._withUnsafeGuaranteedRef { $0.finished(index, failed: error != nil, root: root, runtime: self, on: worker) }
        }
    }

    /// Takes the accumulate lock of every resource the task accumulates into, or none: when one
    /// is held, the task waits in that lock's queue and runs again when it is released.
    func acquireCommuteLocks(_ task: _TaskNode) -> Bool {
        for (k, tracker) in task.commuteTrackers.enumerated() {
            let got = tracker.commute.withLock { s in
                if s.held { s.waiters.append(task); return false }
                s.held = true
                return true
            }
            if !got {
                for earlier in task.commuteTrackers[..<k] { release(earlier, on: nil) }
                return false
            }
        }
        return true
    }

    func releaseCommuteLocks(_ task: _TaskNode, on worker: _Worker) {
        for tracker in task.commuteTrackers { release(tracker, on: worker) }
    }

    private func release(_ tracker: _AccessTracker, on worker: _Worker?) {
        let waiters = tracker.commute.withLock { s in
            s.held = false
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { schedule(waiter, from: worker ?? currentWorker) }
    }
}
