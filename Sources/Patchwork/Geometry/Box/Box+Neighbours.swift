/// One of the 3ᴺ − 1 regions just outside a box: a face, an edge or a corner slab of a given
/// width, with the direction in which it lies.
///
/// ```swift
/// let b = try Box<2>(lower: [0, 0], upper: [8, 8])
/// for region in try b.neighbourRegions(width: 2) {
///     region.direction      // (-1, -1), (-1, 0), …, (1, 1): which side, per axis
///     region.box            // (-1, 0) → [-2, 0]..<[0, 8]
/// }
/// ```
///
/// `direction[a]` is −1 (below the box along axis a), 0 (alongside it) or +1 (above it). The
/// halo exchange uses the direction to find the neighbour that fills the region (and its
/// opposite, `-direction`, for the matching send). A plain `Sendable` value.
@frozen
public struct NeighbourRegion<let N: Int>: Sendable, Hashable {
    /// Which side of the box the region lies on, per axis: −1, 0 or +1 (never all 0).
    public var direction: Point<N>
    /// The cells of the region.
    public var box: Box<N>

    @inlinable
    public init(direction: Point<N>, box: Box<N>) {
        self.direction = direction
        self.box = box
    }

    /// The number of axes along which the region lies outside the box: 1 for a face, 2 for an
    /// edge, 3 for a corner (in 3-D), up to N.
    @inlinable
    public var codimension: Int {
        var c = 0
        for a in 0..<N where direction[a] != 0 { c += 1 }
        return c
    }
}

extension Box {
    /// The 3ᴺ − 1 regions around this box at `width`: faces, edges and corners, in row-major
    /// order of their direction (from (−1, …, −1) to (1, …, 1), skipping (0, …, 0)).
    ///
    /// The regions are pairwise disjoint, outside the box, and together they hold exactly the
    /// cells of `grown(by: width)` that are not in the box. Along an axis with direction −1 a
    /// region spans `[lower − width, lower)`, with 0 `[lower, upper)`, with +1
    /// `[upper, upper + width)`. Width 0 gives empty regions. Throws
    /// ``GeometryError/invalidValue(name:value:requirement:)`` naming a negative width.
    ///
    /// - Complexity: O(3ᴺ · N); allocates the result array.
    @inlinable
    public func neighbourRegions(width: Int) throws(GeometryError) -> [NeighbourRegion<N>] {
        var regions: [NeighbourRegion<N>] = []
        regions.reserveCapacity(Self.neighbourCount)
        try forEachNeighbourRegion(width: width) { regions.append($0) }
        return regions
    }

    /// Calls `body` with each of ``neighbourRegions(width:)`` in the same order, allocating
    /// nothing.
    @inlinable
    public func forEachNeighbourRegion(width: Int, _ body: (NeighbourRegion<N>) -> Void) throws(GeometryError) {
        guard width >= 0 else {
            throw .invalidValue(name: "width", value: width, requirement: "non-negative")
        }
        let top = Point.max(lower, upper)  // an empty box is treated as normalised
        var direction = Point<N>(repeating: -1)
        while true {
            var isCentre = true
            var region = self
            for a in 0..<N {
                switch direction[a] {
                case -1: region.lower[a] = lower[a] &- width; region.upper[a] = lower[a]; isCentre = false
                case 1: region.lower[a] = top[a]; region.upper[a] = top[a] &+ width; isCentre = false
                default: region.lower[a] = lower[a]; region.upper[a] = top[a]
                }
            }
            if !isCentre { body(NeighbourRegion(direction: direction, box: region)) }
            var a = N - 1
            while a >= 0 {
                if direction[a] < 1 { direction[a] += 1; break }
                direction[a] = -1
                a -= 1
            }
            if a < 0 { return }
        }
    }

    /// The number of neighbour regions, 3ᴺ − 1.
    @inlinable
    public static var neighbourCount: Int {
        var c = 1
        for _ in 0..<N { c *= 3 }
        return c - 1
    }
}
