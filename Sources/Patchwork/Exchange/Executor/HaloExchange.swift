#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The executor half of the inspector–executor model (KeLP's `Mover`, pace's `HaloUpdater`): runs
/// one ``MotionPlan`` on a fixed list of quantities, as often as needed.
///
/// ```swift
/// let plan = try MotionPlan.haloFill(plan: floorPlan, width: 1)
/// let exchange = try HaloExchange(plan: plan, quantities: [.scalar(u), .vector(wind)])
/// for _ in 0..<steps {
///     try exchange.start()         // post receives, pack, send, copy local moves
///     interiorWork()                // anything that does not read the ghosts
///     try exchange.finish()         // wait, unpack
/// }
/// ```
///
/// Building the exchange turns every move into strided regions of the patches' storage (rotations
/// and vector sign flips folded in) and groups the moves that cross to another rank by peer: all
/// quantities bound to one peer travel in ONE contiguous buffer with precomputed offsets. Moves
/// between patches of this rank copy directly. Buffers come from an ``ExchangeBufferPool`` when
/// the exchange is built; ``start()`` and ``finish()`` allocate nothing.
///
/// Every rank must build its exchange from the same plan and the same quantity list (types,
/// order, staggering): the message layout is derived from them on both sides.
///
/// One element type per exchange: `Element` is a generic parameter, so quantities of different
/// element types cannot be mixed in one exchange (the compiler rejects it); exchange each type
/// with its own `HaloExchange`. Across ranks, ``signature`` includes the element type, so
/// ``collective(plan:quantities:communicator:mode:tag:pool:)`` reports ranks that built the same
/// exchange with different element types (`Double` here, `Int64` there, both 8 bytes) as
/// ``DistributedError/elementTypeMismatch(differingRanks:elementTypes:)``.
///
/// Not thread-safe: one thread drives an exchange (several exchanges may run at once on
/// different quantities, with distinct tags).
public final class HaloExchange<Element: PatchElement & SignedNumeric, let N: Int>: @unchecked Sendable {
    /// Whether received values replace or add to the destination (KeLP's adding mover).
    public enum Mode: Sendable { case copy, accumulate }

    /// The plan this exchange runs.
    public let plan: MotionPlan<N>
    /// Replace or add.
    public let mode: Mode
    /// The message tag of this exchange.
    public let tag: Int
    /// A digest of what the message layout is derived from (motion plan, floor plan, quantity
    /// list, element type): equal on every rank that builds the same exchange. Ranks compare it before the
    /// first exchange (see ``HaloExchange/collective(plan:quantities:communicator:mode:tag:pool:)``).
    public let signature: UInt64

    @usableFromInline let transport: (any Transport)?
    /// The quantities, held so that the storage behind ``pointers`` stays alive.
    let quantities: [ExchangeQuantity<Element, N>]
    let pool: ExchangeBufferPool
    /// Base pointers of every (component, local patch): `pointers[component * localCount + position]`.
    @usableFromInline let pointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<Element>>
    /// The patch behind each entry of ``pointers`` (what tasks declare their accesses on).
    let patchTable: [Patch<Element, N>]
    @usableFromInline let localCopies: [LocalCopy]
    @usableFromInline let outgoing: [PeerMessage]
    @usableFromInline let incoming: [PeerMessage]
    @usableFromInline var requests: [TransportRequest] = []
    @usableFromInline var pending: [TransportRequest] = []
    @usableFromInline var completed: [Bool] = []
    @usableFromInline var completions: [TransportCompletion] = []
    @usableFromInline var inFlight = false
    /// The MPI-3 shared-memory path, when switched on (``useSharedMemory(_:transfer:timeout:)``).
    @usableFromInline var shared: _SharedLink? = nil
    /// When every array lives in MPI-3 shared memory: per outgoing message, its moves as copies
    /// straight into the peer's patches (``remotePointers`` holds their base pointers).
    @usableFromInline let remoteCopies: [[LocalCopy]]?
    @usableFromInline let remotePointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<Element>>

    /// A move between two patches of this rank.
    @usableFromInline
    struct LocalCopy {
        @usableFromInline var source: Int
        @usableFromInline var sourceRegion: StridedRegion<N>
        @usableFromInline var sourceBox: Box<N>
        @usableFromInline var destination: Int
        @usableFromInline var destinationRegion: StridedRegion<N>
        @usableFromInline var destinationBox: Box<N>
        @usableFromInline var negated: Bool
    }

    /// Everything exchanged with one peer in one message.
    @usableFromInline
    struct PeerMessage {
        @usableFromInline var peer: Int
        @usableFromInline var packing: PackingPlan<N>
        @usableFromInline var buffer: UnsafeMutableRawBufferPointer
        /// The message's request while it is in flight (used when the exchange runs as tasks).
        let slot = MessageSlot()
        @inlinable var elements: UnsafeMutablePointer<Element> { buffer.baseAddress!.assumingMemoryBound(to: Element.self) }
    }

