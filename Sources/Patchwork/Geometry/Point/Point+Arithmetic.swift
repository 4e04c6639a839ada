extension Point {
    @inlinable @inline(__always)
    public static func + (a: Point, b: Point) -> Point { zip(a, b, &+) }
    @inlinable @inline(__always)
    public static func - (a: Point, b: Point) -> Point { zip(a, b, &-) }
    /// Coordinate-wise product.
    @inlinable @inline(__always)
    public static func * (a: Point, b: Point) -> Point { zip(a, b, &*) }
    @inlinable @inline(__always)
    public static func * (a: Point, s: Int) -> Point { a.map { $0 &* s } }
    @inlinable @inline(__always)
    public static prefix func - (a: Point) -> Point { a.map { 0 &- $0 } }
    @inlinable @inline(__always)
    public static func += (a: inout Point, b: Point) { a = a + b }
    @inlinable @inline(__always)
    public static func -= (a: inout Point, b: Point) { a = a - b }

    /// Coordinate-wise minimum.
    @inlinable @inline(__always)
    public static func min(_ a: Point, _ b: Point) -> Point { zip(a, b, Swift.min) }
    /// Coordinate-wise maximum.
    @inlinable @inline(__always)
    public static func max(_ a: Point, _ b: Point) -> Point { zip(a, b, Swift.max) }

    /// Floor division by a positive ratio per axis (coarsening rounds toward −∞).
    @inlinable
    public func floorDivided(by ratio: Point) -> Point {
        Point.zip(self, ratio) { a, r in a >= 0 ? a / r : -((-a + r - 1) / r) }
    }
}
