#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSpinHint
import Dispatch
import Synchronization

/// The engine behind a ``DataflowGraph``: worker threads, queues, dependency trackers, counters.
///
/// Worker threads hold a reference to the runtime until they exit; the graph stops them in its
/// `deinit` (or ``DataflowGraph/shutdown()``), after which the runtime is freed.
final class _Runtime: @unchecked Sendable {
    static let nextID = Atomic<Int>(1)

    let id: Int
    let tracing: Bool
    let maxOutstanding: Int
    let traceOrigin: UInt64
    private(set) var workers: [_Worker] = []
    /// The workers again, unretained, for the scheduler's hot paths (see ``withWorker(_:_:)``).
    private let workerTable: UnsafeMutableBufferPointer<Unmanaged<_Worker>>
    private let _padInjection = _CacheLinePad()
    let injection = _WorkQueue()

    // Hot counters, each on its own cache line (the padding keeps writers of one from evicting
    // readers of another).
    private let _pad0 = _CacheLinePad()
    let sleepers = Atomic<Int>(0)
    private let _pad1 = _CacheLinePad()
    let outstanding = Atomic<Int>(0)
    private let _pad2 = _CacheLinePad()
    /// The id of the next task (ids count submissions, from 1).
    let nextTaskID = Atomic<Int>(1)
    private let _pad3 = _CacheLinePad()
    /// Set while a thread that is not a worker waits for the number of unfinished tasks to drop.
    let throttled = Atomic<Bool>(false)
    private let _pad4 = _CacheLinePad()

    // Parking.
    let parking = DispatchSemaphore(value: 0)
    let stopping = Atomic<Bool>(false)
    let closed = Atomic<Bool>(false)
    let stopped = _Lock(false)

    // Submission: the lock on a cache line of its own (workers read `stopping` above in every
    // look for work; sharing its line made every lock taken by a submitter a cache miss).
    private let _pad5 = _CacheLinePad()
    let submission = _Lock(_SubmissionState())
    private let _pad6 = _CacheLinePad()
    /// The thread recording tasks (0: none) and its recorder (see `_Runtime+Replay.swift`);
    /// `recorder` is used only by that thread.
    let recordingThread = Atomic<UInt>(0)
    @exclusivity(unchecked) var recorder: _Recorder?
    let quiescence = _Lock(_Quiescence())
    let failures = _Lock<[_TaskNode]>([])
    /// Automatic tracing (nil when off); its state is guarded by the submission lock.
    let autoTracer: _AutoTracer?
    /// Tasks whose name ran this many nanoseconds or less on average run in place when they are
    /// ready at submission (0: never; see `_Runtime+InPlace.swift`).
    let inPlaceLimit: UInt64
    /// Run times by task name, for ``inPlaceLimit``.
    let lengths = _TaskLengths()

    // Counters.
    /// Pollers of external events (message arrivals) that tasks are held for; see
    /// `_Runtime+External.swift`.
    let pollers = _Lock<[_Poller]>([])
    let pollerCount = Atomic<Int>(0)
    /// The number of tasks submitted.
    var tasksSubmitted: Int { nextTaskID.load(ordering: .relaxed) - 1 }
    let tasksFailed = Atomic<Int>(0)
    let copies = Atomic<Int>(0)

    init(workerCount: Int, tracing: Bool, maxOutstanding: Int, automaticTracing: Bool = false, inPlaceLimit: UInt64 = 0) {
        self.id = _Runtime.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.tracing = tracing
        self.inPlaceLimit = inPlaceLimit
        self.autoTracer = automaticTracing ? _AutoTracer() : nil
        self.maxOutstanding = maxOutstanding
        self.traceOrigin = _nanoseconds()
        self.workerTable = .allocate(capacity: workerCount)
        self.workers = (0..<workerCount).map { _Worker(index: $0, runtime: self) }
        for (k, worker) in workers.enumerated() { workerTable[k] = .passUnretained(worker) }
        for worker in workers { start(worker) }
    }

