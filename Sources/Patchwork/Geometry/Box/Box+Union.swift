extension Box {
    /// The cells of either box as disjoint boxes: this box (when non-empty) followed by the
    /// pieces of `other` outside it (at most 1 + 2N boxes).
    ///
    /// ```swift
    /// let a = try Box<2>(lower: [0, 0], upper: [4, 4])
    /// a.union(a.shifted(by: [2, 2]))   // [a, [4, 2]..<[6, 6], [2, 4]..<[4, 6]]
    /// ```
    ///
    /// - Complexity: O(N²); allocates the result array.
    @inlinable
    public func union(_ other: Box) -> [Box] {
        var result: [Box] = isEmpty ? [] : [self]
        other.forEachPiece(subtracting: self) { result.append($0) }
        return result
    }

    /// A disjoint cover of the union of `boxes`: non-empty, pairwise disjoint boxes holding
    /// exactly the cells of the input boxes. Box `i` contributes the part of itself that no
    /// earlier box covers, so the cover is deterministic. Empty inputs are dropped.
    ///
    /// ```swift
    /// Box.disjointCover(of: [a, b, c])   // same cells as a ∪ b ∪ c, no overlaps
    /// ```
    ///
    /// - Complexity: about O(n + Σ kᵢ·pᵢ) with a ``BoxIndex``, where kᵢ is the number of earlier
    ///   boxes meeting box i and pᵢ the pieces left of it; O(n) for boxes that barely overlap.
    public static func disjointCover(of boxes: [Box]) -> [Box] {
        let index = BoxIndex(boxes)
        var cover: [Box] = []
        cover.reserveCapacity(boxes.count)
        var overlapping: [Int] = []
        var pieces: [Box] = []
        var next: [Box] = []
        for (i, box) in boxes.enumerated() where !box.isEmpty {
            overlapping.removeAll(keepingCapacity: true)
            index.forEachIntersecting(box) { j in if j < i { overlapping.append(j) } }
            if overlapping.isEmpty { cover.append(box); continue }
            overlapping.sort()
            pieces.removeAll(keepingCapacity: true)
            pieces.append(box)
            for j in overlapping {
                next.removeAll(keepingCapacity: true)
                for piece in pieces { piece.forEachPiece(subtracting: boxes[j]) { next.append($0) } }
                swap(&pieces, &next)
                if pieces.isEmpty { break }
            }
            cover += pieces
        }
        return cover
    }
}
