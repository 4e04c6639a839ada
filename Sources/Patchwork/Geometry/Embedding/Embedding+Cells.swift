extension Embedding {
    /// Where cell `point` of box `i` is stored in the file: `point + shift(of: i)`.
    ///
    /// `i` must be in `0 ..< count`; throws ``GeometryError/boxOutsideDomain(box:domain:)`` when
    /// `point` is not a cell of `boxes[i]`.
    ///
    /// - Complexity: O(N).
    @inlinable
    public func filePoint(of point: Point<N>, inBox i: Int) throws(GeometryError) -> Point<N> {
        guard boxes.indices.contains(i) else {
            throw .indexOutOfRange(name: "box", index: i, range: boxes.indices)
        }
        guard boxes[i].contains(point) else {
            throw .boxOutsideDomain(box: "cell \(point)", domain: "box \(i) \(boxes[i])")
        }
        return point + shifts[i]
    }

    /// The box and cell stored at file position `filePoint`, or nil for padding and for positions
    /// outside the file: the inverse of ``filePoint(of:inBox:)``.
    ///
    /// ```swift
    /// let q = try layout.filePoint(of: p, inBox: 4)
    /// layout.locate(q)!     // (box: 4, cell: p)
    /// ```
    ///
    /// - Complexity: one ``BoxIndex`` query, O(1) for boxes of comparable size; allocates nothing.
    @inlinable
    public func locate(_ filePoint: Point<N>) -> (box: Int, cell: Point<N>)? {
        var found = -1
        index.forEachIntersecting(Box(uncheckedLower: filePoint, upper: filePoint + Point(repeating: 1))) { j in
            found = j
        }
        guard found >= 0 else { return nil }
        return (found, filePoint - shifts[found])
    }
}
