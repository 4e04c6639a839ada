/// A placement of a list of boxes in a file index space: a shift per box such that the shifted
/// boxes are pairwise disjoint and lie inside `[0, fileShape)` (KeLPIO's `EmbeddingX`).
///
/// Patches with ghost cells overlap one another, so their ghost-inclusive boxes cannot be stored
/// at their own coordinates in one file array (replicated cells generally hold different values).
/// An embedding translates every box to a position of its own; the patches keep storing their data
/// at their own coordinates, and only the file side of an I/O plan uses the embedded boxes.
///
/// ```swift
/// let ghosted = plan.boxes.map { $0.grown(by: 2) }          // overlapping
/// let layout = try Embedding.removeOverlap(boxes: ghosted)  // disjoint in the file
/// layout.embedded(3)                 // where patch 3 (with its ghosts) lies in the file
/// layout.fileShape                   // the extent of the file array
/// layout.filePoint(of: cell, inBox: 3)   // cell + shift(of: 3)
/// ```
///
/// Constructors: ``removeOverlap(boxes:)`` (regular block layouts exactly as KeLPIO's
/// `RemoveOverlap`, other box lists by a shelf packing), ``removeOverlap(interiors:ghostWidth:)``,
/// ``pencilize(boxes:axis:)`` (boxes one after another along one axis), and
/// ``init(boxes:shifts:fileShape:)`` for a layout chosen by the application; all validate their
/// result, so an `Embedding` value always holds disjoint embedded boxes inside the file.
///
/// Semantics: an immutable `Sendable` value; box `i` is the `i`-th box of the list it was built
/// from. Every box is non-empty.
///
/// - Complexity: building costs O(n log n + e) for n boxes (the disjointness check uses a
///   ``BoxIndex``; e is its bin incidences, O(n) for boxes of comparable size); `embedded(_:)`,
///   `shift(of:)` and `filePoint(of:inBox:)` are O(N); ``locate(_:)`` is a ``BoxIndex`` query.
public struct Embedding<let N: Int>: Sendable {
    /// The boxes as given (box `i` is `boxes[i]`).
    public let boxes: [Box<N>]
    /// The shift of each box: box `i` lies at `boxes[i].shifted(by: shifts[i])` in the file.
    public let shifts: [Point<N>]
    /// The extent of the file array: the embedded boxes lie inside `[0, fileShape)`.
    public let fileShape: Point<N>
    /// An index over the embedded boxes, for ``locate(_:)``.
    @usableFromInline internal let index: BoxIndex<N>

    /// Creates an embedding from shifts chosen by the application (KeLPIO: "the application must
    /// provide the mechanism"), checking it.
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` when the counts differ, a box
    /// is empty or a side of `fileShape` is negative, ``GeometryError/boxOutsideDomain(box:domain:)``
    /// when a shifted box leaves `[0, fileShape)`, and
    /// ``GeometryError/overlappingBoxes(first:second:overlap:)`` (overlap in file coordinates) when
    /// two shifted boxes meet.
    ///
    /// - Complexity: O(n log n + e), see the type's documentation.
    public init(boxes: [Box<N>], shifts: [Point<N>], fileShape: Point<N>) throws(GeometryError) {
        guard shifts.count == boxes.count else {
            throw .invalidValue(name: "shift count", value: shifts.count, requirement: "equal to the box count \(boxes.count)")
        }
        try Self.checkNonEmpty(boxes)
        for a in 0..<N where fileShape[a] < 0 {
            throw .invalidValue(name: "file extent along axis \(a)", value: fileShape[a], requirement: "non-negative")
        }
        let fileBox = Box<N>(uncheckedLower: .zero, upper: fileShape)
        var embedded = [Box<N>]()
        embedded.reserveCapacity(boxes.count)
        for i in boxes.indices {
            let e = boxes[i].shifted(by: shifts[i])
            guard fileBox.contains(e) else {
                throw .boxOutsideDomain(box: "\(i) \(e)", domain: "file \(fileBox)")
            }
            embedded.append(e)
        }
        let index = BoxIndex(embedded)
        try Self.checkDisjoint(index)
        self.boxes = boxes
        self.shifts = shifts
        self.fileShape = fileShape
        self.index = index
    }

    /// The number of boxes.
    @inlinable public var count: Int { boxes.count }

    /// The file array's box, `[0, fileShape)`.
    @inlinable public var fileBox: Box<N> { Box(uncheckedLower: .zero, upper: fileShape) }

    /// The number of cells of the file array (embedded boxes plus the padding between them).
    @inlinable public var fileVolume: Int { fileShape.product }

    /// The shift of box `i`: a cell `p` of `boxes[i]` is stored at `p + shift(of: i)` in the file.
    /// `i` must be in `0 ..< count`.
    @inlinable @inline(__always)
    public func shift(of i: Int) -> Point<N> { shifts[i] }

    /// Where box `i` lies in the file: `boxes[i].shifted(by: shift(of: i))`, same shape.
    /// `i` must be in `0 ..< count`.
    @inlinable @inline(__always)
    public func embedded(_ i: Int) -> Box<N> { index.boxes[i] }

    /// All embedded boxes, in the order of ``boxes``.
    @inlinable public var embeddedBoxes: [Box<N>] { index.boxes }

    /// The share of the file's cells that belong to a box (1 for a layout without padding).
    public var density: Double {
        let v = fileVolume
        return v == 0 ? 1 : Double(boxes.reduce(0) { $0 + $1.volume }) / Double(v)
    }
}

extension Embedding {
    /// Throws when a box is empty (an embedding places patches, which hold cells).
    internal static func checkNonEmpty(_ boxes: [Box<N>]) throws(GeometryError) {
        for (i, box) in boxes.enumerated() where box.isEmpty {
            throw .invalidValue(name: "volume of box \(i) \(box)", value: 0, requirement: "positive")
        }
    }

    /// Throws ``GeometryError/overlappingBoxes(first:second:overlap:)`` for the first pair of
    /// indexed boxes that meet.
    internal static func checkDisjoint(_ index: BoxIndex<N>) throws(GeometryError) {
        for i in index.boxes.indices {
            var other = -1
            index.forEachIntersecting(index.boxes[i]) { j in
                if j != i && (other < 0 || j < other) { other = j }
            }
            if other >= 0 {
                let overlap = index.boxes[i].intersection(index.boxes[other])
                throw .overlappingBoxes(first: Swift.min(i, other), second: Swift.max(i, other), overlap: overlap.description)
            }
        }
    }

    /// `a + b`, throwing ``GeometryError/invalidValue(name:value:requirement:)`` on overflow.
    internal static func checkedSum(_ a: Int, _ b: Int, axis: Int) throws(GeometryError) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        if overflow {
            throw .invalidValue(name: "file extent along axis \(axis)", value: a, requirement: "small enough to add \(b) without overflow")
        }
        return s
    }
}
