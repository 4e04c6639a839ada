#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The thread-local slot holding the current thread's worker (nil on other threads).
let _workerKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// One worker thread of a runtime: its deque, counters and trace buffer.
final class _Worker: @unchecked Sendable {
    let index: Int
    let runtimeID: Int
    unowned(unsafe) let runtime: _Runtime
    /// Random state for choosing victims (touched only by the worker's own thread).
    @exclusivity(unchecked) var random: UInt64
    /// The task the worker runs now (own thread only). Unowned: it is set only while `execute`
    /// (whose caller holds the task) runs it.
    @exclusivity(unchecked) unowned(unsafe) var current: _TaskNode?
    let tasksRun = Atomic<Int>(0)
    /// Tasks run in place when this worker submitted them (see `_Runtime+InPlace.swift`).
    let tasksRunInPlace = Atomic<Int>(0)
    /// Runs left until the next one is timed for ``_Runtime/lengths`` (own thread only).
    @exclusivity(unchecked) var runsUntilSample = 1
    /// Records of the tasks this worker ran in place, one per level of nesting, kept for the next
    /// ones (see ``inPlaceRecord(name:space:)``; own thread only).
    @exclusivity(unchecked) private var inPlaceRecords: InlineArray<4, _TaskNode?> = [nil, nil, nil, nil]
    /// How many tasks run on this worker's thread now, one inside the other, outside its loop (in
    /// place or undeferred, see `_Runtime.runHere`; own thread only).
    @exclusivity(unchecked) var inPlaceDepth = 0
    let steals = Atomic<Int>(0)
    let trace = _Lock<[DataflowTraceEvent]>([])
    var thread: pthread_t?
    // The queue, which other workers read and write, on cache lines of its own (the fields above
    // are the owner's).
    private let _pad0 = _CacheLinePad()
    let queue = _WorkQueue()
    private let _pad1 = _CacheLinePad()

    init(index: Int, runtime: _Runtime) {
        self.index = index
        self.runtimeID = runtime.id
        self.runtime = runtime
        self.random = 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)
    }

    /// `body` on the worker (of any runtime) running the current thread, or nil, without
    /// retaining it (its thread holds it).
    @inline(__always)
    static func withCurrent<T>(_ body: (_Worker?) -> T) -> T {
        guard let raw = pthread_getspecific(_workerKey) else { return body(nil) }
        return Unmanaged<_Worker>.fromOpaque(raw)._withUnsafeGuaranteedRef(body)
    }

    /// True for one run in 16: that one is timed, for the runtime's estimates of task lengths.
    @inline(__always)
    func takesSample() -> Bool {
        runsUntilSample -= 1
        if runsUntilSample > 0 { return false }
        runsUntilSample = 16
        return true
    }

    /// A record for a task this worker runs in place at its current depth, and whether the worker
    /// keeps it: the record of the last task run in place at that depth, when its task succeeded
    /// and nothing references the record any more (no handle to it is left, and the runtime's list
    /// of tasks in place has dropped it: the caller holds the submission lock and has pruned that
    /// list), else a new one, kept for the next task (a failed task's record keeps its failure).
    /// Saves allocating, initialising and freeing a record per task. Past the kept depths, a new
    /// record the worker does not keep.
    @inline(__always)
    func inPlaceRecord(name: String, space: MemorySpace) -> (record: _TaskNode, kept: Bool) {
        let depth = inPlaceDepth
        guard depth < inPlaceRecords.count else { return (_TaskNode(name: name, space: space), false) }
        if isKnownUniquelyReferenced(&inPlaceRecords[depth]), let record = inPlaceRecords[depth], record.succeeded {
            record.reuse(name: name, space: space)
            return (record, true)
        }
        let record = _TaskNode(name: name, space: space)
        inPlaceRecords[depth] = record
        return (record, true)
    }

    @inline(__always)
    func nextRandom() -> UInt64 {
        random ^= random << 13
        random ^= random >> 7
        random ^= random << 17
        return random
    }
}

/// Monotonic time in nanoseconds.
@inline(__always)
func _nanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}
