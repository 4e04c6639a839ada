/// The tasks of one repetition being captured into a template: their accesses as submitted, and
/// their analysis among themselves in a recording of their own (placeholders that never run).
struct _TraceCapture {
    /// One captured task: its accesses as declared and as the task keeps them.
    struct Slot {
        let accesses: [_TraceAccess]
        let taskAccesses: _TaskAccesses
        let commuteTrackers: [_AccessTracker]
    }

    /// The detected period and the length of the template (a multiple of it).
    let period: Int
    let length: Int
    private(set) var slots: [Slot] = []
    private let recorder: _Recorder

    init(period: Int, length: Int, runtimeID: Int) {
        self.period = period
        self.length = length
        self.recorder = _Recorder(DataflowRecording(name: "trace", runtimeID: runtimeID))
    }

    var isComplete: Bool { slots.count == length }

    /// Adds the submitted `node` (registered in the graph's trackers) with its `accesses`.
    mutating func append(_ node: _TaskNode, _ accesses: UnsafeBufferPointer<_RawAccess>, runtime: _Runtime) {
        slots.append(Slot(
            accesses: accesses.indices.map { _TraceAccess(accesses.baseAddress.unsafelyUnwrapped + $0) },
            taskAccesses: node.accesses.copy(), commuteTrackers: node.commuteTrackers))
        let placeholder = _TaskNode(name: node.name, space: .host)
        placeholder.id = slots.count  // distinct serials for edge deduplication
        for k in accesses.indices { recorder.note(accesses.baseAddress.unsafelyUnwrapped + k) }
        let recording = recorder.recording
        recording.append(placeholder, dependencies: runtime.register(placeholder, accesses, in: &recording.trackers))
    }

    /// The template, once every slot is captured.
    func finish() -> _TraceTemplate {
        _TraceTemplate(slots: slots, analysed: recorder.finish())
    }
}
