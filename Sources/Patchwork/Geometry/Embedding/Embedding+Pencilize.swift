extension Embedding {
    /// Remaps boxes into one long pencil along `axis` (KeLPIO's `Pencilize`): the boxes are laid
    /// one after another along `axis`, in list order, each keeping its shape, with their lower
    /// corners at 0 on the other axes.
    ///
    /// ```swift
    /// let layout = try Embedding.pencilize(boxes: patches, axis: 0)
    /// layout.fileShape            // (Σ extents along 0, max extents on the other axes)
    /// layout.slab(of: 2)          // the contiguous file elements box 2 occupies (row-major)
    /// ```
    ///
    /// Box `i` occupies the slab `[oᵢ, oᵢ + extentᵢ)` along `axis`, where `oᵢ` is the sum of the
    /// extents of the boxes before it, and no other box meets that slab. With `axis == 0` in
    /// row-major order (last index fastest) the slab is one contiguous range of file elements
    /// (``slab(of:)``), so each box is read or written with one contiguous access; the box fills
    /// its slab exactly — no padding — when its extents on the other axes equal the file's, as
    /// when all boxes share a cross-section (``isDense``).
    ///
    /// Throws ``GeometryError/indexOutOfRange(name:index:range:)`` for an axis outside `0 ..< N`,
    /// ``GeometryError/invalidValue(name:value:requirement:)`` for an empty box or a file extent
    /// that overflows `Int`.
    ///
    /// - Complexity: O(n · N) plus the validation of ``init(boxes:shifts:fileShape:)``.
    public static func pencilize(boxes: [Box<N>], axis: Int = 0) throws(GeometryError) -> Embedding {
        guard (0..<N).contains(axis) else {
            throw .indexOutOfRange(name: "axis", index: axis, range: 0..<N)
        }
        try checkNonEmpty(boxes)
        var fileShape = Point<N>.zero
        var shifts = [Point<N>]()
        shifts.reserveCapacity(boxes.count)
        var offset = 0
        for box in boxes {
            let shape = box.shape
            var target = Point<N>.zero
            target[axis] = offset
            shifts.append(target - box.lower)
            offset = try checkedSum(offset, shape[axis], axis: axis)
            fileShape = Point.max(fileShape, shape)
        }
        fileShape[axis] = offset
        return try Embedding(boxes: boxes, shifts: shifts, fileShape: fileShape)
    }

    /// The range of row-major linear file offsets (last index fastest) from the first to one past
    /// the last cell of the slab that box `i` occupies along axis 0: `[lower₀ · S, upper₀ · S)` for
    /// `S` the product of the file's other extents.
    ///
    /// For a ``pencilize(boxes:axis:)`` layout along axis 0 no other box has a cell in this range;
    /// for other layouts the range may hold cells of other boxes. `i` must be in `0 ..< count`.
    public func slab(of i: Int) -> Range<Int> {
        var stride = 1
        for a in 1..<Swift.max(1, N) { stride &*= fileShape[a] }
        let e = embedded(i)
        return (e.lower[0] &* stride) ..< (e.upper[0] &* stride)
    }

    /// True when every box fills the file on all axes but axis 0, so that each box is exactly the
    /// contiguous range ``slab(of:)`` of the file and the file holds no padding.
    public var isDense: Bool {
        for i in boxes.indices {
            let shape = boxes[i].shape
            for a in 1..<Swift.max(1, N) where shape[a] != fileShape[a] { return false }
        }
        return true
    }
}
