import Dispatch

extension _Runtime {
    /// Submits a task: checks its accesses, derives its dependencies from the outstanding
    /// accesses of the resources it names, and makes it runnable when it has none left.
    ///
    /// With `held`, the task also waits for ``releaseHold(_:)`` (an external event such as a
    /// message arrival) before it can run. The accesses are only read (the caller owns them,
    /// usually in stack storage); nothing of them but their trackers stays with the task.
    ///
    /// `inPlace` false: the task is not tried in place (its submitter just did).
    func submit(_ node: _TaskNode, accesses: UnsafeBufferPointer<_RawAccess>, held: Bool = false, inPlace: Bool = true) throws(DataflowError) {
        if closed.load(ordering: .relaxed) { throw .graphShutDown }
        for k in accesses.indices where !accesses[k].inBounds {
            throw .accessOutOfBounds(
                resource: accesses[k].resource.dataflowName, region: accesses[k].box.description,
                bounds: accesses[k].boundsDescription)
        }
        if let recorder = activeRecorder { return try record(node, accesses: accesses, held: held, into: recorder) }
        number(node)
        if inPlace && node.isOrdinaryHostTask(held: held) && mayRunInPlace(name: node.name, space: node.space, accesses),
           withCurrentWorker({ $0.flatMap { runInPlace(name: node.name, space: node.space, accesses, record: node, on: $0) } }) != nil {
            return
        }
        if accesses.isEmpty {
            node.pending.store(held ? 1 : 0, ordering: .relaxed)
            submitUnlinked(node, held: held)
            return
        }
        // The count as of this submission decides undeferred runs and throttling (no second read
        // of a counter the finishing workers write).
        let unfinished = outstanding.wrappingAdd(1, ordering: .relaxed).newValue
        // `pending` starts biased (edges are counted, not added one by one) and is settled once.
        node.pending.store(_TaskNode.pendingBias + (held ? 1 : 0), ordering: .relaxed)
        _ = Unmanaged.passRetained(node)  // in flight until finished
        var traced: Bool?  // nil: submitted as usual; else whether it can run now
        let edges = submission.withLock { state in
            if let autoTracer {
                traced = admitTraced(node, accesses, held: held, tracer: autoTracer, state: &state)
                if traced != nil { return 0 }
            }
            let edges = register(node, accesses, in: &state)
            state.edges += edges
            if let autoTracer { observe(node, accesses, held: held, tracer: autoTracer) }
            return edges
        }
        if let traced {
            publish(node, ready: traced, unfinished: unfinished)
            return
        }
        let ready = node.pending.wrappingSubtract(_TaskNode.pendingBias - edges, ordering: .acquiringAndReleasing).newValue == 0
        publish(node, ready: ready, unfinished: unfinished)
    }

    /// Makes a submitted task runnable when it is `ready` — in place when its submitter is a
    /// worker too far ahead (OpenMP's undeferred task), else in a queue — and throttles the
    /// submitter. `unfinished` is the count of unfinished tasks its submission left.
    @inline(__always)
    private func publish(_ node: _TaskNode, ready: Bool, unfinished: Int) {
        withCurrentWorker { worker in
            if ready {
                if let worker, unfinished > maxOutstanding {
                    execute(node, on: worker)
                    return
                }
                schedule(node, from: worker)
            }
            throttle(worker, unfinished: unfinished)
        }
    }

    /// Records every access of `node` in the trackers of `state` (the graph's, under the
    /// submission lock, or a recording's) and orders its accumulate locks; returns the number
    /// of edges added.
    @inline(__always)
    func register(_ node: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, in state: inout _SubmissionState) -> Int {
        var edges = 0
        for k in accesses.indices {
            let access = accesses.baseAddress.unsafelyUnwrapped + k
            state.tracker(for: access)._withUnsafeGuaranteedRef { tracker in
                edges += register(node, access, with: tracker)
            }
            if !state.inPlace.isEmpty { edges += state.inPlace.link(node, after: access) }
        }
        if node.commuteTrackers.count > 1 {
            node.commuteTrackers.sort { ObjectIdentifier($0) < ObjectIdentifier($1) }
        }
        return edges
    }

    /// Records `access` of `node` in its resource's tracker (under the submission lock): the copy
    /// to the task's space it needs first, if any, and the edges after earlier accesses, whose
    /// number it returns.
    @inline(__always)
    private func register(_ node: _TaskNode, _ access: UnsafePointer<_RawAccess>, with tracker: _AccessTracker) -> Int {
        // Fields are read in place (a copy of the access would copy its resource existential).
        let declared = access.pointee.mode
        let spaceManaged = access.pointee.spaceManaged
        var box = access.pointee.box
        var mode = declared
        node.accesses.append(_TaskAccess(access, mode: declared, tracker: .passUnretained(tracker)))
        let space = node.space
        if spaceManaged {
            if !tracker.validSpaces.contains(space) {
                // The copy reads the whole source copy and writes the whole destination one.
                let home = tracker.resource.homeSpace
                let source = tracker.validSpaces.contains(home) ? home : tracker.validSpaces[0]
                node.copies.append((tracker, source))
                tracker.validSpaces.append(space)
                box = tracker.bounds
                mode = .readWrite
            }
            if declared.writes && (tracker.validSpaces.count != 1 || tracker.validSpaces[0] != space) {
                tracker.validSpaces = [space]
            }
        }
        if declared == .accumulate && !node.commuteTrackers.contains(where: { $0 === tracker }) {
            node.commuteTrackers.append(tracker)
        }
        return tracker.register(node, box: box, mode: mode)
    }

