/// A run of submitted tasks the runtime saw repeat, analysed once: what each task of the run
/// accesses (to recognise the next repetitions), the dependencies among them, and the run's
/// footprint (per resource, the bounding box of its accesses: what one repetition is ordered by).
///
/// Built from the tasks of one repetition as they were submitted (``_TraceCapture``): their
/// dependencies among themselves come from fresh trackers, as a ``DataflowRecording``'s do.
final class _TraceTemplate {
    /// The number of tasks (slots) of the run.
    let count: Int
    /// The accesses a task must declare, in order, to take slot `k`:
    /// `accesses[accessStart[k] ..< accessStart[k + 1]]`.
    private let accesses: UnsafeMutableBufferPointer<_TraceAccess>
    private let accessStart: UnsafeMutableBufferPointer<Int>
    /// What a task keeps of its accesses (the graph's trackers), given to each task taking slot `k`.
    let taskAccesses: UnsafeMutableBufferPointer<_TaskAccesses>
    /// The resources each slot accumulates into (empty for most).
    let commuteTrackers: [[_AccessTracker]]
    /// True when a slot accumulates (holds accumulate locks).
    let accumulates: Bool
    /// The number of earlier tasks of the run each task waits for.
    let dependencyCounts: UnsafeMutableBufferPointer<Int>
    /// The tasks that wait for task `k`: `successors[successorStart[k] ..< successorStart[k + 1]]`.
    let successors: UnsafeMutableBufferPointer<Int32>
    let successorStart: UnsafeMutableBufferPointer<Int>
    /// What one repetition accesses, as one task (see ``DataflowRecording``).
    let footprint: [_RawAccess]

    /// The template of the captured `slots`, whose dependencies among themselves `recording` (of
    /// placeholders, one per slot) derived.
    init(slots: [_TraceCapture.Slot], analysed recording: DataflowRecording) {
        count = slots.count
        let flat = slots.flatMap(\.accesses)
        accesses = .allocate(capacity: flat.count)
        _ = accesses.initialize(from: flat)
        accessStart = .allocate(capacity: count + 1)
        var n = 0
        for k in 0..<count {
            accessStart[k] = n
            n += slots[k].accesses.count
        }
        accessStart[count] = n
        taskAccesses = .allocate(capacity: count)
        _ = taskAccesses.initialize(from: slots.map(\.taskAccesses))
        commuteTrackers = slots.map(\.commuteTrackers)
        accumulates = commuteTrackers.contains { !$0.isEmpty }
        var table: [Int32] = []
        var start: [Int] = []
        for k in 0..<count {
            start.append(table.count)
            recording.forEachSuccessor(of: k) { successor in
                guard case .member(_, let index) = successor.replay else { preconditionFailure("not a recorded task") }
                table.append(Int32(index))
            }
        }
        start.append(table.count)
        dependencyCounts = .allocate(capacity: count)
        _ = dependencyCounts.initialize(from: recording.dependencyCounts)
        successorStart = .allocate(capacity: count + 1)
        _ = successorStart.initialize(from: start)
        successors = .allocate(capacity: table.count)
        _ = successors.initialize(from: table)
        // Without the recording's sequencer (its last access): repetitions are ordered by what
        // they access, and each has counters of its own.
        footprint = Array(recording.footprint.dropLast())
    }

    deinit {
        for k in 0..<count { taskAccesses[k].deallocate() }
        for buffer in [accessStart, dependencyCounts, successorStart] { buffer.deallocate() }
        accesses.deallocate()
        taskAccesses.deallocate()
        successors.deallocate()
    }

    /// True when the task in slot `j` depends on the one in slot `i`, directly or not.
    func leads(from i: Int, to j: Int) -> Bool {
        guard i < j else { return i == j }
        var reached = [Bool](repeating: false, count: j + 1)
        reached[i] = true
        for k in i..<j where reached[k] {  // successors come later in the run
            for s in successorStart[k]..<successorStart[k + 1] where Int(successors[s]) <= j {
                reached[Int(successors[s])] = true
            }
        }
        return reached[j]
    }

    /// True when `submitted` are the accesses of slot `k`.
    @inline(__always)
    func matches(_ k: Int, _ submitted: UnsafeBufferPointer<_RawAccess>) -> Bool {
        let first = accessStart[k]
        guard accessStart[k + 1] - first == submitted.count else { return false }
        for i in 0..<submitted.count where !accesses[first + i].matches(submitted.baseAddress.unsafelyUnwrapped + i) {
            return false
        }
        return true
    }
}

/// One access of a template slot, compared field by field with a submitted access.
struct _TraceAccess {
    let identity: ObjectIdentifier
    let box: DataflowBox
    let mode: AccessMode
    let spaceManaged: Bool

    init(_ access: UnsafePointer<_RawAccess>) {
        identity = access.pointee.identity
        box = access.pointee.box
        mode = access.pointee.mode
        spaceManaged = access.pointee.spaceManaged
    }

    @inline(__always)
    func matches(_ access: UnsafePointer<_RawAccess>) -> Bool {
        access.pointee.identity == identity && access.pointee.mode == mode && access.pointee.box == box
            && access.pointee.spaceManaged == spaceManaged
    }

    /// The hash the period detector keys tasks by.
    static func hash(_ accesses: UnsafeBufferPointer<_RawAccess>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        @inline(__always) func mix(_ v: UInt64) { h = (h ^ v) &* 0x1000_0000_01B3 }
        for k in 0..<accesses.count {
            let a = accesses.baseAddress.unsafelyUnwrapped + k
            mix(UInt64(UInt(bitPattern: a.pointee.identity.hashValue)))
            mix(UInt64(a.pointee.mode.rawValue) | (a.pointee.spaceManaged ? 0x100 : 0))
            for i in 0..<4 {
                mix(UInt64(bitPattern: Int64(a.pointee.box.lower[i])))
                mix(UInt64(bitPattern: Int64(a.pointee.box.upper[i])))
            }
        }
        return h ^ (h >> 29)
    }
}
