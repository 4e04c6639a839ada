extension Box {
    /// The cells of this box that are not in `other`, as at most 2N disjoint boxes.
    ///
    /// ```swift
    /// let ring = try Box<2>(lower: [0, 0], upper: [4, 4])
    ///     .subtracting(Box(lower: [1, 1], upper: [3, 3]))   // 4 boxes, 12 cells
    /// ```
    ///
    /// The pieces are slabs peeled off axis by axis (axis 0 first, below then above), so the
    /// result is deterministic, non-empty boxes only, pairwise disjoint. If the boxes do not
    /// meet, the result is `[self]` (or `[]` when this box is empty).
    ///
    /// - Complexity: O(N²); allocates the result array.
    @inlinable
    public func subtracting(_ other: Box) -> [Box] {
        var pieces: [Box] = []
        forEachPiece(subtracting: other) { pieces.append($0) }
        return pieces
    }

    /// Calls `body` with each box of ``subtracting(_:)`` in the same order, allocating nothing.
    @inlinable
    public func forEachPiece(subtracting other: Box, _ body: (Box) -> Void) {
        if isEmpty { return }
        guard intersects(other) else { body(self); return }
        var rest = self
        for a in 0..<N {
            if rest.lower[a] < other.lower[a] {
                var piece = rest
                piece.upper[a] = other.lower[a]
                body(piece)
                rest.lower[a] = other.lower[a]
            }
            if rest.upper[a] > other.upper[a] {
                var piece = rest
                piece.lower[a] = other.upper[a]
                body(piece)
                rest.upper[a] = other.upper[a]
            }
        }
    }
}
