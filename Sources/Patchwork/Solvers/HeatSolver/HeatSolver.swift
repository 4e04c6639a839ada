/// An explicit solver of the 3-D heat equation `∂u/∂t = κ ∇²u` on a floor plan: each step
/// fills the ghost cells with a ``HaloExchange`` and applies the 7-point update
/// `u ← u + α · (Σ six neighbours − 6u)` (``Stencil/jacobi7(from:to:over:centre:neighbour:)-(_,_,Box<>?,_,_)`` with
/// centre `1 − 6α` and neighbour weight `α`, where `α = κ Δt / h²`).
///
/// ```swift
/// let plan = try Decomposition(blocks: domain, counts: [2, 1, 1], ranks: 1, periodic: [true, true, true])
/// let heat = try HeatSolver<Double>(floorPlan: plan, alpha: 0.1) { p in p == [0, 0, 0] ? 1 : 0 }
/// try heat.step(100)
/// heat.u                                    // the temperature after 100 steps
/// ```
///
/// Under MPI every rank builds the solver with ``collective(floorPlan:alpha:communicator:initial:)``
/// (the floor plan is checked on every rank) and steps it; the result is bit-identical to a
/// single-rank run of the same floor plan, because every cell is updated by the same arithmetic
/// in the same order whatever rank holds it.
///
/// Each step overlaps communication with computation: it starts the exchange, updates the cells
/// that need no ghost (each patch's interior shrunk by one), finishes the exchange, then updates
/// the one-cell shell. Periodic axes wrap; along a non-periodic axis the ghost cells keep their
/// initial value (a fixed boundary value). Stable for `0 < α ≤ 1/6`.
///
/// Not thread-safe: one thread steps a solver. Holds two arrays (current and next) and one
/// exchange for each; a step allocates nothing.
///
/// - Complexity: O(local cells) per step plus one halo exchange (one message per peer).
public final class HeatSolver<Element: PatchElement & BinaryFloatingPoint & SignedNumeric>: @unchecked Sendable {
    /// The floor plan.
    public let floorPlan: Decomposition<3>
    /// The diffusion number `κ Δt / h²`.
    public let alpha: Element
    /// The number of steps taken.
    public var steps: Int { stepCount }
    @usableFromInline var stepCount = 0

    @usableFromInline var arrays: [PatchArray<Element, 3>]
    @usableFromInline let exchanges: [HaloExchange<Element, 3>]
    /// Per local patch: the cells that need no ghost, and the shell around them.
    @usableFromInline let interiors: [Box<3>]
    @usableFromInline let shells: [[Box<3>]]
    @usableFromInline var current = 0

    /// The temperature now (this rank's patches, ghosts as last exchanged).
    public var u: PatchArray<Element, 3> { arrays[current] }

    /// A solver on this rank's part of `floorPlan` (rank `transport?.rank ?? 0`), the data boxes
    /// set to `initial(p)` and the ghosts to zero.
    ///
    /// - Throws: ``SolverError/invalidParameter(name:value:requirement:)`` for `α` outside
    ///   `(0, 1/6]`, ``SolverError/array(_:)``, ``SolverError/geometry(_:)``, ``SolverError/exchange(_:)``
    ///   (a transport that does not fit the floor plan, or none when patches of other ranks are
    ///   neighbours).
    public convenience init(
        floorPlan: Decomposition<3>, alpha: Element, transport: (any Transport)? = nil,
        initial: (Point<3>) -> Element = { _ in 0 }
    ) throws(SolverError) {
        try self.init(floorPlan: floorPlan, alpha: alpha, transport: transport, sharedWith: nil, initial: initial)
    }

