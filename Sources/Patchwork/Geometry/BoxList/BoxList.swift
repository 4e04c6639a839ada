/// A region of the lattice held as a list of pairwise disjoint, non-empty boxes: KeLP's
/// `RegionList` / AMReX's `BoxList`.
///
/// Every operation keeps the boxes disjoint, so a cell of the region lies in exactly one box and
/// the volume is the sum of the boxes' volumes. Adding boxes has union semantics: the parts
/// already present are not added twice.
///
/// ```swift
/// var region = BoxList<2>()
/// region.insert(try Box(lower: [0, 0], upper: [4, 4]))
/// region.insert(try Box(lower: [2, 2], upper: [6, 6]))   // adds only the 12 new cells
/// region.volume                                          // 28
/// region.subtract(try Box(lower: [1, 1], upper: [3, 3])) // punch a hole
/// region.contains(Point(1, 1))                           // false
/// for box in region { … }                                // a RandomAccessCollection of boxes
/// ```
///
/// A `BoxList` is a `Sendable` value with copy-on-write storage (an array of boxes). The order of
/// the boxes is deterministic but not otherwise meaningful; ``coalesce()`` merges boxes that
/// together form a box.
///
/// - Complexity: point queries are O(n); set operations between lists use a ``BoxIndex`` and
///   cost about O(n + m + k) for k meeting pairs, not O(n·m).
public struct BoxList<let N: Int>: Sendable {
    /// The disjoint, non-empty boxes.
    public internal(set) var boxes: [Box<N>]

    /// The empty region.
    public init() { boxes = [] }

    /// The region of one box (empty when the box is).
    public init(_ box: Box<N>) { boxes = box.isEmpty ? [] : [box] }

    /// The union of `boxes`, which may overlap: a disjoint cover (``Box/disjointCover(of:)``).
    ///
    /// - Complexity: about O(n) for boxes that barely overlap (a spatial index finds the overlaps).
    public init(_ boxes: some Sequence<Box<N>>) {
        self.boxes = Box.disjointCover(of: Array(boxes))
    }

    /// The region of boxes that must already be pairwise disjoint; empty boxes are dropped.
    /// Throws ``GeometryError/overlappingBoxes(first:second:overlap:)`` naming the first
    /// overlapping pair (indices into `boxes`) and their common cells.
    ///
    /// - Complexity: about O(n) with a ``BoxIndex``.
    public init(disjoint boxes: [Box<N>]) throws(GeometryError) {
        if let (i, j) = Self.firstOverlap(in: boxes) {
            throw .overlappingBoxes(first: i, second: j, overlap: boxes[i].intersection(boxes[j]).description)
        }
        self.boxes = boxes.filter { !$0.isEmpty }
    }

    /// Wraps boxes known to be disjoint and non-empty (no check).
    internal init(unchecked boxes: [Box<N>]) { self.boxes = boxes }

    /// The number of cells.
    ///
    /// - Complexity: O(n).
    @inlinable
    public var volume: Int {
        var v = 0
        for box in boxes { v &+= box.volume }
        return v
    }

    /// The smallest box containing every cell (``Box/empty`` when the region is empty).
    ///
    /// - Complexity: O(n).
    @inlinable
    public var boundingBox: Box<N> {
        boxes.reduce(Box<N>.empty) { $0.boundingBox($1) }
    }

    /// True when `point` is a cell of the region.
    ///
    /// - Complexity: O(n).
    @inlinable
    public func contains(_ point: Point<N>) -> Bool {
        boxes.contains { $0.contains(point) }
    }

    /// True when every cell of `box` is a cell of the region (not only when `box` is one of the
    /// list's boxes).
    ///
    /// - Complexity: O(n).
    @inlinable
    public func contains(_ box: Box<N>) -> Bool {
        if box.isEmpty { return true }
        var covered = 0
        for b in boxes { covered &+= b.intersection(box).volume }
        return covered == box.volume
    }

    /// True when every cell of `other` is a cell of the region.
    public func contains(_ other: BoxList) -> Bool {
        other.intersection(self).volume == other.volume
    }

    /// True when both lists hold the same cells, however they are cut into boxes.
    public func hasSameCells(as other: BoxList) -> Bool {
        let v = volume
        return v == other.volume && intersection(other).volume == v
    }

    /// The first pair `(i, j)`, `i < j`, of overlapping boxes, or `nil` when they are disjoint.
    internal static func firstOverlap(in boxes: [Box<N>]) -> (Int, Int)? {
        let index = BoxIndex(boxes)
        for i in boxes.indices where !boxes[i].isEmpty {
            var first = Int.max
            index.forEachIntersecting(boxes[i]) { j in if j != i && j < first { first = j } }
            if first != Int.max { return (i, first) }
        }
        return nil
    }

    /// Checks the invariant (non-empty, pairwise disjoint boxes); for tests.
    internal var satisfiesInvariants: Bool {
        boxes.allSatisfy { !$0.isEmpty } && Self.firstOverlap(in: boxes) == nil
    }
}

public typealias BoxList1 = BoxList<1>
public typealias BoxList2 = BoxList<2>
public typealias BoxList3 = BoxList<3>
public typealias BoxList4 = BoxList<4>