    private func start(_ worker: _Worker) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 16 << 20)
        let context = Unmanaged.passRetained(worker).toOpaque()
        _ = Unmanaged.passRetained(self)  // released when the thread exits
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let rc = pthread_create(&thread, &attributes, { raw in
            let worker = Unmanaged<_Worker>.fromOpaque(raw!).takeRetainedValue()
            pthread_setspecific(_workerKey, Unmanaged.passUnretained(worker).toOpaque())
            worker.runtime.workerLoop(worker)
            pthread_setspecific(_workerKey, nil)
            Unmanaged.passUnretained(worker.runtime).release()
            return nil
        }, context)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        worker.thread = thread
        pthread_attr_destroy(&attributes)
    }

    /// The worker of this runtime running the current thread, if any.
    @inline(__always)
    var currentWorker: _Worker? {
        withCurrentWorker { $0 }
    }

    /// `body` on the worker of this runtime running the current thread, or nil, without retaining
    /// it (the hot paths' form of ``currentWorker``).
    @inline(__always)
    func withCurrentWorker<T>(_ body: (_Worker?) -> T) -> T {
        _Worker.withCurrent { worker in body(worker?.runtimeID == id ? worker : nil) }
    }

    /// Stops the workers once every submitted task has finished; joins them unless called from
    /// one (then they finish the remaining tasks and exit on their own).
    func stop() {
        closed.store(true, ordering: .sequentiallyConsistent)
        endRepetition()
        let first = stopped.withLock { s in
            defer { s = true }
            return !s
        }
        guard first else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        for _ in workers { parking.signal() }
        let onWorker = currentWorker != nil
        for worker in workers {
            guard let thread = worker.thread else { continue }
            if onWorker { pthread_detach(thread) } else { pthread_join(thread, nil) }
        }
    }

    deinit {
        submission.withLock { $0.inPlace.removeAll() }
        workerTable.deallocate()
    }

    /// `body` on worker `k`, without retaining it (the runtime holds its workers).
    @inline(__always)
    func withWorker<T>(_ k: Int, _ body: (_Worker) -> T) -> T {
        workerTable[k]._withUnsafeGuaranteedRef(body)
    }

    /// Wakes one parked worker, if any is parked.
    @inline(__always)
    func wakeOne() {
        var s = sleepers.load(ordering: .sequentiallyConsistent)
        while s > 0 {
            let (exchanged, original) = sleepers.compareExchange(
                expected: s, desired: s - 1, ordering: .sequentiallyConsistent)
            if exchanged { parking.signal(); return }
            s = original
        }
    }

    /// Makes a ready task runnable: on the worker that last wrote most of its largest input (where
    /// that data is likely still in cache), else on the current worker (which just finished its
    /// last dependency), else on the injection queue.
    @inline(__always)
    func schedule(_ task: _TaskNode, from worker: _Worker?) {
        let preferred = preferredWorker(of: task)
        if preferred >= 0 && preferred < workerTable.count {
            withWorker(preferred) { target in
                // The preferred worker is busy (tasks queued) and this one has nothing queued:
                // running the task here now beats waiting there for the cache.
                if let worker, target !== worker, !target.queue.isEmpty, worker.queue.isEmpty {
                    worker.queue.push(.passUnretained(task))
                } else {
                    target.queue.push(.passUnretained(task))
                }
            }
        } else if let worker {
            worker.queue.push(.passUnretained(task))
        } else {
            injection.push(.passUnretained(task))
        }
        wakeOne()
    }

    /// The worker that last wrote (most of) the task's largest input, or -1.
    @inline(__always)
    func preferredWorker(of task: _TaskNode) -> Int {
        var best = -1
        var largest = 0
        task.accesses.forEach { access in
            if access.mode != .write && access.volume > largest {
                let last = access.tracker._withUnsafeGuaranteedRef { $0.lastWriter.load(ordering: .relaxed) }
                if last >= 0 { best = last; largest = access.volume }
            }
        }
        return best
    }

    /// A runnable task for `worker`: its own deque (newest first), the injection queue, then the
    /// oldest task of another worker. Empty queues are skipped without locking; other workers'
    /// queues are first only tried (a busy lock is skipped while another queue may have work).
    ///
    /// A worker that has just run out of work steals only from queues holding at least
    /// ``patientStealCount`` tasks (`patient`): a submitter pushing tasks of well under a
    /// microsecond keeps its queue's lock and its tasks in its own cache while the thief waits
    /// for a batch to build up (measured on 2 workers: a tenth less per stencil task, a quarter
    /// less with automatic tracing).
    @inline(__always)
    func findWork(_ worker: _Worker, blocking: Bool = false, patient: Bool = false) -> _Runnable? {
        if let task = worker.queue.popBack() { return task }
        if let task = injection.popFront() { return task }
        let n = workerTable.count
        if n > 1 {
            let start = Int(worker.nextRandom() % UInt64(n))
            var busy = -1
            for k in 0..<n {
                let v = (start + k) % n
                let stealable = withWorker(v) { victim in
                    victim !== worker && (patient ? victim.queue.count >= Self.patientStealCount : !victim.queue.isEmpty)
                }
                if !stealable { continue }
                if let task = withWorker(v, { blocking ? $0.queue.popFront() : $0.queue.tryPopFront() }) {
                    worker.steals.store(worker.steals.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
                    return task
                }
                busy = v
            }
            // Every queue with tasks had its lock taken: wait for the last one rather than spin
            // (a submitter pushing fast would otherwise keep thieves out).
            if busy >= 0, let task = withWorker(busy, { $0.queue.popFront() }) {
                worker.steals.store(worker.steals.load(ordering: .relaxed) &+ 1, ordering: .relaxed)
                return task
            }
        }
        return nil
    }

    /// A worker thread's life: run tasks, spin briefly when there are none, then park.
    func workerLoop(_ worker: _Worker) {
        var idle = 0
        var idleSince: UInt64 = 0
        while true {
            if let task = findWork(worker, patient: idle < Self.patientLooks) {
                task._withUnsafeGuaranteedRef { execute($0, on: worker) }
                idle = 0
                continue
            }
            if stopping.load(ordering: .relaxed) && outstanding.load(ordering: .acquiring) == 0 { return }
            if pollExternalEvents() { idle = 0; continue }
            // Look again for about `spinNanoseconds` (checking the clock every 16 rounds), yielding
            // the core after the first rounds — on a loaded machine a pure spin takes the time
            // slice the submitting worker needs (measured: slower) — then park.
            idle += 1
            // Between looks, wait a little: each look reads the other queues' counts, which their
            // owners write with every push (looking nonstop would move those lines back and forth).
            for _ in 0..<Self.spinHints { pw_spin_hint() }
            if idle == 1 { idleSince = _nanoseconds(); continue }
            if idle & 15 != 0 || _nanoseconds() &- idleSince < Self.spinNanoseconds {
                if idle > 64 { sched_yield() }
                continue
            }
            if pollerCount.load(ordering: .relaxed) > 0 { sched_yield(); continue }
            // Park: register, look once more, then sleep until a push wakes us.
            sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if let task = findWork(worker, blocking: true) {
                unregisterSleeper()
                task._withUnsafeGuaranteedRef { execute($0, on: worker) }
                idle = 0
                continue
            }
            if stopping.load(ordering: .sequentiallyConsistent) && outstanding.load(ordering: .sequentiallyConsistent) == 0 {
                unregisterSleeper()
                return
            }
            parking.wait()
            idle = 0
        }
    }

    /// How long an idle worker spins before it parks (a wake-up through the kernel costs tens of
    /// microseconds on a loaded machine).
    static var spinNanoseconds: UInt64 { 50_000 }

    /// The number of tasks a queue must hold for a worker that has just run out of work to steal
    /// from it, during its first ``patientLooks`` looks (see ``findWork(_:blocking:patient:)``).
    static var patientStealCount: Int { 32 }

    /// The looks (each about a tenth of a microsecond) during which an idle worker steals only
    /// from queues holding ``patientStealCount`` tasks; after them, it takes any task.
    static var patientLooks: Int { 8 }

    /// Spin-wait hints between two looks for work of an idle worker.
    static var spinHints: Int { 4 }

    /// Undoes a sleeper registration; if a waker already claimed it, consumes its wake-up.
    private func unregisterSleeper() {
        var s = sleepers.load(ordering: .sequentiallyConsistent)
        while s > 0 {
            let (exchanged, original) = sleepers.compareExchange(
                expected: s, desired: s - 1, ordering: .sequentiallyConsistent)
            if exchanged { return }
            s = original
        }
        parking.wait()
    }

    /// Runs other tasks on `worker` until `done()` holds (help-first waiting). With `untilIdle`,
    /// gives up as soon as no task is runnable.
    func help(_ worker: _Worker, untilIdle: Bool = false, until done: () -> Bool) {
        var idle = 0
        while !done() {
            if let task = findWork(worker) {
                task._withUnsafeGuaranteedRef { execute($0, on: worker) }
                idle = 0
                continue
            }
            if untilIdle { return }
            if pollExternalEvents() { idle = 0; continue }
            idle += 1
            if idle < 64 { continue }
            if idle < 512 { sched_yield(); continue }
            usleep(50)
        }
    }
}

/// The state guarded by the submission lock.
struct _SubmissionState {
    var trackers: [ObjectIdentifier: _AccessTracker] = [:]
    /// The two trackers looked up last (most tasks touch the same few resources).
    var recent: (Unmanaged<_AccessTracker>?, Unmanaged<_AccessTracker>?) = (nil, nil)
    var edges = 0
    /// Tasks that took their dependencies from an automatic trace.
    var traced = 0
    /// The tasks running in place now.
    var inPlace = _InPlaceTasks()
}

/// Threads and async callers waiting for every submitted task to finish.
struct _Quiescence {
    var semaphores: [DispatchSemaphore] = []
    /// Submitters waiting for the number of unfinished tasks to drop to half the limit.
    var throttled: [DispatchSemaphore] = []
    var continuations: [CheckedContinuation<Void, Never>] = []
}

/// 64 bytes of padding between hot atomics of a class (stored properties are laid out in order).
struct _CacheLinePad {
    private var words: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
}
