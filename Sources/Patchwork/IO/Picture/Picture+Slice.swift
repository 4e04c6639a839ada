extension Picture {
    /// Renders the 2-D slice at `index` along `axis` of a 3-D field stored row-major (last index
    /// fastest) with extents `shape`.
    ///
    /// ```swift
    /// // The middle z-plane of a field u[x, y, z] of shape (nx, ny, nz): an image of nx rows × ny.
    /// let picture = try Picture(slice: u, shape: [nx, ny, nz], axis: 2, index: nz / 2)
    /// ```
    ///
    /// Of the two remaining axes `a < b`, image rows follow `a` (height `shape[a]`) and columns
    /// follow `b` (width `shape[b]`). With an automatic range the colours span the slice's own
    /// minimum and maximum; pass the field's range to compare slices or snapshots.
    ///
    /// Throws ``PictureError/invalidSlice(axis:index:shape:valueCount:)`` when `axis` is not
    /// 0, 1 or 2, `index` is outside `0 ..< shape[axis]`, or `values.count` is not the product of
    /// `shape`; otherwise as ``init(values:width:height:colorMap:range:)-([Double],_,_,_,_)``.
    ///
    /// - Complexity: O(shape[a] · shape[b]): copies the slice once.
    public init(
        slice values: UnsafeBufferPointer<Double>, shape: Point<3>, axis: Int, index: Int,
        colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        let bad = PictureError.invalidSlice(axis: axis, index: index, shape: shape.array, valueCount: values.count)
        guard (0..<3).contains(axis), shape[0] >= 0, shape[1] >= 0, shape[2] >= 0 else { throw bad }
        guard index >= 0, index < shape[axis] else { throw bad }
        var total = 1
        for a in 0..<3 {
            let (p, overflow) = total.multipliedReportingOverflow(by: shape[a])
            guard !overflow else { throw bad }
            total = p
        }
        guard total == values.count else { throw bad }
        let rows = axis == 0 ? 1 : 0
        let columns = axis == 2 ? 1 : 2
        let height = shape[rows], width = shape[columns]
        _ = try Self.checkSize(width: width, height: height)
        let strides = Point<3>(shape[1] * shape[2], shape[2], 1)
        var plane = [Double](repeating: 0, count: width * height)
        plane.withUnsafeMutableBufferPointer { out in
            let base = index * strides[axis]
            for y in 0..<height {
                let row = base + y * strides[rows]
                for x in 0..<width { out[y * width + x] = values[row + x * strides[columns]] }
            }
        }
        self = try Picture(values: plane, width: width, height: height, colorMap: colorMap, range: range)
    }

    /// Renders a slice of a field held in an array; see ``init(slice:shape:axis:index:colorMap:range:)-([Double],_,_,_,_,_)``.
    public init(
        slice values: [Double], shape: Point<3>, axis: Int, index: Int,
        colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        let result = values.withUnsafeBufferPointer { buffer in
            Result { () throws(PictureError) in
                try Picture(slice: buffer, shape: shape, axis: axis, index: index, colorMap: colorMap, range: range)
            }
        }
        self = try result.get()
    }
}
