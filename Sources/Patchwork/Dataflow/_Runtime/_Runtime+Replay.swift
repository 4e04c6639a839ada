#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension _Runtime {
    /// Records the tasks `body` submits on this thread (see ``DataflowRecording``).
    func record(name: String, _ body: () throws -> Void) throws -> DataflowRecording {
        if closed.load(ordering: .relaxed) { throw DataflowError.graphShutDown }
        let recorder = _Recorder(DataflowRecording(name: name, runtimeID: id))
        guard recordingThread.compareExchange(expected: 0, desired: _threadID(), ordering: .acquiring).exchanged else {
            throw DataflowError.notRecordable(task: name, reason: "another recording of this graph is in progress")
        }
        self.recorder = recorder
        defer {
            self.recorder = nil
            recordingThread.store(0, ordering: .releasing)
        }
        try body()
        return recorder.finish()
    }

    /// The recording in progress on this thread, if any (one relaxed load when there is none).
    @inline(__always)
    var activeRecorder: _Recorder? {
        let thread = recordingThread.load(ordering: .relaxed)
        if thread == 0 || thread != _threadID() { return nil }
        return recorder
    }

    /// Records `node` instead of submitting it: its dependencies on earlier recorded tasks come
    /// from the recording's own trackers (the graph's are not touched).
    func record(_ node: _TaskNode, accesses: UnsafeBufferPointer<_RawAccess>, held: Bool, into recorder: _Recorder) throws(DataflowError) {
        if held { throw .notRecordable(task: node.name, reason: "it waits for an external event (a message)") }
        if node.space != .host {
            throw .notRecordable(task: node.name, reason: "it runs in \(node.space); recorded tasks run on the host")
        }
        for access in accesses where access.spaceManaged && !access.homeIsHost {
            throw .notRecordable(
                task: node.name,
                reason: "\(access.resource.dataflowName) lives in \(access.resource.homeSpace); recorded tasks use resources at home on the host")
        }
        number(node)
        let recording = recorder.recording
        for k in accesses.indices { recorder.note(accesses.baseAddress.unsafelyUnwrapped + k) }
        recording.append(node, dependencies: register(node, accesses, in: &recording.trackers))
    }

    /// Submits a replay of `recording`: one task with the recording's accesses, which starts the
    /// recorded tasks when it runs and finishes after the last of them.
    func replay(_ recording: DataflowRecording) throws(DataflowError) -> _TaskNode {
        guard recording.runtimeID == id else { throw .foreignRecording(name: recording.name) }
        let node = _TaskNode(name: recording.name, space: .host)
        node.replay = .replay(recording)
        try recording.footprint.withUnsafeBufferPointer { (accesses) throws(DataflowError) in
            try submit(node, accesses: accesses)
        }
        return node
    }

    /// Starts a replay whose task `instance` is running on `worker`: readies the recorded tasks and
    /// queues those that wait for none.
    func launch(_ recording: DataflowRecording, as instance: _TaskNode, on worker: _Worker) {
        let roots = recording.prepare(instance: instance)
        for root in roots { worker.queue.push(root) }
        for _ in 0..<Swift.min(roots.count, workers.count - 1) { wakeOne() }
        arrive(recording, on: worker)
    }

    /// Runs recorded task number `index` of the replay in flight (unless a task it depends on
    /// failed in this replay), then counts down the tasks that wait for it.
    func executeRecorded(_ task: _TaskNode, of recording: DataflowRecording, index: Int, on worker: _Worker) {
        if !task.commuteTrackers.isEmpty && !acquireCommuteLocks(task) { return }
        var failed = task.poisoned.load(ordering: .acquiring)
        let start = tracing ? _nanoseconds() : 0
        if !failed {
            unowned(unsafe) let previous = worker.current
            worker.current = task
            do { try task.runKeepingWork() } catch {
                recording.fail(.taskFailed(task: task.name, id: task.id, reason: "\(error)"))
                failed = true
            }
            worker.current = previous
        }
        if !task.commuteTrackers.isEmpty { releaseCommuteLocks(task, on: worker) }
        countRun(of: task, on: worker, since: start, failed: failed)
        var woken = false
        recording.forEachSuccessor(of: index) { successor in
            if failed { successor.poisoned.store(true, ordering: .releasing) }
            if successor.pending.wrappingSubtract(1, ordering: .acquiringAndReleasing).oldValue == 1 {
                worker.queue.push(.passUnretained(successor))
                if !woken { wakeOne(); woken = true }
            }
        }
        arrive(recording, on: worker)
    }

    /// Counts one finished task (or the launch) of the replay in flight; the last one finishes
    /// the replay's task, with the replay's first failure.
    @inline(__always)
    private func arrive(_ recording: DataflowRecording, on worker: _Worker) {
        guard recording.remaining.wrappingSubtract(1, ordering: .acquiringAndReleasing).oldValue == 1 else { return }
        let error = recording.failure.withLock { $0 }
        recording.instance.unsafelyUnwrapped._withUnsafeGuaranteedRef { finish($0, error: error, on: worker) }
    }
}

/// An identifier of the calling thread (never 0).
@inline(__always)
func _threadID() -> UInt {
    #if canImport(Glibc)
    UInt(pthread_self())
    #else
    UInt(bitPattern: pthread_self())
    #endif
}
