/// The runtime's side of automatic tracing (see ``_AutoTracer``).
extension _Runtime {
    /// Under the submission lock: puts `node` into the next slot of the repetition being filled,
    /// or starts a repetition with it. Returns whether the task can run now, or nil when it is
    /// submitted as usual (it matched no slot; a repetition being filled ends before it).
    @inline(__always)
    func admitTraced(
        _ node: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, held: Bool,
        tracer: _AutoTracer, state: inout _SubmissionState
    ) -> Bool? {
        guard let templateRef = tracer.templateRef else { return nil }
        let eligible = node.isOrdinaryHostTask(held: held)
        return templateRef._withUnsafeGuaranteedRef { template -> Bool? in
            if let openRef = tracer.openRef {
                let k = tracer.next
                if eligible && template.matches(k, accesses) {
                    tracer.next = k + 1
                    state.traced += 1
                    let ready = openRef._withUnsafeGuaranteedRef { place(node, in: $0, at: k) }
                    if k + 1 == template.count { tracer.open = nil }
                    return ready
                }
                endRepetition(tracer)
            }
            guard eligible && template.matches(0, accesses) else { return nil }
            let instance = startRepetition(of: template, state: &state)
            if template.count > 1 {
                tracer.open = instance
                tracer.next = 1
            }
            state.traced += 1
            return place(node, in: instance, at: 0)
        }
    }

    /// Gives `node` what slot `k` of `instance` knows of its accesses and counts its submission.
    @inline(__always)
    private func place(_ node: _TaskNode, in instance: _TraceInstance, at k: Int) -> Bool {
        node.accesses = instance.template.taskAccesses[k].copy()
        if instance.template.accumulates { node.commuteTrackers = instance.template.commuteTrackers[k] }
        node.replay = .traced(.passUnretained(instance), index: k)
        return instance.submit(node, at: k)
    }

    /// Submits the task that stands for a new repetition of `template` (under the submission
    /// lock): it runs once everything earlier that conflicts with the footprint has finished.
    /// It is not counted among unfinished tasks: its tasks are, and while the stream may still
    /// fill it, it must not keep ``waitForAll()`` waiting (whatever is submitted next either
    /// fills it or ends it).
    private func startRepetition(of template: _TraceTemplate, state: inout _SubmissionState) -> _TraceInstance {
        let gate = _TaskNode(name: "trace", space: .host)
        gate.graphID = id
        let instance = _TraceInstance(template: template, task: gate)
        gate.replay = .trace(instance)
        gate.pending.store(_TaskNode.pendingBias, ordering: .relaxed)
        _ = Unmanaged.passRetained(gate)  // in flight until finished
        let edges = template.footprint.withUnsafeBufferPointer { register(gate, $0, in: &state) }
        state.edges += edges
        if gate.pending.wrappingSubtract(_TaskNode.pendingBias - edges, ordering: .acquiringAndReleasing).newValue == 0 {
            schedule(gate, from: currentWorker)
        }
        return instance
    }

    /// Ends the repetition being filled, if any (under the submission lock): its empty slots are
    /// given up.
    func endRepetition(_ tracer: _AutoTracer) {
        guard let open = tracer.open else { return }
        tracer.open = nil
        open.truncate(at: tracer.next, runtime: self)
        tracer.detector.reset()
    }

    /// Ends the repetition being filled, so that its task can finish (before a wait for all
    /// tasks, which then reports its failures too, and when the graph stops).
    func endRepetition() {
        guard let autoTracer else { return }
        submission.withLock { _ in endRepetition(autoTracer) }
    }

    /// Under the submission lock, after `node` was submitted as usual: feeds its signature to the
    /// period detector, or to the capture of a template.
    func observe(_ node: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, held: Bool, tracer: _AutoTracer) {
        let eligible = node.isOrdinaryHostTask(held: held) && node.copies.isEmpty
            && accesses.allSatisfy(\.homeIsHost)
        guard eligible else {
            tracer.detector.reset()
            tracer.capture = nil
            return
        }
        let hash = _TraceAccess.hash(accesses)
        if let period = tracer.capture?.period {
            if tracer.detector.hash(back: period) != hash {
                tracer.capture = nil
            } else {
                tracer.capture!.append(node, accesses, runtime: self)
                if tracer.capture!.isComplete {
                    tracer.template = tracer.capture!.finish()
                    tracer.capture = nil
                }
            }
            _ = tracer.detector.observe(hash)
            return
        }
        if let period = tracer.detector.observe(hash) {
            let length = period * ((_AutoTracer.minimumLength + period - 1) / period)
            tracer.capture = _TraceCapture(period: period, length: length, runtimeID: id)
        }
    }

    /// Runs the task of a repetition: makes the copies its footprint needs, then opens the gate
    /// (when a task it depended on failed, every slot of the repetition is skipped).
    func executeGate(_ gate: _TaskNode, of instance: _TraceInstance, on worker: _Worker) {
        var root: (name: String, id: Int)?
        if gate.poisoned.load(ordering: .acquiring) {
            root = gate.failureRoot
        } else if makeCopies(for: gate) != nil {
            root = (gate.name, gate.id)
        }
        instance.open(failedBy: root, runtime: self, on: worker)
    }
}