    /// Submits a task with accesses in an array (the exchange and I/O tasks): see
    /// ``submit(_:accesses:held:)``.
    func submit(
        name: String, space: MemorySpace, accesses: [_RawAccess], held: Bool = false,
        body: @escaping (_TaskContext) throws -> Void
    ) throws(DataflowError) -> _TaskNode {
        let node = _TaskNode(name: name, space: space, work: _ContextBody(body))
        try accesses.withUnsafeBufferPointer { (accesses) throws(DataflowError) in
            try submit(node, accesses: accesses, held: held)
        }
        return node
    }

    /// Submits a task without accesses: no dependencies, so no submission lock and no
    /// dependency count to settle; it is runnable at once (unless `held`).
    func submit(
        name: String, space: MemorySpace, held: Bool = false, body: @escaping () throws -> Void
    ) throws(DataflowError) -> _TaskNode {
        if closed.load(ordering: .relaxed) { throw .graphShutDown }
        let node = _TaskNode(name: name, space: space, work: _PlainBody(body))
        if let recorder = activeRecorder {
            try record(node, accesses: UnsafeBufferPointer(start: nil, count: 0), held: held, into: recorder)
            return node
        }
        number(node)
        node.pending.store(held ? 1 : 0, ordering: .relaxed)
        if !held && !tracing
            && (outstanding.load(ordering: .relaxed) > maxOutstanding || (inPlaceLimit > 0 && lengths.isShort(name, limit: inPlaceLimit))),
           let worker = currentWorker {
            runUndeferred(node, on: worker)
            return node
        }
        submitUnlinked(node, held: held)
        return node
    }

    /// Runs a task without accesses at once, in the submitting worker (OpenMP's undeferred task,
    /// past the throttle or when tasks of its name are short, see `_Runtime+InPlace.swift`): it
    /// has no dependencies and, until it returns, no handle exists, so no
    /// one can wait for it — a success only sets its status; a failure is reported as usual.
    private func runUndeferred(_ node: _TaskNode, on worker: _Worker) {
        let timed = inPlaceLimit > 0 && worker.takesSample()
        let start = timed ? _nanoseconds() : 0
        worker.tasksRun.store(worker.tasksRun.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        worker.tasksRunInPlace.store(worker.tasksRunInPlace.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
        do throws(DataflowError) {
            try runHere(node, on: worker)
        } catch {
            outstanding.wrappingAdd(1, ordering: .relaxed)
            _ = Unmanaged.passRetained(node)  // finish ends the in-flight reference
            finish(node, error: error, on: worker)
            return
        }
        if timed { lengths.record(node.name, nanoseconds: _nanoseconds() &- start) }
        node.status.store(1, ordering: .releasing)
    }

    /// Gives `node` the next task number of this graph.
    @inline(__always)
    func number(_ node: _TaskNode) {
        node.id = nextTaskID.wrappingAdd(1, ordering: .relaxed).oldValue
        node.graphID = id
    }

    /// Publishes a task without accesses (ready unless `held`).
    @inline(__always)
    private func submitUnlinked(_ node: _TaskNode, held: Bool) {
        _ = Unmanaged.passRetained(node)  // in flight until finished
        let count = outstanding.wrappingAdd(1, ordering: .relaxed).newValue
        if held { return }
        publish(node, ready: true, unfinished: count)
    }

    /// Keeps the number of unfinished tasks bounded: a worker that submits too far ahead runs
    /// ready tasks meanwhile (while there are any); another thread sleeps a little. `unfinished`
    /// is the count the caller's submission left.
    @inline(__always)
    func throttle(_ worker: _Worker?, unfinished: Int) {
        guard unfinished > maxOutstanding else { return }
        // One worker drains every ready task: the tasks it submits next can then run in place.
        let low = workers.count == 1 ? 0 : maxOutstanding / 2
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
    /// The tracker of the access's resource, made on first use; unretained (`trackers` holds it).
    @inline(__always)
    mutating func tracker(for access: UnsafePointer<_RawAccess>) -> Unmanaged<_AccessTracker> {
        let identity = access.pointee.identity
        if let t = recent.0, t._withUnsafeGuaranteedRef({ $0.identity == identity }) { return t }
        if let t = recent.1, t._withUnsafeGuaranteedRef({ $0.identity == identity }) {
            recent = (t, recent.0)
            return t
        }
        let tracker: Unmanaged<_AccessTracker>
        if let known = trackers[identity] {
            tracker = .passUnretained(known)
        } else {
            let made = _makeTracker(for: access.pointee.resource)
            trackers[identity] = made
            tracker = .passUnretained(made)
        }
        recent = (tracker, recent.0)
        return tracker
    }
}