    /// Builds the exchange of `quantities` (read and written in place) for `plan`.
    ///
    /// - Parameters:
    ///   - plan: the motion plan (which boxes move where), built for the quantities' floor plan.
    ///   - quantities: the arrays to fill, all on one floor plan and rank; vectors travel as one.
    ///   - mode: ``Mode/copy`` overwrites the destinations, ``Mode/accumulate`` adds into them.
    ///   - pool: where message buffers come from (reused across exchanges).
    ///   - transport: how messages reach other ranks; required when the plan has moves between
    ///     patches of different ranks (use ``LoopbackTransport`` or an MPI communicator).
    ///   - tag: the message tag; defaults to a value in 1 ..< 32767 derived from ``signature``
    ///     (every move of the plan, the floor plan, the quantity list) and from how many exchanges
    ///     with that signature were built before on this transport: ranks that build their
    ///     exchanges in the same order derive the same tags, and exchanges in flight together
    ///     never share one (the exchanges of `u` and `v` in a two-array time loop included).
    ///     Across ranks, prefer
    ///     ``collective(plan:quantities:communicator:mode:tag:pool:)``, which checks that every
    ///     rank built the same exchange.
    /// - Throws: ``ExchangeError/quantityMismatch(quantity:reason:)`` for an empty list or
    ///   quantities on different floor plans or ranks, ``ExchangeError/planMismatch(role:plan:arrays:)``
    ///   when the plan was built for another floor plan, ``ExchangeError/moveOutsidePatch(move:patch:allocated:)``
    ///   when the ghosts are narrower than the plan, ``ExchangeError/transportMismatch(transportRank:transportSize:arrayRank:rankCount:)``.
    public convenience init(
        plan: MotionPlan<N>, quantities: [ExchangeQuantity<Element, N>],
        transport: (any Transport)? = nil, mode: Mode = .copy, tag: Int? = nil,
        pool: ExchangeBufferPool = .shared
    ) throws(ExchangeError) {
        let layout = try ExchangeLayout(plan: plan, quantities: quantities, transport: transport)
        self.init(layout: layout, plan: plan, holding: quantities, transport: transport, mode: mode, tag: tag, pool: pool)
    }

    /// The executor of a prepared layout; `quantities` keeps every array it points into alive.
    init(
        layout: ExchangeLayout<Element, N>, plan: MotionPlan<N>, holding quantities: [ExchangeQuantity<Element, N>],
        transport: (any Transport)?, mode: Mode, tag: Int?, pool: ExchangeBufferPool
    ) {
        self.plan = plan
        self.mode = mode
        self.transport = transport
        self.quantities = quantities
        self.pool = pool
        self.tag = tag ?? ExchangeTags.next(signature: layout.signature, transport: transport)
        self.signature = layout.signature
        self.pointers = .allocate(capacity: layout.pointers.count)
        _ = self.pointers.initialize(from: layout.pointers)
        self.patchTable = layout.patches
        self.localCopies = layout.localCopies
        self.outgoing = layout.outgoing.map { PeerMessage(peer: $0.key, packing: $0.value, buffer: pool.take(byteCount: $0.value.elementCount * MemoryLayout<Element>.stride)) }
        self.incoming = layout.incoming.map { PeerMessage(peer: $0.key, packing: $0.value, buffer: pool.take(byteCount: $0.value.elementCount * MemoryLayout<Element>.stride)) }
        self.remoteCopies = layout.remoteCopies
        self.remotePointers = .allocate(capacity: layout.remotePointers.count)
        _ = self.remotePointers.initialize(from: layout.remotePointers)
        requests.reserveCapacity(outgoing.count + incoming.count)
        pending.reserveCapacity(outgoing.count + incoming.count)
        completed.reserveCapacity(outgoing.count + incoming.count)
        completions.reserveCapacity(outgoing.count + incoming.count)
    }

    deinit {
        for m in outgoing { pool.giveBack(m.buffer) }
        for m in incoming { pool.giveBack(m.buffer) }
        pointers.deallocate()
        remotePointers.deallocate()
    }

    /// The peers this rank sends to and receives from.
    public var peers: (sends: [Int], receives: [Int]) { (outgoing.map { $0.peer }, incoming.map { $0.peer }) }

    /// The bytes this rank sends per exchange.
    public var bytesSent: Int { outgoing.reduce(0) { $0 + $1.buffer.count } }

