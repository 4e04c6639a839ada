/// The shared-memory path of one ``HaloExchange``: where each outgoing message is packed (this
/// rank's segment), where each incoming one is read (the sender's segment), and the flags that
/// hand a message over (the sender's `ready` count, the receiver's `consumed` count).
///
/// Protocol, per message, with two buffers used in turn (message `i` in buffer `i % 2`): the
/// sender waits until the receiver's `consumed` is at least `sent − 1` (the buffer it is about to
/// fill was read), packs, and publishes `ready = sent + 1` (release); the receiver waits until
/// `ready` exceeds what it has received (acquire), unpacks straight from the sender's segment, and
/// publishes `consumed = received + 1`. The double buffer lets a sender run one exchange ahead of
/// a receiver that has not unpacked yet. No MPI call in the loop and no copy besides
/// the pack and the unpack.
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
    var sent: [UInt64]
    var received: [UInt64]
    let segments: _MPISharedSegments

    init(segments: _MPISharedSegments, outBuffers: [UnsafeMutableRawPointer], inBuffers: [UnsafeMutableRawPointer],
         outStrides: [Int], inStrides: [Int],
         myReady: [UnsafeMutablePointer<UInt64>], peerConsumed: [UnsafeMutablePointer<UInt64>],
         peerReady: [UnsafeMutablePointer<UInt64>], myConsumed: [UnsafeMutablePointer<UInt64>]) {
        self.segments = segments
        self.outBuffers = outBuffers
        self.inBuffers = inBuffers
        self.outStrides = outStrides
        self.inStrides = inStrides
        self.myReady = myReady
        self.peerConsumed = peerConsumed
        self.peerReady = peerReady
        self.myConsumed = myConsumed
        sent = Array(repeating: 0, count: outBuffers.count)
        received = Array(repeating: 0, count: inBuffers.count)
    }

    /// Whether outgoing buffer `k` may be packed (its receiver has read the previous message).
    @usableFromInline func isFree(_ k: Int) -> Bool { _sharedFlagLoad(peerConsumed[k]) &+ 1 >= sent[k] }
    /// Where outgoing message `k` is packed this time.
    @usableFromInline func outBuffer(_ k: Int) -> UnsafeMutableRawPointer { outBuffers[k] + Int(sent[k] & 1) * outStrides[k] }
    /// Where incoming message `k` is read this time.
    @usableFromInline func inBuffer(_ k: Int) -> UnsafeMutableRawPointer { inBuffers[k] + Int(received[k] & 1) * inStrides[k] }
    /// Publishes outgoing message `k` once packed.
    @usableFromInline func publish(_ k: Int) {
        sent[k] &+= 1
        _sharedFlagStore(myReady[k], sent[k])
    }
    /// Whether incoming message `k` of the current exchange has been published.
    @usableFromInline func isReady(_ k: Int) -> Bool { _sharedFlagLoad(peerReady[k]) > received[k] }
    /// Frees incoming message `k`'s buffer for its sender once unpacked.
    @usableFromInline func consume(_ k: Int) {
        received[k] &+= 1
        _sharedFlagStore(myConsumed[k], received[k])
    }
}

