/// A half-open box of lattice cells `[lower, upper)` in N dimensions: KeLP's `Region`.
///
/// A box holds the cells `p` with `lower[i] <= p[i] < upper[i]` on every axis. A box with
/// `upper[i] <= lower[i]` on some axis is empty; the throwing initialiser rejects an inverted box
/// (upper below lower) as bad input, while operations such as ``intersection(_:)`` return an empty
/// box normalised to `upper == lower` on the axes where it is empty.
///
/// ```swift
/// let interior = try Box<2>(lower: [0, 0], upper: [64, 32])
/// let withGhosts = interior.grown(by: 2)          // [-2, -2) ..< [66, 34)
/// withGhosts.volume                               // 68 * 36
/// ```
///
/// Boxes are plain `Sendable` values; every operation here is O(N) and allocates nothing, except
/// those returning a list of boxes (subtraction, neighbour regions).
@frozen
public struct Box<let N: Int>: Sendable {
    /// The first cell (inclusive corner).
    public var lower: Point<N>
    /// One past the last cell on every axis (exclusive corner).
    public var upper: Point<N>

    /// Creates a box without checking; `upper` below `lower` on some axis means empty.
    @inlinable @inline(__always)
    public init(uncheckedLower lower: Point<N>, upper: Point<N>) {
        self.lower = lower
        self.upper = upper
    }

    /// Creates the box `[lower, upper)`; throws ``GeometryError/invertedBox(lower:upper:)`` when
    /// `upper[i] < lower[i]` on some axis. (`upper == lower` on an axis is an empty box.)
    @inlinable
    public init(lower: Point<N>, upper: Point<N>) throws(GeometryError) {
        guard Point.all(lower, upper, <=) else {
            throw .invertedBox(lower: lower.array, upper: upper.array)
        }
        self.init(uncheckedLower: lower, upper: upper)
    }

    /// The box `[origin, origin + shape)`; throws when a side of `shape` is negative.
    @inlinable
    public init(origin: Point<N> = .zero, shape: Point<N>) throws(GeometryError) {
        try self.init(lower: origin, upper: origin + shape)
    }

    /// The empty box at the origin.
    @inlinable public static var empty: Box { Box(uncheckedLower: .zero, upper: .zero) }

    /// The number of cells along each axis (0 where empty).
    @inlinable
    public var shape: Point<N> {
        @inline(__always) get { Point.zip(upper, lower) { u, l in u > l ? u &- l : 0 } }
    }

    /// The number of cells.
    @inlinable
    public var volume: Int {
        @inline(__always) get { shape.product }
    }

    /// True when the box holds no cell.
    @inlinable
    public var isEmpty: Bool {
        @inline(__always) get {
            for i in 0..<N where upper[i] <= lower[i] { return true }
            return false
        }
    }

    /// True when `point` is a cell of the box.
    @inlinable @inline(__always)
    public func contains(_ point: Point<N>) -> Bool {
        for i in 0..<N where point[i] < lower[i] || point[i] >= upper[i] { return false }
        return true
    }

    /// True when every cell of `other` is a cell of this box (an empty box is contained in any).
    @inlinable @inline(__always)
    public func contains(_ other: Box) -> Bool {
        other.isEmpty || (Point.all(lower, other.lower, <=) && Point.all(other.upper, upper, <=))
    }

    /// True when the two boxes share at least one cell.
    @inlinable @inline(__always)
    public func intersects(_ other: Box) -> Bool {
        for i in 0..<N where Swift.max(lower[i], other.lower[i]) >= Swift.min(upper[i], other.upper[i]) {
            return false
        }
        return true
    }

    /// The cells common to both boxes (normalised to `upper == lower` on empty axes).
    @inlinable @inline(__always)
    public func intersection(_ other: Box) -> Box {
        let lo = Point.max(lower, other.lower)
        let hi = Point.max(lo, Point.min(upper, other.upper))
        return Box(uncheckedLower: lo, upper: hi)
    }

    /// The box grown by `width` cells on every side (negative shrinks).
    @inlinable @inline(__always)
    public func grown(by width: Int) -> Box {
        grown(lower: Point(repeating: width), upper: Point(repeating: width))
    }

    /// The box grown per side: `lower` cells below and `upper` cells above on each axis
    /// (negative values shrink). Shrinking past empty gives an empty box.
    @inlinable @inline(__always)
    public func grown(lower low: Point<N>, upper high: Point<N>) -> Box {
        let lo = lower - low
        return Box(uncheckedLower: lo, upper: Point.max(lo, upper + high))
    }

    /// The box grown by `width` cells on both sides of one axis.
    @inlinable
    public func grown(by width: Int, along axis: Int) -> Box {
        grown(lower: .unit(axis, width), upper: .unit(axis, width))
    }

    /// The box shrunk by `width` cells on every side.
    @inlinable @inline(__always)
    public func shrunk(by width: Int) -> Box { grown(by: -width) }

    /// The box shrunk per side: `lower` cells off the bottom and `upper` cells off the top of each
    /// axis (``grown(lower:upper:)`` with the signs flipped).
    @inlinable
    public func shrunk(lower low: Point<N>, upper high: Point<N>) -> Box {
        grown(lower: -low, upper: -high)
    }

    /// The box moved by `offset`.
    @inlinable @inline(__always)
    public func shifted(by offset: Point<N>) -> Box {
        Box(uncheckedLower: lower + offset, upper: upper + offset)
    }

    /// The smallest box containing both (an empty box adds nothing).
    @inlinable
    public func boundingBox(_ other: Box) -> Box {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return Box(uncheckedLower: Point.min(lower, other.lower), upper: Point.max(upper, other.upper))
    }
}

public typealias Box1 = Box<1>
public typealias Box2 = Box<2>
public typealias Box3 = Box<3>
public typealias Box4 = Box<4>
