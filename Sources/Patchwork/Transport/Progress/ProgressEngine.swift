import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Advances a transport's outstanding messages and runs a callback when each completes, either
/// when asked (``poll()``, e.g. between tasks) or from its own communication thread (``start()``).
///
/// ```swift
/// let progress = ProgressEngine(transport: comm)
/// progress.watch(try comm.receive(into: ghost, from: left, tag: 3)) { error in
///     if error == nil { scheduler.release(unpackTask) }
/// }
/// progress.start()            // a thread polling MPI_Testsome
/// ...
/// progress.stop()
/// ```
///
/// Semantics: each watched request's callback runs exactly once, on the thread that polled,
/// outside the engine's lock (a callback may watch new requests), with nil on success or the
/// message's ``TransportError``. If testing itself fails, every watched callback gets that error.
/// Thread-safe. The thread keeps the engine alive until ``stop()``; stop it before the process
/// exits (MPI is finalised at exit).
///
/// - Complexity: one ``poll()`` is one `testSome` over all watched requests, O(watched).
public final class ProgressEngine: Sendable {
    /// Runs when a watched request completes: nil on success, otherwise why it failed.
    public typealias Callback = @Sendable (TransportError?) -> Void

    struct State {
        var requests: [TransportRequest] = []
        var callbacks: [Callback] = []
        var completions: [TransportCompletion] = []
    }

    /// The transport whose requests this engine advances.
    public let transport: any Transport
    let state = _Lock(State())
    let stopRequested = Atomic<Bool>(false)
    let threadRunning = Atomic<Bool>(false)

    /// An engine for `transport`'s requests; no thread runs until ``start()``.
    public init(transport: any Transport) {
        self.transport = transport
    }

    deinit {
        stop()
    }

    /// Runs `callback` once `request` completes (found by a later ``poll()``).
    public func watch(_ request: TransportRequest, onCompletion callback: @escaping Callback) {
        state.withLock { state in
            state.requests.append(request)
            state.callbacks.append(callback)
        }
    }

    /// The number of watched requests not yet completed.
    public var pending: Int { state.withLock { $0.requests.count } }

    /// Tests every watched request once (`MPI_Testsome` for MPI) and runs the callbacks of those
    /// completed; returns how many completed.
    @discardableResult
    public func poll() -> Int {
        let transport = transport
        let fired: [(Callback, TransportError?)] = state.withLock { state in
            guard !state.requests.isEmpty else { return [] }
            state.completions.removeAll(keepingCapacity: true)
            do throws(TransportError) {
                try transport.testSome(state.requests, completions: &state.completions)
            } catch {
                let all = state.callbacks.map { ($0, Optional(error)) }
                state.requests.removeAll()
                state.callbacks.removeAll()
                return all
            }
            guard !state.completions.isEmpty else { return [] }
            state.completions.sort { $0.index > $1.index }
            var fired: [(Callback, TransportError?)] = []
            fired.reserveCapacity(state.completions.count)
            for completion in state.completions {
                state.requests.remove(at: completion.index)
                fired.append((state.callbacks.remove(at: completion.index), completion.error))
            }
            return fired.reversed()
        }
        for (callback, error) in fired { callback(error) }
        return fired.count
    }

    /// Starts a communication thread that polls until ``stop()``: it yields the processor when a
    /// poll finds nothing complete and sleeps briefly when nothing is watched. Does nothing when
    /// the thread runs already.
    public func start() {
        guard threadRunning.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        stopRequested.store(false, ordering: .releasing)
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let engine = Unmanaged<ProgressEngine>.fromOpaque(argument!).takeRetainedValue()
            engine.run()
            return nil
        }, box.toOpaque())
        if result != 0 {
            box.release()
            threadRunning.store(false, ordering: .releasing)
        } else {
            pthread_detach(thread)
        }
    }

    /// Stops the communication thread and waits for it to finish its current poll.
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        while threadRunning.load(ordering: .acquiring) { usleep(50) }
    }

    /// Blocks (polling, or waiting for the thread) until no watched request is pending.
    public func waitUntilIdle() {
        while pending > 0 {
            if !threadRunning.load(ordering: .acquiring) { poll() }
            sched_yield()
        }
    }

    private func run() {
        while !stopRequested.load(ordering: .acquiring) {
            if poll() == 0 {
                if pending == 0 { usleep(100) } else { sched_yield() }
            }
        }
        threadRunning.store(false, ordering: .releasing)
    }
}
