extension _Runtime {
    /// Runs `node` at once on `worker`, the worker submitting it, when it is ready and short:
    /// OpenMP's undeferred task, for tasks that cost less to run than to hand to another worker.
    /// Returns false (nothing done) when it is not.
    ///
    /// Short: tasks of its name ran in ``inPlaceLimit`` nanoseconds or less on average (see
    /// ``_TaskLengths``). Ready: no unfinished earlier access conflicts with its accesses, in the
    /// trackers or among the tasks running in place now. Such a task needs neither a place in a
    /// queue, nor a dependency count, nor entries in the trackers — a task submitted later by this
    /// thread comes after it has finished. Tasks submitted meanwhile by other threads (or by the
    /// task itself) find it in ``_SubmissionState/inPlace`` and wait for it as for any other task.
    /// When it fails, its accesses are remembered in the trackers before its dependents can look,
    /// so that they fail as the dependents of any failed task do.
    ///
    /// Only ordinary host tasks qualify (not held, not replays, not recorded), whose accesses are
    /// not accumulates and need no copy between spaces, and not under automatic tracing.
    func runInPlace(_ node: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, on worker: _Worker) -> Bool {
        let admitted = submission.withLock { state -> Bool in
            state.inPlace.pruneSucceeded()
            for k in accesses.indices {
                let access = accesses.baseAddress.unsafelyUnwrapped + k
                if access.pointee.mode == .accumulate || !access.pointee.homeIsHost { return false }
                if !state.inPlace.isEmpty && state.inPlace.conflicts(with: access) { return false }
                let ready = state.tracker(for: access)._withUnsafeGuaranteedRef { tracker in
                    if access.pointee.spaceManaged && (tracker.validSpaces.count != 1 || tracker.validSpaces[0] != .host) {
                        return false  // a copy must come back first
                    }
                    return !tracker.blocks(box: access.pointee.box, mode: access.pointee.mode)
                }
                if !ready { return false }
            }
            for k in accesses.indices {
                let access = accesses.baseAddress.unsafelyUnwrapped + k
                node.accesses.append(_TaskAccess(access, mode: access.pointee.mode, tracker: state.tracker(for: access)))
            }
            state.inPlace.add(node, accesses)
            return true
        }
        guard admitted else { return false }

        let timed = tracing || worker.takesSample()
        let start = timed ? _nanoseconds() : 0
        let failure = runHere(node, on: worker)
        if failure == nil {
            recordWrites(of: node, on: worker)
            if timed { lengths.record(node.name, nanoseconds: _nanoseconds() &- start) }
        }
        countRun(of: node, on: worker, since: start, failed: failure != nil)
        worker.tasksRunInPlace.store(worker.tasksRunInPlace.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        guard let failure else {
            complete(node, error: nil, on: worker)
            return true
        }
        // From here on an ordinary submitted task: in flight, its accesses in the trackers.
        outstanding.wrappingAdd(1, ordering: .relaxed)
        _ = Unmanaged.passRetained(node)
        submission.withLock { state in
            for k in accesses.indices {
                let a = accesses.baseAddress.unsafelyUnwrapped + k
                state.tracker(for: a)._withUnsafeGuaranteedRef { $0.remember(node, box: a.pointee.box, mode: a.pointee.mode) }
            }
            state.inPlace.remove(node)
        }
        finish(node, error: failure, on: worker)
        return true
    }

    /// Runs the closure of `node` on `worker` as its current task, now; the failure, if it threw.
    @inline(__always)
    func runHere(_ node: _TaskNode, on worker: _Worker) -> DataflowError? {
        unowned(unsafe) let previous = worker.current
        worker.current = node
        defer { worker.current = previous }
        do { try node.run() } catch {
            return .taskFailed(task: node.name, id: node.id, reason: "\(error)")
        }
        return nil
    }
}
