/// Copies (or adds) the cells of one set of patch arrays into another whose floor plan may differ:
/// KeLP's `Mover` running a ``MotionPlan/copyOnIntersection(from:to:destinationGhosts:within:)``
/// plan, for redistributing data between decompositions.
///
/// ```swift
/// let coarse = try Decomposition(blocks: domain, counts: [2, 2], ranks: comm.size)
/// let fine = try Decomposition(bisecting: domain, maxExtent: 16, ranks: comm.size)
/// let a = try PatchArray<Double, 2>(decomposition: coarse, rank: comm.rank)
/// let b = try PatchArray<Double, 2>(decomposition: fine, ghostWidth: 1, rank: comm.rank)
/// let copy = try ArrayCopy(from: a, to: b, transport: comm)
/// try copy.run()          // b's interiors now hold a's values
/// ```
///
/// Semantics: every destination cell (its interior, grown by `destinationGhosts`, inside `region`)
/// that lies in a source patch's interior receives that cell's value; other destination cells are
/// left as they are. Sources are only read. Cells that move between patches of this rank are
/// copied directly; those that cross to another rank travel, every quantity bound to one peer
/// together, in ONE packed message per peer and direction, exactly as in ``HaloExchange`` (whose
/// machinery runs the copy: buffers from the pool, split ``start()`` / ``finish()``, typed
/// errors). Every rank must build its copy from the same plan and quantity lists. The element
/// type is one per copy (a generic parameter): mixed element types need one copy per type.
///
/// Not thread-safe: one thread drives a copy.
///
/// - Complexity: building is O(moves) plus the packing plans (the plan itself comes from a
///   ``PlanCache`` when one is given); each run moves every cell of the plan once and allocates
///   nothing.
public final class ArrayCopy<Element: PatchElement & SignedNumeric, let N: Int>: @unchecked Sendable {
    /// Replace or add (KeLP's adding mover).
    public typealias Mode = HaloExchange<Element, N>.Mode

    /// The executor that runs the plan.
    let mover: HaloExchange<Element, N>

    /// Builds the copy of `sources` into `destinations` (the same number of quantities, each with
    /// the same components and staggering) by `plan`, whose source patches index the sources'
    /// floor plan and destination patches the destinations'.
    ///
    /// - Throws: ``ExchangeError/quantityMismatch(quantity:reason:)`` when the lists do not pair
    ///   up, the arrays belong to different ranks or the plan names patches the floor plans lack,
    ///   ``ExchangeError/planMismatch(role:plan:arrays:)`` when the plan was built for other floor
    ///   plans, ``ExchangeError/moveOutsidePatch(move:patch:allocated:)``
    ///   when the destination's ghosts are narrower than the plan, ``ExchangeError/transportMismatch(transportRank:transportSize:arrayRank:rankCount:)``.
    public init(
        plan: MotionPlan<N>, from sources: [ExchangeQuantity<Element, N>], to destinations: [ExchangeQuantity<Element, N>],
        transport: (any Transport)? = nil, mode: Mode = .copy, tag: Int? = nil, pool: ExchangeBufferPool = .shared
    ) throws(ExchangeError) {
        let layout = try ExchangeLayout(plan: plan, sources: sources, destinations: destinations, transport: transport)
        mover = HaloExchange(
            layout: layout, plan: plan, holding: sources + destinations, transport: transport, mode: mode, tag: tag, pool: pool)
    }

    /// Builds the copy of array `source` into array `destination` over their whole floor plans
    /// (restricted to `region`, reaching `destinationGhosts` cells into the destination's ghosts),
    /// its plan taken from `cache` when given.
    public convenience init(
        from source: PatchArray<Element, N>, to destination: PatchArray<Element, N>,
        destinationGhosts: Int = 0, within region: Box<N>? = nil, cache: PlanCache<N>? = nil,
        transport: (any Transport)? = nil, mode: Mode = .copy, tag: Int? = nil, pool: ExchangeBufferPool = .shared
    ) throws(ExchangeError) {
        let plan: MotionPlan<N>
        do {
            plan = try cache?.copyOnIntersection(
                from: source.decomposition, to: destination.decomposition, destinationGhosts: destinationGhosts, within: region)
                ?? MotionPlan.copyOnIntersection(
                    from: source.decomposition, to: destination.decomposition, destinationGhosts: destinationGhosts, within: region)
        } catch {
            throw .quantityMismatch(quantity: 0, reason: "no copy plan: \(error)")
        }
        try self.init(plan: plan, from: [.scalar(source)], to: [.scalar(destination)],
                      transport: transport, mode: mode, tag: tag, pool: pool)
    }

    /// The plan this copy runs.
    public var plan: MotionPlan<N> { mover.plan }
    /// Replace or add.
    public var mode: Mode { mover.mode }
    /// The message tag.
    public var tag: Int { mover.tag }
    /// A digest of the motion plan, both floor plans and both quantity lists, equal on every rank
    /// that builds the same copy.
    public var signature: UInt64 { mover.signature }
    /// The peers this rank sends to and receives from.
    public var peers: (sends: [Int], receives: [Int]) { mover.peers }
    /// The bytes this rank sends per run.
    public var bytesSent: Int { mover.bytesSent }

    /// Posts the receives, packs and posts the sends, and copies the moves between patches of this
    /// rank. Throws ``ExchangeError/alreadyInFlight`` when the previous copy has not finished.
    public func start() throws(ExchangeError) { try mover.start() }

    /// Waits for every message and unpacks it; throws ``ExchangeError/notStarted`` when no copy
    /// is in flight.
    public func finish() throws(ExchangeError) { try mover.finish() }

    /// ``start()`` then ``finish()``.
    public func run() throws(ExchangeError) { try mover.run() }
}
