extension Box {
    /// Calls `body` for every row of the box (a run of cells along the last axis, the contiguous
    /// one in row-major storage), in row-major order: the row's first cell and its length.
    ///
    /// ```swift
    /// box.forEachRow { start, count in
    ///     let d = dst.pointer(at: start), s = src.pointer(at: start)
    ///     for i in 0 ..< count { d[i] = 2 * s[i] }    // unit stride: vectorised
    /// }
    /// ```
    ///
    /// This is the loop skeleton of Patchwork's kernels: the outer `N − 1` axes advance an
    /// odometer (O(N) per row, amortised over the row), the inner loop is the caller's, over
    /// contiguous memory. Specialised and inlined for each `N`; nothing is allocated.
    ///
    /// - Complexity: O(volume / rowLength · N) plus the body's work. An empty box calls nothing.
    @inlinable @inline(__always)
    public func forEachRow<E: Error>(_ body: (_ start: Point<N>, _ count: Int) throws(E) -> Void) throws(E) {
        if isEmpty { return }
        let count = upper[N - 1] &- lower[N - 1]
        var p = lower
        while true {
            try body(p, count)
            var axis = N &- 2
            while axis >= 0 {
                p[axis] &+= 1
                if p[axis] < upper[axis] { break }
                p[axis] = lower[axis]
                axis &-= 1
            }
            if axis < 0 { return }
        }
    }

    /// Calls `body` for every cell of the box in row-major order (last axis fastest).
    ///
    /// - Complexity: O(volume · N).
    @inlinable @inline(__always)
    public func forEachCell<E: Error>(_ body: (Point<N>) throws(E) -> Void) throws(E) {
        try forEachRow { (start: Point<N>, count: Int) throws(E) in
            var p = start
            for _ in 0..<count {
                try body(p)
                p[N - 1] &+= 1
            }
        }
    }

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