    /// Starts an exchange: posts the receives, packs and posts the sends, and performs the moves
    /// between patches of this rank. Throws ``ExchangeError/alreadyInFlight`` when the previous
    /// exchange has not finished.
    @inlinable
    public func start() throws(ExchangeError) {
        guard !inFlight else { throw .alreadyInFlight }
        inFlight = true
        if let shared, shared.direct {
            // Open this rank's ghosts to its senders, then write into every receiver already open.
            shared.openAll()
            runLocalCopies()
            shared.pushOpen(performRemoteCopies)
            return
        }
        if let shared {
            // Pack each message into this rank's segment once its receiver has read the last one.
            let table = UnsafeBufferPointer(pointers)
            for k in outgoing.indices {
                do { try shared.waitUntilFree(k) } catch {
                    inFlight = false
                    throw .transport(error)
                }
                outgoing[k].packing.pack(table, into: shared.outBuffer(k).assumingMemoryBound(to: Element.self))
                shared.publish(k)
            }
            runLocalCopies()
            return
        }
        requests.removeAll(keepingCapacity: true)
        do {
            if let transport {
                for m in incoming {
                    requests.append(try transport.receive(into: m.buffer, from: m.peer, tag: tag))
                }
                let table = UnsafeBufferPointer(pointers)
                for m in outgoing {
                    m.packing.pack(table, into: m.elements)
                    requests.append(try transport.send(UnsafeRawBufferPointer(m.buffer), to: m.peer, tag: tag))
                }
            }
        } catch {
            inFlight = false
            throw .transport(error)
        }
        runLocalCopies()
    }

    /// Finishes the exchange: waits for every message and unpacks the received buffers. When a
    /// message fails (a size that does not match this rank's plan), it still waits for all the
    /// others, unpacks nothing, and throws the first failure; the exchange can then be started again.
    ///
    /// Waiting polls the transport with a ``WaitBackoff``: spinning briefly, then yielding, then
    /// napping, so that ranks outnumbering cores leave the processor to their peers. Through
    /// shared memory (``useSharedMemory(_:transfer:timeout:)``) it sleeps until a peer publishes, and a peer
    /// silent for longer than the timeout fails it with ``TransportError/timedOut(peer:seconds:)``.
    /// Allocates nothing.
    @inlinable
    public func finish() throws(ExchangeError) {
        guard inFlight else { throw .notStarted }
        defer { inFlight = false }
        if let shared, shared.direct {
            do { try shared.completeDirect(performRemoteCopies) } catch { throw .transport(error) }
            return
        }
        if let shared {
            // Unpack each message straight from its sender's segment as soon as it is published.
            let table = UnsafeBufferPointer(pointers)
            let adding = mode == .accumulate
            do {
                try shared.receiveAll(&completed) { k in
                    incoming[k].packing.unpack(UnsafePointer(shared.inBuffer(k).assumingMemoryBound(to: Element.self)), into: table, adding: adding)
                }
            } catch { throw .transport(error) }
            return
        }
        guard let transport, !requests.isEmpty else { return }
        pending.removeAll(keepingCapacity: true)
        pending.append(contentsOf: requests)
        var failure: TransportError?
        var backoff = WaitBackoff()
        while !pending.isEmpty {
            completions.removeAll(keepingCapacity: true)
            do { try transport.testSome(pending, completions: &completions) } catch { throw .transport(error) }
            if completions.isEmpty {
                backoff.idle()
                continue
            }
            backoff.reset()
            for c in completions where failure == nil { failure = c.error }
            // Drop the completed requests, keeping the order of the others.
            completed.removeAll(keepingCapacity: true)
            completed.append(contentsOf: repeatElement(false, count: pending.count))
            for c in completions { completed[c.index] = true }
            var kept = 0
            for i in pending.indices where !completed[i] {
                pending[kept] = pending[i]
                kept += 1
            }
            pending.removeLast(pending.count - kept)
        }
        if let failure { throw .transport(failure) }
        let table = UnsafeBufferPointer(pointers)
        for m in incoming {
            m.packing.unpack(UnsafePointer(m.elements), into: table, adding: mode == .accumulate)
        }
    }

    /// Runs a whole exchange: ``start()`` then ``finish()``.
    @inlinable
    public func run() throws(ExchangeError) {
        try start()
        try finish()
    }

    @inlinable
    func runLocalCopies() {
        for i in localCopies.indices { performLocalCopy(i) }
    }

    /// Writes outgoing message `k` straight into its receiver's shared patches.
    @inlinable
    func performRemoteCopies(_ k: Int) {
        let adding = mode == .accumulate
        for c in remoteCopies![k] {
            StridedCopy.copy(
                UnsafePointer(pointers[c.source]), c.sourceRegion,
                into: remotePointers[c.destination], c.destinationRegion,
                negated: c.negated, adding: adding)
        }
    }

    /// Performs local copy `i`.
    @inlinable
    func performLocalCopy(_ i: Int) {
        let c = localCopies[i]
        StridedCopy.copy(
            UnsafePointer(pointers[c.source]), c.sourceRegion,
            into: pointers[c.destination], c.destinationRegion,
            negated: c.negated, adding: mode == .accumulate)
    }
}

