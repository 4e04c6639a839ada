/// A region of a resource that a task can name in an access: a ``Box`` of cells, or the whole of a
/// plain value (``WholeValue``).
///
/// ```swift
/// let box = try Box<2>(lower: [0, 0], upper: [8, 8])
/// box.dataflowBox          // the runtime's dimension-free form
/// ```
///
/// The runtime compares regions of the same resource for intersection and containment, so a region
/// maps to a box of at most 4 dimensions (unused axes are `[0, 1)`).
///
/// - Complexity: O(1), no allocation.
public protocol DataflowRegion: Sendable {
    /// The region as the runtime's internal box.
    var dataflowBox: DataflowBox { get }
}

/// The runtime's form of a region: a half-open box of up to 4 dimensions (unused axes `[0, 1)`).
///
/// Public only so that resource types outside the module can conform to ``DataflowRegion``.
@frozen
public struct DataflowBox: Sendable, Hashable, CustomStringConvertible {
    /// Lower corner, 4 coordinates.
    public var lower: InlineArray<4, Int>
    /// Upper corner (exclusive), 4 coordinates.
    public var upper: InlineArray<4, Int>

    /// Creates the box `[lower, upper)` from up to 4 coordinates per corner.
    @inlinable
    public init(lower: InlineArray<4, Int>, upper: InlineArray<4, Int>) {
        self.lower = lower
        self.upper = upper
    }

    /// The unit box, standing for a whole plain value.
    @inlinable @inline(__always) public static var unit: DataflowBox {
        DataflowBox(lower: [0, 0, 0, 0], upper: [1, 1, 1, 1])
    }

    /// The number of cells (0 when empty).
    @inlinable @inline(__always)
    var volume: Int {
        var v = 1
        for i in 0..<4 { v &*= Swift.max(0, upper[i] - lower[i]) }
        return v
    }

    @inlinable @inline(__always)
    var isEmpty: Bool {
        for i in 0..<4 where upper[i] <= lower[i] { return true }
        return false
    }

    @inlinable @inline(__always)
    func intersects(_ other: DataflowBox) -> Bool {
        for i in 0..<4 where Swift.max(lower[i], other.lower[i]) >= Swift.min(upper[i], other.upper[i]) {
            return false
        }
        return true
    }

    @inlinable @inline(__always)
    func contains(_ other: DataflowBox) -> Bool {
        if other.isEmpty { return true }
        for i in 0..<4 where other.lower[i] < lower[i] || other.upper[i] > upper[i] { return false }
        return true
    }

    @inlinable @inline(__always)
    public static func == (a: DataflowBox, b: DataflowBox) -> Bool {
        for i in 0..<4 where a.lower[i] != b.lower[i] || a.upper[i] != b.upper[i] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for i in 0..<4 { hasher.combine(lower[i]); hasher.combine(upper[i]) }
    }

    public var description: String {
        let lo = (0..<4).map { String(lower[$0]) }.joined(separator: ", ")
        let hi = (0..<4).map { String(upper[$0]) }.joined(separator: ", ")
        return "[\(lo)] ..< [\(hi)]"
    }
}

extension Box: DataflowRegion {
    /// The box padded to 4 axes with `[0, 1)`.
    @inlinable @inline(__always)
    public var dataflowBox: DataflowBox {
        var b = DataflowBox.unit
        for i in 0..<Swift.min(N, 4) {
            b.lower[i] = lower[i]
            b.upper[i] = upper[i]
        }
        return b
    }
}

/// The region "all of it" of a plain value held in a ``Shared`` reference.
public struct WholeValue: DataflowRegion, Hashable {
    /// The only value.
    @inlinable public init() {}
    @inlinable public var dataflowBox: DataflowBox { .unit }
}
