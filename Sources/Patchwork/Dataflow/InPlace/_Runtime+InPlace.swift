extension _Runtime {
    /// Runs a task at once on `worker`, the worker submitting it, when it is ready and short:
    /// OpenMP's undeferred task, for tasks that cost less to run than to hand to another worker.
    /// `record` is the task's record, or nil for one of the worker's (see
    /// `_Worker.inPlaceRecord(name:space:)`); `run` runs the task's work. Returns the record the
    /// task ran in, or nil (nothing done) when it is not ready.
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
    func runInPlace(
        name: String, space: MemorySpace, _ accesses: UnsafeBufferPointer<_RawAccess>, record: _TaskNode?,
        on worker: _Worker, run: (_TaskNode) throws -> Void = { try $0.run() }
    ) -> _TaskNode? {
        let admitted = submission.withLock { state -> _TaskNode? in
            state.inPlace.pruneSucceeded()
            for k in accesses.indices {
                let access = accesses.baseAddress.unsafelyUnwrapped + k
                if access.pointee.mode == .accumulate || !access.pointee.homeIsHost { return nil }
                if !state.inPlace.isEmpty && state.inPlace.conflicts(with: access) { return nil }
                let ready = state.tracker(for: access)._withUnsafeGuaranteedRef { tracker in
                    if access.pointee.spaceManaged && (tracker.validSpaces.count != 1 || tracker.validSpaces[0] != .host) {
                        return false  // a copy must come back first
                    }
                    return !tracker.blocks(box: access.pointee.box, mode: access.pointee.mode)
                }
                if !ready { return nil }
            }
            let (node, kept) = record.map { ($0, false) } ?? worker.inPlaceRecord(name: name, space: space)
            if record == nil { number(node) }
            for k in accesses.indices {
                let access = accesses.baseAddress.unsafelyUnwrapped + k
                node.accesses.append(_TaskAccess(access, mode: access.pointee.mode, tracker: state.tracker(for: access)))
            }
            state.inPlace.add(node, accesses, retaining: !kept)
            return node
        }
        guard let node = admitted else { return nil }

        let timed = tracing || worker.takesSample()
        let start = timed ? _nanoseconds() : 0
        worker.tasksRunInPlace.store(worker.tasksRunInPlace.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        do throws(DataflowError) {
            try runHere(node, on: worker, run)
        } catch {
            failInPlace(node, error, accesses, on: worker, since: start)
            return node
        }
        recordWrites(of: node, on: worker)
        if timed { lengths.record(node.name, nanoseconds: _nanoseconds() &- start) }
        countRun(of: node, on: worker, since: start, failed: false)
        complete(node, error: nil, on: worker)
        return node
    }

    /// Ends `node`, run in place, which failed with `error`: from here on it is an ordinary
    /// submitted task, in flight, with its accesses in the trackers, so that its dependents fail
    /// naming it. (Kept out of the success path, which then never copies an error.)
    private func failInPlace(
        _ node: _TaskNode, _ error: DataflowError, _ accesses: UnsafeBufferPointer<_RawAccess>, on worker: _Worker, since start: UInt64
    ) {
        countRun(of: node, on: worker, since: start, failed: true)
        outstanding.wrappingAdd(1, ordering: .relaxed)
        _ = Unmanaged.passRetained(node)
        submission.withLock { state in
            for k in accesses.indices {
                let a = accesses.baseAddress.unsafelyUnwrapped + k
                state.tracker(for: a)._withUnsafeGuaranteedRef { $0.remember(node, box: a.pointee.box, mode: a.pointee.mode) }
            }
            state.inPlace.remove(node)
        }
        finish(node, error: error, on: worker)
    }

    /// The task given by its work `run` (which its record does not hold), run in place as
    /// ``runInPlace(name:space:_:record:on:run:)`` does, in a record of the current worker's:
    /// the fixed-arity `submit` forms try this first. Returns the record, or nil when the task
    /// must be submitted as usual (nothing done; no need to try in place again).
    func runInPlace(
        name: String, space: MemorySpace, _ accesses: UnsafeBufferPointer<_RawAccess>, work run: (_TaskNode) throws -> Void
    ) -> _TaskNode? {
        guard !closed.load(ordering: .relaxed) && activeRecorder == nil && mayRunInPlace(name: name, space: space, accesses)
        else { return nil }
        for k in accesses.indices where !accesses[k].inBounds { return nil }
        return withCurrentWorker { worker in
            worker.flatMap { runInPlace(name: name, space: space, accesses, record: nil, on: $0, run: run) }
        }
    }

    /// True when a task named `name`, running in `space`, with `accesses`, may run in place (the
    /// checks made before the submission lock; it must also be submitted by a worker).
    @inline(__always)
    func mayRunInPlace(name: String, space: MemorySpace, _ accesses: UnsafeBufferPointer<_RawAccess>) -> Bool {
        inPlaceLimit > 0 && autoTracer == nil && !accesses.isEmpty && space == .host && lengths.isShort(name, limit: inPlaceLimit)
    }

    /// Runs `run` (by default the work of `node`) on `worker` with `node` as its current task,
    /// one level deeper (see `_Worker.inPlaceDepth`), now; throws the task's failure, if it threw.
    /// (A large error, thrown: the success path copies no optional error.)
    @inline(__always)
    func runHere(_ node: _TaskNode, on worker: _Worker, _ run: (_TaskNode) throws -> Void = { try $0.run() }) throws(DataflowError) {
        unowned(unsafe) let previous = worker.current
        worker.current = node
        worker.inPlaceDepth += 1
        defer {
            worker.inPlaceDepth -= 1
            worker.current = previous
        }
        do { try run(node) } catch {
            throw .taskFailed(task: node.name, id: node.id, reason: "\(error)")
        }
    }
}