    /// A solver whose arrays live in `communicator`'s MPI-3 shared memory when given, with
    /// exchanges that write the halos straight into the neighbours' ghosts.
    init(
        floorPlan: Decomposition<3>, alpha: Element, transport: (any Transport)?, sharedWith communicator: MPICommunicator?,
        initial: (Point<3>) -> Element
    ) throws(SolverError) {
        guard alpha > 0, alpha <= 1 / 6 else {
            throw .invalidParameter(name: "alpha", value: "\(alpha)", requirement: "in (0, 1/6] for a stable explicit step")
        }
        let rank = transport?.rank ?? 0
        let plan: MotionPlan<3>
        do { plan = try MotionPlan.haloFill(plan: floorPlan, width: 1) } catch { throw .geometry(error) }
        if let communicator {
            do {
                arrays = try (0..<2).map { _ throws(DistributedError) in
                    try PatchArray<Element, 3>(decomposition: floorPlan, ghostWidths: Point(repeating: 1), sharedWith: communicator)
                }
            } catch { throw .distributed(error) }
        } else {
            do {
                arrays = try (0..<2).map { _ throws(ArrayError) in
                    try PatchArray<Element, 3>(decomposition: floorPlan, ghostWidth: 1, rank: rank)
                }
            } catch { throw .array(error) }
        }
        arrays[0].fill(with: initial)
        do {
            let first = try HaloExchange(plan: plan, quantities: [.scalar(arrays[0])], transport: transport)
            let second = try HaloExchange(plan: plan, quantities: [.scalar(arrays[1])], transport: transport, tag: first.tag % 32766 + 1)
            exchanges = [first, second]
        } catch { throw .exchange(error) }
        if let communicator {
            do {
                for exchange in exchanges { _ = try exchange.useSharedMemory(communicator) }
            } catch { throw .distributed(error) }
        }
        self.floorPlan = floorPlan
        self.alpha = alpha
        interiors = arrays[0].patches.map { $0.box.shrunk(by: 1) }
        shells = arrays[0].patches.map { patch in
            let inner = patch.box.shrunk(by: 1)
            return inner.isEmpty ? [patch.box] : patch.box.subtracting(inner)
        }
    }

    /// Builds the solver on every rank together: checks that every rank holds the same floor plan,
    /// made for `communicator.size` ranks (the same error on every rank otherwise), then builds
    /// this rank's part. Over an ``MPICommunicator`` whose ranks share a node, the arrays live in
    /// MPI-3 shared memory and each rank writes its halos straight into its neighbours' ghost
    /// cells (``SharedMemoryTransfer/direct``).
    public static func collective<C: CollectiveTransport>(
        floorPlan: Decomposition<3>, alpha: Element, communicator: C, initial: (Point<3>) -> Element = { _ in 0 }
    ) throws(SolverError) -> HeatSolver {
        do { try communicator.checkFloorPlan(floorPlan) } catch { throw .distributed(error) }
        return try HeatSolver(floorPlan: floorPlan, alpha: alpha, transport: communicator,
                              sharedWith: communicator as? MPICommunicator, initial: initial)
    }

    /// Advances `count` steps. Inlinable, so that the stencil specialises for the element type
    /// in the caller's module.
    @inlinable
    public func step(_ count: Int = 1) throws(SolverError) {
        let centre = 1 - 6 * alpha
        for _ in 0..<max(count, 0) {
            let source = arrays[current], destination = arrays[1 - current]
            let exchange = exchanges[current]
            do { try exchange.start() } catch { throw .exchange(error) }
            do {
                for k in source.patches.indices where !interiors[k].isEmpty {
                    try Stencil.jacobi7(from: source.patches[k], to: destination.patches[k], over: interiors[k], centre: centre, neighbour: alpha)
                }
            } catch {
                try? exchange.finish()
                throw .array(error)
            }
            do { try exchange.finish() } catch { throw .exchange(error) }
            do {
                for k in source.patches.indices {
                    for box in shells[k] {
                        try Stencil.jacobi7(from: source.patches[k], to: destination.patches[k], over: box, centre: centre, neighbour: alpha)
                    }
                }
            } catch { throw .array(error) }
            current = 1 - current
            stepCount += 1
        }
    }
}
