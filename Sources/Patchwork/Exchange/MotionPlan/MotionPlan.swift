/// The inspector half of KeLP's inspector–executor model: the list of moves one communication
/// performs, built once and run many times by an executor (``HaloExchange``).
///
/// ```swift
/// let plan = try MotionPlan.haloFill(plan: floorPlan, width: 2, corners: false)
/// plan.moves.count            // every (source, destination, box) of the ghost fill
/// ```
///
/// Builders query a ``BoxIndex`` of the floor plan, so building costs about O(n log n) for n
/// patches rather than comparing all pairs. Moves are kept in a deterministic order (destination
/// patch, then source patch, then box), so every rank derives the same message layout from the
/// same plan. Plans are immutable `Sendable` values; ``PlanCache`` shares them between arrays with
/// the same floor plan.
public struct MotionPlan<let N: Int>: Sendable {
    /// The moves, in deterministic order.
    public let moves: [Move<N>]
    /// The floor plan whose patches the moves read, when a builder made the plan (nil for a
    /// hand-built plan); executors check their source arrays against it.
    public let sourceFloorPlan: FloorPlanSignature?
    /// The floor plan whose patches the moves write (for a halo fill, the same as the source).
    public let destinationFloorPlan: FloorPlanSignature?

    /// A plan made of the given moves (KeLP's hand-built `MotionPlan`). Moves are sorted into the
    /// canonical order. A hand-built plan names no floor plan: executors check only that its
    /// patch indices exist.
    public init(moves: [Move<N>]) {
        self.init(moves: moves, source: nil, destination: nil)
    }

    /// A plan built for the given floor plans.
    init(moves: [Move<N>], source: FloorPlanSignature?, destination: FloorPlanSignature?) {
        self.moves = moves.sorted(by: Self.canonicalOrder)
        self.sourceFloorPlan = source
        self.destinationFloorPlan = destination
    }

    /// The number of cells moved.
    public var volume: Int { moves.reduce(0) { $0 + $1.destinationBox.volume } }

    static func canonicalOrder(_ a: Move<N>, _ b: Move<N>) -> Bool {
        if a.destinationPatch != b.destinationPatch { return a.destinationPatch < b.destinationPatch }
        if a.sourcePatch != b.sourcePatch { return a.sourcePatch < b.sourcePatch }
        if a.destinationBox.lower != b.destinationBox.lower { return a.destinationBox.lower < b.destinationBox.lower }
        return a.destinationBox.upper < b.destinationBox.upper
    }
}
