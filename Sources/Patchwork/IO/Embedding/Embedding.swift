/// A placement of boxes in a file without overlap: KeLPIO's `EmbeddingX`. Box `i` (a patch's
/// storage, ghosts included, or any box) is shifted by `shifts[i]` into the file domain
/// `[0, fileShape)`; the patches keep their data, only the file positions change.
///
/// ```swift
/// let withGhosts = plan.boxes.map { $0.grown(by: 2) }          // overlapping
/// let e = Embedding.removingOverlap(withGhosts)                 // neighbours stay neighbours
/// let p = Embedding.pencil(withGhosts, along: 0)                // one long pencil along axis 0
/// e.fileShape; e.shifts[3]; e.placedBox(3)
/// ```
///
/// ``removingOverlap(_:)`` keeps a grid of boxes (as a block decomposition with ghosts makes) in
/// its arrangement, spreading the rows and columns apart (KeLPIO's `RemoveOverlap` for regular
/// decompositions); boxes that do not form a grid are stacked as a pencil instead (the general
/// problem is rectangular bin packing; this is correct, not optimal). ``pencil(_:along:)`` is
/// KeLPIO's `Pencilize`: the boxes end to end along one axis, a layout where each box is one
/// contiguous run of the file when `axis` is 0. A plain `Sendable` value.
/// - Complexity: O(boxes × N) to build (plus sorting the grid lines).
public struct Embedding<let N: Int>: Sendable {
    /// The boxes placed (in their own coordinates).
    public let boxes: [Box<N>]
    /// File position = box cell + `shifts[i]`.
    public let shifts: [Point<N>]
    /// The shape of the file domain `[0, fileShape)` that holds every placed box.
    public let fileShape: Point<N>

    /// Box `i` in file coordinates.
    public func placedBox(_ i: Int) -> Box<N> { boxes[i].shifted(by: shifts[i]) }

    /// Places the boxes end to end along `axis`, aligned at 0 on the other axes.
    public static func pencil(_ boxes: [Box<N>], along axis: Int = 0) -> Embedding {
        var shifts: [Point<N>] = []
        var extent = Point<N>.zero
        var position = 0
        for box in boxes {
            var target = Point<N>.zero
            target[axis] = position
            shifts.append(target - box.lower)
            position += box.shape[axis]
            extent = Point.max(extent, box.shape)
        }
        extent[axis] = position
        return Embedding(boxes: boxes, shifts: shifts, fileShape: extent)
    }

    /// Places the boxes without overlap, keeping a grid arrangement when the boxes form one
    /// (every box's lower corner is a grid line on each axis and boxes in one grid row share their
    /// extent); otherwise a pencil along axis 0.
    public static func removingOverlap(_ boxes: [Box<N>]) -> Embedding {
        // Grid lines per axis: distinct lower corners, sorted; each line's slab gets the widest extent.
        var lines: [[Int]] = []
        var widths: [[Int]] = []
        for axis in 0..<N {
            let l = Array(Set(boxes.map { $0.lower[axis] })).sorted()
            var w = [Int](repeating: 0, count: l.count)
            for box in boxes {
                let k = l.firstIndex(of: box.lower[axis])!
                w[k] = Swift.max(w[k], box.shape[axis])
            }
            lines.append(l)
            widths.append(w)
        }
        // A grid: no two boxes in one cell of the grid, so the placement cannot overlap.
        var seen = Set<[Int]>()
        for box in boxes {
            let cell = (0..<N).map { lines[$0].firstIndex(of: box.lower[$0])! }
            if !seen.insert(cell).inserted { return pencil(boxes) }
        }
        var shifts: [Point<N>] = []
        let offsets: [[Int]] = widths.map { w in w.reduce(into: [0]) { $0.append($0.last! + $1) } }
        for box in boxes {
            var target = Point<N>.zero
            for axis in 0..<N { target[axis] = offsets[axis][lines[axis].firstIndex(of: box.lower[axis])!] }
            shifts.append(target - box.lower)
        }
        var shape = Point<N>.zero
        for axis in 0..<N { shape[axis] = offsets[axis].last! }
        return Embedding(boxes: boxes, shifts: shifts, fileShape: shape)
    }

    /// True when no two placed boxes overlap and all lie in `[0, fileShape)`.
    public var isValid: Bool {
        let domain = Box<N>(uncheckedLower: .zero, upper: fileShape)
        let placed = boxes.indices.map(placedBox)
        for (i, a) in placed.enumerated() {
            if !domain.contains(a) { return false }
            for b in placed[(i + 1)...] where a.intersects(b) { return false }
        }
        return true
    }
}
