/// How a ``HaloExchange`` moves its halos through MPI-3 shared memory
/// (``HaloExchange/useSharedMemory(_:transfer:timeout:)``).
public enum SharedMemoryTransfer: Sendable, Equatable {
    /// The sender packs each message into its own segment and the receiver unpacks it: works
    /// with any arrays and in accumulate mode.
    case packed
    /// The sender writes each move straight into the receiver's ghost cells once the receiver has
    /// opened them: one copy instead of a pack and an unpack, no buffers. Needs every array
    /// allocated in shared memory
    /// (``PatchArray/init(decomposition:ghostWidths:staggering:sharedWith:initialValue:)``) and
    /// copy mode.
    case direct
}

extension HaloExchange {
    /// Switches this exchange, on every rank together, to MPI-3 shared memory when all ranks run
    /// on one node: a flag per message instead of MPI sends and receives (no copies through MPI's
    /// buffers, no rendezvous round trips), and a doorbell that wakes a waiting rank as soon as
    /// a peer has published. With ``SharedMemoryTransfer/packed`` each rank packs its messages
    /// into its own segment of a shared window and the receiver unpacks straight from it; with
    /// ``SharedMemoryTransfer/direct`` (the default when every array is shared and the mode is
    /// copy) each rank writes its halos straight into its neighbours' ghost cells.
    /// ``start()``, ``finish()``, ``run()`` and the dataflow tasks (``DataflowGraph/submit(_:name:)``)
    /// then use it.
    ///
    /// ```swift
    /// let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidths: [3, 3, 0], sharedWith: comm)
    /// let exchange = try HaloExchange.collective(plan: motion, quantities: [.scalar(u)], communicator: comm)
    /// let shared = try exchange.useSharedMemory(comm)   // false across nodes: MPI messages stay
    /// for _ in 0..<steps { try exchange.run() }
    /// try exchange.stopUsingSharedMemory(comm)           // collective: frees the window
    /// ```
    ///
    /// Call it collectively on an exchange built with ``collective(plan:quantities:communicator:mode:tag:pool:)``,
    /// with no exchange of it in flight or submitted, with the same `transfer` on every rank (on
    /// an exchange already using shared memory it returns true and does nothing). The
    /// window stays mapped until ``stopUsingSharedMemory(_:)`` or the end of the process. A
    /// message whose size differs from what its receiver expects fails on every rank. A rank
    /// waiting longer than `timeout` seconds for a peer fails its exchange with
    /// ``TransportError/timedOut(peer:seconds:)``.
    ///
    /// - Returns: true when the shared-memory path is on (on every rank), false when the ranks
    ///   span several nodes.
    /// - Throws: ``DistributedError/exchange(_:)`` (``ExchangeError/alreadyInFlight``,
    ///   ``ExchangeError/quantityMismatch(quantity:reason:)`` for a direct transfer of private
    ///   arrays or in accumulate mode, or the size mismatch as ``ExchangeError/transport(_:)``)
    ///   on the failing ranks, ``DistributedError/failedOnOtherRanks(firstRank:failingRanks:)`` on
    ///   the others, ``DistributedError/transport(_:)`` when MPI fails.
    /// - Complexity: collective: one communicator split, one window allocation, a few agreements.
    public func useSharedMemory(
        _ communicator: MPICommunicator, transfer: SharedMemoryTransfer? = nil, timeout: Double = 600
    ) throws(DistributedError) -> Bool {
        if shared != nil { return true }  // on already (on every rank that asks again)
        let rank = communicator.rank, size = communicator.size
        var local: ExchangeError? = nil
        if inFlight { local = .alreadyInFlight }
        if let transport, transport !== communicator { local = .transportMismatch(transportRank: transport.rank, transportSize: transport.size, arrayRank: rank, rankCount: size) }
        let sharedHere = quantities.allSatisfy { $0.components.allSatisfy { $0.sharedMemory?.communicator == ObjectIdentifier(communicator) } }
        let directPossible = remoteCopies != nil && sharedHere && mode == .copy
        let direct = (transfer ?? (directPossible ? .direct : .packed)) == .direct
        if direct && !directPossible {
            local = .quantityMismatch(quantity: 0, reason: mode == .copy
                ? "a direct shared-memory transfer needs every array allocated with PatchArray(…, sharedWith:) on this communicator"
                : "a direct shared-memory transfer cannot accumulate (two senders would add into one cell at once)")
        }
        try communicator.agree(local)
        let alike: Bool
        do { alike = try communicator.allReduce(direct ? 1 : 0, .min) == communicator.allReduce(direct ? 1 : 0, .max) } catch { throw .transport(error) }
        guard alike else { throw .exchangeMismatch(differingRanks: [], reason: "some ranks asked for a direct shared-memory transfer, others for a packed one") }
        // This rank's segment: [offset, bytes] per rank, a ready line and a consumed line per
        // rank, a doorbell line, then the outgoing buffers (64-byte aligned).
        let header = size * 16
        let readyStart = (header + 63) / 64 * 64
        let consumedStart = readyStart + size * 64
        let bellStart = consumedStart + size * 64
        var offsets: [Int: (offset: Int, bytes: Int)] = [:]
        var end = bellStart + 64
        for m in outgoing {
            offsets[m.peer] = (end, m.buffer.count)
            if !direct { end += 2 * ((m.buffer.count + 63) / 64 * 64) }  // two buffers, used in turn
        }
        let segments: _MPISharedSegments?
        do { segments = try communicator.sharedSegments(bytes: end) } catch { throw .transport(error) }
        guard let segments else { return false }
        let mine = segments.bases[rank]
        mine.initializeMemory(as: UInt8.self, repeating: 0, count: bellStart + 64)
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
        try communicator.agree(local)
        func bell(_ r: Int) -> _SharedDoorbell { _SharedDoorbell(word: (segments.bases[r] + bellStart).assumingMemoryBound(to: UInt32.self)) }
        shared = _SharedLink(
            segments: segments, direct: direct, timeout: timeout,
            outBuffers: outgoing.map { mine + offsets[$0.peer]!.offset },
            inBuffers: inBuffers,
            outStrides: outgoing.map { ($0.buffer.count + 63) / 64 * 64 },
            inStrides: incoming.map { ($0.buffer.count + 63) / 64 * 64 },
            myReady: outgoing.map { flag(rank, readyStart, $0.peer) },
            peerConsumed: outgoing.map { flag($0.peer, consumedStart, rank) },
            peerReady: incoming.map { flag($0.peer, readyStart, rank) },
            myConsumed: incoming.map { flag(rank, consumedStart, $0.peer) },
            myBell: bell(rank), receivers: outgoing.map { ($0.peer, bell($0.peer)) }, senders: incoming.map { ($0.peer, bell($0.peer)) })
        return true
    }

    /// Switches this exchange, on every rank together, back to MPI messages and frees its
    /// shared-memory window. Call it collectively with no exchange in flight; it does nothing on
    /// an exchange that does not use shared memory (on every rank alike).
    ///
    /// - Throws: as ``useSharedMemory(_:transfer:timeout:)``.
    /// - Complexity: collective: two barriers and `MPI_Win_free`.
    public func stopUsingSharedMemory(_ communicator: MPICommunicator) throws(DistributedError) {
        try communicator.agree(inFlight ? .alreadyInFlight : nil)
        guard let link = shared else { return }
        shared = nil
        do { try link.segments.free() } catch { throw .transport(error) }
    }

    /// Whether the exchange runs through MPI-3 shared memory (see ``useSharedMemory(_:transfer:timeout:)``).
    public var usesSharedMemory: Bool { shared != nil }
}
