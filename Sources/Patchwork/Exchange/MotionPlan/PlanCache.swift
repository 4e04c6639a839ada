
/// A cache of halo-fill and copy plans keyed by floor-plan identity, ghost width and options, so
/// every array with the same layout shares one plan (AMReX's FillBoundary cache).
///
/// ```swift
/// let cache = PlanCache<3>()
/// let plan = try cache.haloFill(plan: floorPlan, width: 1, corners: false)   // built
/// let again = try cache.haloFill(plan: floorPlan, width: 1, corners: false)  // shared
/// cache.statistics                                                          // (builds: 1, hits: 1)
/// ```
///
/// An owned value rather than a global: keep one where plans are made (a solver, a runtime) and
/// drop it to free the plans. Thread-safe.
public final class PlanCache<let N: Int>: Sendable {
    /// What a plan is built for.
    struct Key: Hashable {
        var floorPlan: DecompositionIdentity
        var width: Int
        var corners: Bool
        /// For copy plans: the source floor plan and the region the copy is restricted to.
        var copyFrom: DecompositionIdentity? = nil
        var region: Box<N>? = nil
    }

    private let plans = _Lock<[Key: MotionPlan<N>]>([:])
    private let counts = _Lock<(builds: Int, hits: Int)>((0, 0))

    public init() {}

    /// How many plans were built and how many requests were served from the cache.
    public var statistics: (builds: Int, hits: Int) { counts.withLock { $0 } }

    /// The number of cached plans.
    public var count: Int { plans.withLock { $0.count } }

    /// The halo-fill plan of ``MotionPlan/haloFill(plan:width:corners:)``, built on first use.
    public func haloFill(plan floorPlan: Decomposition<N>, width: Int, corners: Bool = true) throws(GeometryError) -> MotionPlan<N> {
        try plan(for: Key(floorPlan: floorPlan.identity, width: width, corners: corners)) { () throws(GeometryError) in
            try MotionPlan.haloFill(plan: floorPlan, width: width, corners: corners)
        }
    }

    /// The copy plan of ``MotionPlan/copyOnIntersection(from:to:destinationGhosts:within:)``,
    /// built on first use.
    public func copyOnIntersection(
        from source: Decomposition<N>, to destination: Decomposition<N>,
        destinationGhosts: Int = 0, within region: Box<N>? = nil
    ) throws(GeometryError) -> MotionPlan<N> {
        let key = Key(floorPlan: destination.identity, width: destinationGhosts, corners: true,
                      copyFrom: source.identity, region: region)
        return try plan(for: key) { () throws(GeometryError) in
            try MotionPlan.copyOnIntersection(from: source, to: destination, destinationGhosts: destinationGhosts, within: region)
        }
    }

    /// The cached plan for `key`, or the one `build` makes (then cached).
    private func plan(for key: Key, build: () throws(GeometryError) -> MotionPlan<N>) throws(GeometryError) -> MotionPlan<N> {
        if let cached = plans.withLock({ $0[key] }) {
            counts.withLock { $0.hits += 1 }
            return cached
        }
        let built = try build()
        plans.withLock { $0[key] = built }
        counts.withLock { $0.builds += 1 }
        return built
    }

    /// Forgets every plan.
    public func removeAll() { plans.withLock { $0.removeAll() } }
}
