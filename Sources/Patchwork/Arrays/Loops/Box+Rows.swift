extension Box {
    /// Calls `body` for every row of the box with the row's linear offsets from `box.lower` in two
    /// layouts (`first` and `second` strides: a source and a destination view) and its length,
    /// advancing the offsets incrementally (O(1) amortised per row, no multiplications).
    ///
    /// ```swift
    /// let s = src.pointer(at: box.lower), d = dst.pointer(at: box.lower)
    /// box.forEachRow(strides: src.strides, dst.strides) { so, dO, count in
    ///     for i in 0 ..< count { d[dO + i] = 2 * s[so + i] }
    /// }
    /// ```
    ///
    /// - Complexity: O(volume / rowLength) plus the body's work.
    @inlinable @inline(__always)
    public func forEachRow<E: Error>(
        strides first: Point<N>, _ second: Point<N>,
        _ body: (_ firstOffset: Int, _ secondOffset: Int, _ count: Int) throws(E) -> Void
    ) throws(E) {
        if isEmpty { return }
        let count = upper[N - 1] &- lower[N - 1]
        var index = Point<N>.zero
        let extent = shape
        var a = 0, b = 0
        while true {
            try body(a, b, count)
            var axis = N &- 2
            while axis >= 0 {
                index[axis] &+= 1
                a &+= first[axis]
                b &+= second[axis]
                if index[axis] < extent[axis] { break }
                index[axis] = 0
                a &-= extent[axis] &* first[axis]
                b &-= extent[axis] &* second[axis]
                axis &-= 1
            }
            if axis < 0 { return }
        }
    }
}
