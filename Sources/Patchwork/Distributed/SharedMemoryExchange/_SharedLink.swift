internal import CMPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shared-memory path of one ``HaloExchange``: where each outgoing message is packed (this
/// rank's segment), where each incoming one is read (the sender's segment), the flags that hand a
/// message over (the sender's `ready` count, the receiver's `consumed` count), and the doorbells
/// that wake a rank waiting for them.
///
/// Protocol, per message, with two buffers used in turn (message `i` in buffer `i % 2`): the
/// sender waits until the receiver's `consumed` is at least `sent − 1` (the buffer it is about to
/// fill was read), packs, publishes `ready = sent + 1` (release) and rings the receiver's doorbell;
/// the receiver waits until `ready` exceeds what it has received (acquire), unpacks straight from
/// the sender's segment, publishes `consumed = received + 1` and rings the sender's doorbell. The
/// double buffer lets a sender run one exchange ahead of a receiver that has not unpacked yet. No
/// MPI call in the loop and no copy besides the pack and the unpack.
///
/// Direct transfer (arrays in shared memory, ``SharedMemoryTransfer/direct``): no buffers, the
/// same two flags per message. For message `i` the receiver opens its ghosts (`consumed = i + 1`:
/// it is done reading them); the sender writes straight into the receiver's ghost cells once they
/// are open, then publishes `ready = i + 1`; the receiver takes the message once published.
///
/// A rank that waits spins briefly, then sleeps on its doorbell (a process-shared futex on Linux)
/// until a peer rings it: ranks that outnumber the cores give the processor to the peers they wait
/// for and wake as soon as the message is there. A wait longer than `timeout` seconds throws
/// ``TransportError/timedOut(peer:seconds:)`` instead of hanging.
@usableFromInline
final class _SharedLink: @unchecked Sendable {
    let outBuffers: [UnsafeMutableRawPointer]
    let inBuffers: [UnsafeMutableRawPointer]
    /// The distance between a message's two buffers, per outgoing and incoming message.
    let outStrides: [Int]
    let inStrides: [Int]
    let myReady: [UnsafeMutablePointer<UInt64>]
    let peerConsumed: [UnsafeMutablePointer<UInt64>]
    let peerReady: [UnsafeMutablePointer<UInt64>]
    let myConsumed: [UnsafeMutablePointer<UInt64>]
    /// This rank's doorbell, and the doorbells of the receiver of each outgoing message and of the
    /// sender of each incoming one.
    let myBell: _SharedDoorbell
    let receiverBells: [_SharedDoorbell]
    let senderBells: [_SharedDoorbell]
    /// The ranks at the other end of each outgoing and incoming message (for errors).
    let receivers: [Int]
    let senders: [Int]
    /// The longest wait, in seconds, before a peer counts as gone.
    let timeout: Double
    /// Whether senders write straight into the receivers' shared arrays (else pack and unpack).
    @usableFromInline let direct: Bool
    /// Exchanges started with ``openAll()`` (direct transfer through start and finish).
    var epoch: UInt64 = 0
    /// Messages sent and received so far, per outgoing and incoming message. Plain memory, not
    /// arrays: tasks of different messages update their counts from different threads at once
    /// (the tasks of one message are ordered).
    let sent: UnsafeMutableBufferPointer<UInt64>
    let received: UnsafeMutableBufferPointer<UInt64>
    let segments: _MPISharedSegments

    init(segments: _MPISharedSegments, direct: Bool, timeout: Double,
         outBuffers: [UnsafeMutableRawPointer], inBuffers: [UnsafeMutableRawPointer], outStrides: [Int], inStrides: [Int],
         myReady: [UnsafeMutablePointer<UInt64>], peerConsumed: [UnsafeMutablePointer<UInt64>],
         peerReady: [UnsafeMutablePointer<UInt64>], myConsumed: [UnsafeMutablePointer<UInt64>],
         myBell: _SharedDoorbell, receivers: [(rank: Int, bell: _SharedDoorbell)], senders: [(rank: Int, bell: _SharedDoorbell)]) {
        self.segments = segments
        self.timeout = timeout
        self.direct = direct
        self.outBuffers = outBuffers
        self.inBuffers = inBuffers
        self.outStrides = outStrides
        self.inStrides = inStrides
        self.myReady = myReady
        self.peerConsumed = peerConsumed
        self.peerReady = peerReady
        self.myConsumed = myConsumed
        self.myBell = myBell
        self.receivers = receivers.map(\.rank)
        self.receiverBells = receivers.map(\.bell)
        self.senders = senders.map(\.rank)
        self.senderBells = senders.map(\.bell)
        sent = .allocate(capacity: outBuffers.count)
        sent.initialize(repeating: 0)
        received = .allocate(capacity: inBuffers.count)
        received.initialize(repeating: 0)
    }

    deinit {
        sent.deallocate()
        received.deallocate()
    }

    /// Whether outgoing buffer `k` may be packed (its receiver has read the previous message).
    @usableFromInline func isFree(_ k: Int) -> Bool { _sharedFlagLoad(peerConsumed[k]) &+ 1 >= sent[k] }
    /// Where outgoing message `k` is packed this time.
    @usableFromInline func outBuffer(_ k: Int) -> UnsafeMutableRawPointer { outBuffers[k] + Int(sent[k] & 1) * outStrides[k] }
    /// Where incoming message `k` is read this time.
    @usableFromInline func inBuffer(_ k: Int) -> UnsafeMutableRawPointer { inBuffers[k] + Int(received[k] & 1) * inStrides[k] }
    /// Publishes outgoing message `k` once packed, and wakes its receiver.
    @usableFromInline func publish(_ k: Int) {
        sent[k] &+= 1
        _sharedFlagStore(myReady[k], sent[k])
        receiverBells[k].ring()
    }
    /// Whether incoming message `k` of the current exchange has been published.
    @usableFromInline func isReady(_ k: Int) -> Bool { _sharedFlagLoad(peerReady[k]) > received[k] }
    /// Frees incoming message `k`'s buffer for its sender once unpacked, and wakes the sender.
    @usableFromInline func consume(_ k: Int) {
        received[k] &+= 1
        _sharedFlagStore(myConsumed[k], received[k])
        senderBells[k].ring()
    }

    /// Waits until outgoing buffer `k` is free.
    @usableFromInline func waitUntilFree(_ k: Int) throws(TransportError) {
        var waiter = _SharedWaiter()
        while true {
            let seen = myBell.count
            if isFree(k) { return }
            try waiter.idle(on: myBell, seen: seen, timeout: timeout, peer: receivers[k])
        }
    }

    /// Unpacks every incoming message as it is published (calling `unpack(k)` once per message,
    /// in the order they arrive).
    @usableFromInline func receiveAll(_ completed: inout [Bool], unpack: (Int) -> Void) throws(TransportError) {
        completed.removeAll(keepingCapacity: true)
        completed.append(contentsOf: repeatElement(false, count: inBuffers.count))
        var left = inBuffers.count
        var waiter = _SharedWaiter()
        while left > 0 {
            let seen = myBell.count
            var progressed = false
            for k in completed.indices where !completed[k] && isReady(k) {
                unpack(k)
                consume(k)
                completed[k] = true
                left -= 1
                progressed = true
            }
            if progressed {
                waiter = _SharedWaiter()
            } else if left > 0 {
                try waiter.idle(on: myBell, seen: seen, timeout: timeout, peer: senders[completed.firstIndex(of: false)!])
            }
        }
    }
}

extension _SharedLink {
    /// Opens this rank's ghosts of incoming message `k` to its sender for the next message
    /// (direct transfer): this rank is done reading them.
    @usableFromInline func open(_ k: Int) {
        _sharedFlagStore(myConsumed[k], received[k] &+ 1)
        senderBells[k].ring()
    }

    /// Whether the receiver of outgoing message `k` has opened its ghosts for the next message.
    @usableFromInline func canWrite(_ k: Int) -> Bool { _sharedFlagLoad(peerConsumed[k]) > sent[k] }

    /// Takes incoming message `k` as written when its sender has published it; true then.
    @usableFromInline func acceptWritten(_ k: Int) -> Bool {
        guard isReady(k) else { return false }
        received[k] &+= 1
        return true
    }

    /// Starts direct exchange `epoch + 1`: opens every incoming message's ghosts.
    @usableFromInline func openAll() {
        epoch &+= 1
        for k in myConsumed.indices { open(k) }
    }

    /// Writes (with `push(k)`) and publishes every outgoing message of this exchange whose
    /// receiver is open and that is not written yet; true when all are written.
    @usableFromInline @discardableResult
    func pushOpen(_ push: (Int) -> Void) -> Bool {
        var done = true
        for k in myReady.indices where sent[k] != epoch {
            if canWrite(k) {
                push(k)
                publish(k)
            } else {
                done = false
            }
        }
        return done
    }

    /// Ends a direct exchange: writes the outgoing messages as their receivers open, and waits
    /// until every sender has written this rank's ghosts.
    @usableFromInline func completeDirect(_ push: (Int) -> Void) throws(TransportError) {
        var waiter = _SharedWaiter()
        while true {
            let seen = myBell.count
            let pushed = pushOpen(push)
            var arrived = true
            for k in peerReady.indices where received[k] != epoch && !acceptWritten(k) { arrived = false }
            if pushed && arrived { return }
            let peer = pushed ? senders[received.firstIndex { $0 != epoch }!] : receivers[sent.firstIndex { $0 != epoch }!]
            try waiter.idle(on: myBell, seen: seen, timeout: timeout, peer: peer)
        }
    }
}

/// A doorbell in a shared segment: a count that peers bump when they publish or consume a
/// message of this rank, and the number of this rank's threads asleep on it.
@usableFromInline
struct _SharedDoorbell: @unchecked Sendable {
    let word: UnsafeMutablePointer<UInt32>

    var count: UInt32 { cmpi_doorbell_read(word) }
    func ring() { cmpi_doorbell_ring(word) }
    /// Sleeps while the count is still `seen`, at most `microseconds`.
    func sleep(ifStill seen: UInt32, microseconds: Int) { cmpi_doorbell_sleep(word, seen, microseconds) }
}

/// How a rank waits on its doorbell: a few polls (a peer on another core publishes within
/// microseconds), then sleeps of at most 10 ms until rung, until `timeout` seconds have passed.
struct _SharedWaiter {
    private var polls = 0
    private var since = 0.0

    mutating func idle(on bell: _SharedDoorbell, seen: UInt32, timeout: Double, peer: Int) throws(TransportError) {
        polls += 1
        if polls <= 32 { return }
        let now = _monotonicSeconds()
        if polls == 33 { since = now }
        if now - since > timeout { throw .timedOut(peer: peer, seconds: timeout) }
        bell.sleep(ifStill: seen, microseconds: 10_000)
    }
}

/// Seconds on the monotonic clock.
func _monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
