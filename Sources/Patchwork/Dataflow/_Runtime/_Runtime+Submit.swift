import Dispatch

extension _Runtime {
    /// Submits a task: checks its accesses, derives its dependencies from the outstanding
    /// accesses of the resources it names, and makes it runnable when it has none left.
    ///
    /// With `held`, the task also waits for ``releaseHold(_:)`` (an external event such as a
    /// message arrival) before it can run.
    ///
    /// `accesses` is consumed: the caller's array (usually a temporary) becomes the task's, with no
    /// copy. A task without accesses takes the fast path of ``submit(name:space:held:body:)``.
    func submit(
        name: String, space: MemorySpace, accesses: consuming [_RawAccess], held: Bool = false,
        body: @escaping (_TaskContext) throws -> Void
    ) throws(DataflowError) -> _TaskNode {
        if closed.load(ordering: .relaxed) { throw .graphShutDown }
        if accesses.isEmpty {
            return submitUnlinked(_TaskNode(
                id: nextTaskID.wrappingAdd(1, ordering: .relaxed).oldValue, name: name, graphID: id,
                space: space, accesses: [], pending: held ? 1 : 0, body: body), held: held)
        }
        for k in accesses.indices where !accesses[k].inBounds {
            throw .accessOutOfBounds(
                resource: accesses[k].resource.dataflowName, region: accesses[k].box.description,
                bounds: accesses[k].boundsDescription)
        }
        let worker = currentWorker
        outstanding.wrappingAdd(1, ordering: .relaxed)
        var accesses = consume accesses
        // `pending` starts biased (edges are counted, not added one by one) and is settled once.
        let (node, edges) = submission.withLock { state in
            let node = _TaskNode(
                id: nextTaskID.wrappingAdd(1, ordering: .relaxed).oldValue, name: name, graphID: id,
                space: space, accesses: [], pending: _TaskNode.pendingBias + (held ? 1 : 0), body: body)
            var edges = 0
            accesses.withUnsafeMutableBufferPointer { accesses in
                for k in accesses.indices {
                    let tracker = state.tracker(for: accesses[k])
                    accesses[k].tracker = tracker
                    var box = accesses[k].box
                    var mode = accesses[k].mode
                    if accesses[k].spaceManaged {
                        if !tracker.validSpaces.contains(space) {
                            // The copy reads the whole source copy and writes the whole destination one.
                            let home = tracker.resource.homeSpace
                            let source = tracker.validSpaces.contains(home) ? home : tracker.validSpaces[0]
                            node.copies.append((tracker, source))
                            tracker.validSpaces.append(space)
                            box = tracker.bounds
                            mode = .readWrite
                        }
                        if accesses[k].mode.writes && (tracker.validSpaces.count != 1 || tracker.validSpaces[0] != space) {
                            tracker.validSpaces = [space]
                        }
                    }
                    if accesses[k].mode == .accumulate && !node.commuteTrackers.contains(where: { $0 === tracker }) {
                        node.commuteTrackers.append(tracker)
                    }
                    edges += tracker.register(node, box: box, mode: mode)
                }
            }
            node.accesses = accesses
            state.edges += edges
            return (node, edges)
        }
        if node.commuteTrackers.count > 1 {
            node.commuteTrackers.sort { ObjectIdentifier($0) < ObjectIdentifier($1) }
        }
        if node.pending.wrappingSubtract(_TaskNode.pendingBias - edges, ordering: .acquiringAndReleasing).newValue == 0 {
            if let worker, outstanding.load(ordering: .relaxed) > maxOutstanding {
                // Too far ahead: run the ready task now, in place (OpenMP's undeferred task).
                execute(node, on: worker)
                return node
            }
            schedule(node, from: worker)
        }
        throttle(worker)
        return node
    }

    /// Submits a task without accesses: no dependencies, so no submission lock and no
    /// dependency count to settle; it is runnable at once (unless `held`).
    func submit(
        name: String, space: MemorySpace, held: Bool = false, body: @escaping () throws -> Void
    ) throws(DataflowError) -> _TaskNode {
        if closed.load(ordering: .relaxed) { throw .graphShutDown }
        let node = _TaskNode(
            id: nextTaskID.wrappingAdd(1, ordering: .relaxed).oldValue, name: name, graphID: id,
            space: space, accesses: [], pending: held ? 1 : 0, body: nil, plainBody: body)
        if !held && !tracing && outstanding.load(ordering: .relaxed) > maxOutstanding, let worker = currentWorker {
            runUndeferred(node, body: body, on: worker)
            return node
        }
        return submitUnlinked(node, held: held)
    }

    /// Runs a task without accesses at once, in the submitting worker (OpenMP's undeferred task,
    /// past the throttle): it has no dependencies and, until it returns, no handle exists, so no
    /// one can wait for it — a success only sets its status; a failure is reported as usual.
    private func runUndeferred(_ node: _TaskNode, body: () throws -> Void, on worker: _Worker) {
        node.plainBody = nil
        unowned(unsafe) let previous = worker.current
        worker.current = node
        var failure: DataflowError?
        do { try body() } catch {
            failure = .taskFailed(task: node.name, id: node.id, reason: "\(error)")
        }
        worker.current = previous
        worker.tasksRun.store(worker.tasksRun.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        if let failure {
            outstanding.wrappingAdd(1, ordering: .relaxed)
            finish(node, error: failure, on: worker)
        } else {
            node.status.store(1, ordering: .releasing)
        }
    }

    /// Publishes a task without accesses (ready unless `held`).
    @inline(__always)
    private func submitUnlinked(_ node: _TaskNode, held: Bool) -> _TaskNode {
        let count = outstanding.wrappingAdd(1, ordering: .relaxed).newValue
        if held { return node }
        let worker = currentWorker
        if let worker, count > maxOutstanding {
            // Too far ahead: run it now, in place (OpenMP's undeferred task).
            execute(node, on: worker)
            return node
        }
        schedule(node, from: worker)
        throttle(worker)
        return node
    }

    /// Keeps the number of unfinished tasks bounded: a worker that submits too far ahead runs
    /// ready tasks meanwhile (while there are any); another thread sleeps a little.
    @inline(__always)
    func throttle(_ worker: _Worker?) {
        guard outstanding.load(ordering: .relaxed) > maxOutstanding else { return }
        let low = maxOutstanding / 2
        if let worker {
            help(worker, untilIdle: true) { outstanding.load(ordering: .relaxed) <= low }
        } else {
            // Sleep until the workers have brought the count down to `low`.
            while outstanding.load(ordering: .acquiring) > low && !stopping.load(ordering: .relaxed) {
                let semaphore = DispatchSemaphore(value: 0)
                let registered = quiescence.withLock { q in
                    throttled.store(true, ordering: .sequentiallyConsistent)
                    if outstanding.load(ordering: .sequentiallyConsistent) <= low { return false }
                    q.throttled.append(semaphore)
                    return true
                }
                if registered { semaphore.wait() }
            }
        }
    }
}

extension _SubmissionState {
    /// The tracker of the access's resource, made on first use.
    @inline(__always)
    mutating func tracker(for access: _RawAccess) -> _AccessTracker {
        if let t = recent.0, t.identity == access.identity { return t }
        if let t = recent.1, t.identity == access.identity {
            recent = (t, recent.0)
            return t
        }
        let tracker: _AccessTracker
        if let known = trackers[access.identity] {
            tracker = known
        } else {
            tracker = _AccessTracker(resource: access.resource)
            trackers[access.identity] = tracker
        }
        recent = (tracker, recent.0)
        return tracker
    }
}