extension HaloExchange {
    /// Switches this exchange, on every rank together, to MPI-3 shared memory when all ranks run
    /// on one node: each rank packs its messages into its own segment of a shared window and the
    /// receiver unpacks straight from the sender's segment, with a flag per message instead of
    /// MPI sends and receives (no copies through MPI's buffers, no rendezvous round trips).
    /// ``start()``, ``finish()``, ``run()`` and the dataflow tasks (``DataflowGraph/submit(_:name:)``)
    /// then use it; the message layout is unchanged.
    ///
    /// ```swift
    /// let exchange = try HaloExchange.collective(plan: motion, quantities: [.scalar(u)], communicator: comm)
    /// let shared = try exchange.useSharedMemory(comm)   // false across nodes: MPI messages stay
    /// for _ in 0..<steps { try exchange.run() }
    /// ```
    ///
    /// Call it collectively on an exchange built with ``collective(plan:quantities:communicator:mode:tag:pool:)``,
    /// with no exchange of it in flight or submitted. The window stays mapped until the process
    /// ends (see ``MPICommunicator``). A message whose size differs from what its receiver expects
    /// fails on every rank.
    ///
    /// - Returns: true when the shared-memory path is on (on every rank), false when the ranks
    ///   span several nodes.
    /// - Throws: ``DistributedError/exchange(_:)`` (``ExchangeError/alreadyInFlight``, or the size
    ///   mismatch as ``ExchangeError/transport(_:)``) on the failing ranks,
    ///   ``DistributedError/failedOnOtherRanks(firstRank:failingRanks:)`` on the others,
    ///   ``DistributedError/transport(_:)`` when MPI fails.
    /// - Complexity: collective: one communicator split, one window allocation, two barriers.
    public func useSharedMemory(_ communicator: MPICommunicator) throws(DistributedError) -> Bool {
        let rank = communicator.rank, size = communicator.size
        var local: ExchangeError? = nil
        if inFlight { local = .alreadyInFlight }
        if let transport, transport !== communicator { local = .transportMismatch(transportRank: transport.rank, transportSize: transport.size, arrayRank: rank, rankCount: size) }
        do { try communicator.agreeOnSuccess(local == nil) } catch {
            if let local { throw .exchange(local) }
            if case .failedOnRanks(let first, let count) = error { throw .failedOnOtherRanks(firstRank: first, failingRanks: count) }
            throw .transport(error)
        }
        // This rank's segment: [offset, bytes] per rank, a ready line and a consumed line per
        // rank, then the outgoing buffers (64-byte aligned).
        let header = size * 16
        let readyStart = (header + 63) / 64 * 64
        let consumedStart = readyStart + size * 64
        var offsets: [Int: (offset: Int, bytes: Int)] = [:]
        var end = consumedStart + size * 64
        for m in outgoing {
            offsets[m.peer] = (end, m.buffer.count)
            end += 2 * ((m.buffer.count + 63) / 64 * 64)  // two buffers, used in turn
        }
        let segments: _MPISharedSegments?
        do { segments = try communicator.sharedSegments(bytes: end) } catch { throw .transport(error) }
        guard let segments else { return false }
        let mine = segments.bases[rank]
        mine.initializeMemory(as: UInt8.self, repeating: 0, count: consumedStart + size * 64)
        let table = mine.assumingMemoryBound(to: UInt64.self)
        for (peer, entry) in offsets {
            table[2 * peer] = UInt64(entry.offset)
            table[2 * peer + 1] = UInt64(entry.bytes)
        }
        do { try communicator.barrier() } catch { throw .transport(error) }
        func flag(_ r: Int, _ start: Int, _ peer: Int) -> UnsafeMutablePointer<UInt64> {
            (segments.bases[r] + start + peer * 64).assumingMemoryBound(to: UInt64.self)
        }
        var inBuffers: [UnsafeMutableRawPointer] = []
        for m in incoming {
            let theirs = segments.bases[m.peer].assumingMemoryBound(to: UInt64.self)
            let offset = Int(theirs[2 * rank]), bytes = Int(theirs[2 * rank + 1])
            if bytes != m.buffer.count || offset == 0 {
                local = .transport(.messageSizeMismatch(peer: m.peer, tag: tag, expected: m.buffer.count, received: bytes))
            }
            inBuffers.append(segments.bases[m.peer] + offset)
        }
        // Every rank has read every header before any rank packs into its buffers.
        do { try communicator.agreeOnSuccess(local == nil) } catch {
            if let local { throw .exchange(local) }
            if case .failedOnRanks(let first, let count) = error { throw .failedOnOtherRanks(firstRank: first, failingRanks: count) }
            throw .transport(error)
        }
        shared = _SharedLink(
            segments: segments,
            outBuffers: outgoing.map { mine + offsets[$0.peer]!.offset },
            inBuffers: inBuffers,
            outStrides: outgoing.map { ($0.buffer.count + 63) / 64 * 64 },
            inStrides: incoming.map { ($0.buffer.count + 63) / 64 * 64 },
            myReady: outgoing.map { flag(rank, readyStart, $0.peer) },
            peerConsumed: outgoing.map { flag($0.peer, consumedStart, rank) },
            peerReady: incoming.map { flag($0.peer, readyStart, rank) },
            myConsumed: incoming.map { flag(rank, consumedStart, $0.peer) })
        return true
    }

    /// Whether the exchange runs through MPI-3 shared memory (see ``useSharedMemory(_:)``).
    public var usesSharedMemory: Bool { shared != nil }
}
