extension BoxList {
    /// Calls `body` with the first cell and the length of every row of the region (a run of
    /// cells along the last axis) in row-major order of the whole region, not box by box: rows
    /// from different boxes that continue each other are joined.
    ///
    /// ```swift
    /// let region: BoxList<2> = [try Box(lower: [0, 2], upper: [2, 4]), try Box(lower: [0, 0], upper: [1, 2])]
    /// region.forEachRow { start, length in … }   // (0,0)×4, (1,2)×2
    /// ```
    ///
    /// - Complexity: O(r log r) for the r rows of the boxes (they are sorted); allocates the row
    ///   list.
    public func forEachRow<E: Error>(_ body: (_ start: Point<N>, _ length: Int) throws(E) -> Void) throws(E) {
        var rows: [(start: Point<N>, length: Int)] = []
        for box in boxes { box.forEachRow { rows.append(($0, $1)) } }
        rows.sort { $0.start < $1.start }
        var k = 0
        while k < rows.count {
            var (start, length) = rows[k]
            k += 1
            // Disjoint rows on one line follow each other in the sorted order; join touching ones.
            while k < rows.count && rows[k].start == Point(InlineArray { $0 == N - 1 ? start[$0] + length : start[$0] }) {
                length += rows[k].length
                k += 1
            }
            try body(start, length)
        }
    }

    /// Calls `body` with every cell of the region in row-major order (last axis fastest).
    ///
    /// - Complexity: O(volume + r log r) for r rows.
    public func forEachCell<E: Error>(_ body: (Point<N>) throws(E) -> Void) throws(E) {
        try forEachRow { (start: Point<N>, length: Int) throws(E) in
            var p = start
            for k in 0..<length {
                p[N - 1] = start[N - 1] + k
                try body(p)
            }
        }
    }

    /// The cells of the region in row-major order.
    ///
    /// - Complexity: O(volume + r log r); allocates the array.
    public var cells: [Point<N>] {
        var result: [Point<N>] = []
        result.reserveCapacity(volume)
        forEachCell { result.append($0) }
        return result
    }
}
