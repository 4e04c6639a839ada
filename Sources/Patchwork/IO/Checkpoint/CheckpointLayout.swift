/// How a checkpoint places a quantity's patches in its file array.
///
/// ```swift
/// let w = try CheckpointWriter(root: "ckpt", step: 10, time: 1, floorPlan: plan, layout: .pencils(axis: 0))
/// ```
///
/// - ``global``: interiors form one array over the data domain (what xarray shows as the field);
///   with ghosts, ``Embedding/removeOverlap(boxes:)`` of the ghost-inclusive boxes.
/// - ``pencils(axis:)``: ``Embedding/pencilize(boxes:axis:)``-style, patches (with their ghosts
///   when saved) one after another along `axis`, grouped by owner rank, each rank's run starting
///   on a chunk boundary; chunks span the file on the other axes. Every chunk then belongs to one
///   rank, so ranks write their own chunk files without coordination (Zarr under MPI), and a
///   patch along axis 0 is one contiguous range of the file.
///
/// Either layout is read back onto any floor plan; the layout is recorded in the file.
public enum CheckpointLayout: Sendable, Equatable {
    /// One array over the data domain.
    case global
    /// Patches one after another along `axis`, rank by rank, each rank's run chunk-aligned.
    case pencils(axis: Int)
}

extension CheckpointLayout {
    /// The pencil layout of `boxes` (box `i` owned by `owners[i]`): the embedding and the chunk
    /// shape (at most about 16 MiB of `elementBytes`-byte elements and the shortest rank's run
    /// along `axis`, the file's extent on every other axis). Boxes of one owner are consecutive (in index order), owners in increasing
    /// order; a change of owner moves the next box to a multiple of the chunk extent.
    static func pencils<let N: Int>(_ boxes: [Box<N>], owners: [Int], axis: Int,
                                    elementBytes: Int) throws(GeometryError) -> (Embedding<N>, [Int]) {
        guard (0..<N).contains(axis) else { throw .indexOutOfRange(name: "pencil axis", index: axis, range: 0..<N) }
        var cross = [Int](repeating: 0, count: N)
        for box in boxes {
            for a in 0..<N where a != axis { cross[a] = Swift.max(cross[a], box.shape[a]) }
        }
        let row = (0..<N).reduce(elementBytes) { $1 == axis ? $0 : $0 * Swift.max(cross[$1], 1) }
        // At most ~16 MiB, and no longer than the shortest rank's run: padding at a change of
        // owner is then under one chunk, none when the runs are equal.
        var runs: [Int: Int] = [:]
        for (i, box) in boxes.enumerated() { runs[owners[i], default: 0] += box.shape[axis] }
        let shortest = runs.values.filter { $0 > 0 }.min() ?? 1
        let chunk = Swift.max(1, Swift.min(shortest, (16 << 20) / Swift.max(row, 1)))
        let order = boxes.indices.sorted { (owners[$0], $0) < (owners[$1], $1) }
        var shifts = [Point<N>](repeating: .zero, count: boxes.count)
        var offset = 0
        var previousOwner: Int? = nil
        for i in order {
            if let previousOwner, previousOwner != owners[i] { offset = (offset + chunk - 1) / chunk * chunk }
            previousOwner = owners[i]
            var at = Point<N>.zero
            at[axis] = offset
            shifts[i] = at - boxes[i].lower
            offset += boxes[i].shape[axis]
        }
        var fileShape = Point<N>(InlineArray { cross[$0] })
        fileShape[axis] = offset
        var chunkShape = fileShape.array.map { Swift.max($0, 1) }
        chunkShape[axis] = chunk
        return (try Embedding(boxes: boxes, shifts: shifts, fileShape: fileShape), chunkShape)
    }
}
