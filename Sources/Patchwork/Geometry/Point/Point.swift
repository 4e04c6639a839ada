/// A point of the integer lattice ℤᴺ, the index of one cell.
///
/// The dimension `N` is part of the type (KeLP's `Point2`, `Point3`), so a 2-D point never meets a
/// 3-D one. Patchwork supports N = 1…4; the aliases `Point1` … `Point4` name them.
///
/// ```swift
/// let p = Point<3>(4, 0, 7)
/// let q = p + Point(1, 1, 1)      // (5, 1, 8)
/// q[2]                            // 8
/// ```
///
/// Points are plain values (`N` integers stored inline, no allocation) and are `Sendable`.
@frozen
public struct Point<let N: Int>: Sendable {
    /// The coordinates, axis 0 first.
    public var coordinates: InlineArray<N, Int>

    /// Creates a point from its coordinates.
    @inlinable @inline(__always)
    public init(_ coordinates: InlineArray<N, Int>) {
        self.coordinates = coordinates
    }

    /// Creates a point from a list of coordinates; traps unless there are exactly `N` of them.
    ///
    /// For input that comes from a user, use ``init(validating:)`` instead.
    @inlinable
    public init(_ coordinates: Int...) {
        precondition(coordinates.count == N, "Point<\(N)> needs \(N) coordinates, got \(coordinates.count)")
        self.coordinates = InlineArray { coordinates[$0] }
    }

    /// Creates a point from an array, throwing ``GeometryError/wrongDimension(expected:got:)`` when
    /// the count is not `N`.
    @inlinable
    public init(validating coordinates: [Int]) throws(GeometryError) {
        guard coordinates.count == N else {
            throw .wrongDimension(expected: N, got: coordinates.count)
        }
        self.coordinates = InlineArray { coordinates[$0] }
    }

    /// The point with every coordinate equal to `value`.
    @inlinable @inline(__always)
    public init(repeating value: Int) {
        self.coordinates = InlineArray(repeating: value)
    }

    /// The origin.
    @inlinable public static var zero: Point { Point(repeating: 0) }

    /// The number of axes, `N`.
    @inlinable public static var rank: Int { N }

    /// The unit vector along `axis`, scaled by `length`.
    @inlinable
    public static func unit(_ axis: Int, _ length: Int = 1) -> Point {
        var p = Point.zero
        p[axis] = length
        return p
    }

    /// The coordinate along `axis` (0 ..< N).
    @inlinable
    public subscript(axis: Int) -> Int {
        @inline(__always) get { coordinates[axis] }
        @inline(__always) set { coordinates[axis] = newValue }
    }

    /// The coordinates as an array (allocates; for printing and tests).
    public var array: [Int] { (0..<N).map { coordinates[$0] } }

    /// Applies `transform` to every coordinate.
    @inlinable @inline(__always)
    public func map(_ transform: (Int) -> Int) -> Point {
        Point(InlineArray { transform(coordinates[$0]) })
    }

    /// Combines two points coordinate by coordinate.
    @inlinable @inline(__always)
    public static func zip(_ a: Point, _ b: Point, _ combine: (Int, Int) -> Int) -> Point {
        Point(InlineArray { combine(a.coordinates[$0], b.coordinates[$0]) })
    }

    /// True when `predicate` holds on every axis.
    @inlinable @inline(__always)
    public static func all(_ a: Point, _ b: Point, _ predicate: (Int, Int) -> Bool) -> Bool {
        for i in 0..<N where !predicate(a.coordinates[i], b.coordinates[i]) { return false }
        return true
    }

    /// The product of the coordinates.
    @inlinable
    public var product: Int {
        var v = 1
        for i in 0..<N { v &*= coordinates[i] }
        return v
    }
}

public typealias Point1 = Point<1>
public typealias Point2 = Point<2>
public typealias Point3 = Point<3>
public typealias Point4 = Point<4>
