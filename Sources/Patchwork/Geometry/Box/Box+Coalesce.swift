extension Box {
    /// The union of this box and `other` when that union is itself a box, `nil` otherwise.
    ///
    /// The union is a box when one box contains the other, or when they have the same extent on
    /// every axis but one and touch (share a face) or overlap along that one.
    ///
    /// ```swift
    /// let a = try Box<2>(lower: [0, 0], upper: [2, 4])
    /// a.merged(with: a.shifted(by: [2, 0]))   // [0, 0]..<[4, 4]
    /// a.merged(with: a.shifted(by: [2, 1]))   // nil
    /// ```
    ///
    /// - Complexity: O(N).
    @inlinable
    public func merged(with other: Box) -> Box? {
        if other.isEmpty { return self }
        if isEmpty { return other }
        if contains(other) { return self }
        if other.contains(self) { return other }
        var axis = -1
        for a in 0..<N where lower[a] != other.lower[a] || upper[a] != other.upper[a] {
            if axis >= 0 { return nil }
            axis = a
        }
        guard axis >= 0 else { return self }
        guard upper[axis] >= other.lower[axis] && other.upper[axis] >= lower[axis] else { return nil }
        var merged = self
        merged.lower[axis] = Swift.min(lower[axis], other.lower[axis])
        merged.upper[axis] = Swift.max(upper[axis], other.upper[axis])
        return merged
    }

    /// Merges boxes that share a face and together form a box, until no two can merge along any
    /// axis; drops empty boxes. The cells are unchanged, so disjoint input gives disjoint output.
    ///
    /// ```swift
    /// // The 4×4 blocks of a 16×16 square coalesce to the square.
    /// Box.coalesced(blocks)   // [[0, 0]..<[16, 16]]
    /// ```
    ///
    /// Each round sorts the boxes, for each axis in turn, by their extent on the other axes and
    /// then by their lower corner on that axis, and merges runs of boxes that touch end to end.
    /// The result is deterministic, though (like any greedy merge) not always the fewest boxes.
    ///
    /// - Complexity: O(r · N · n log n) for r rounds (r is small: usually 1 or 2).
    public static func coalesced(_ boxes: [Box]) -> [Box] {
        var current = boxes.filter { !$0.isEmpty }
        var changed = true
        while changed && current.count > 1 {
            changed = false
            for axis in 0..<N {
                let before = current.count
                current = mergeRuns(current, along: axis)
                if current.count < before { changed = true }
            }
        }
        return current
    }

    /// One sweep of ``coalesced(_:)`` along `axis`.
    @usableFromInline
    internal static func mergeRuns(_ boxes: [Box], along axis: Int) -> [Box] {
        // Order: the extent on the other axes, then the lower corner along `axis`.
        let sorted = boxes.sorted { x, y in
            for a in 0..<N where a != axis {
                if x.lower[a] != y.lower[a] { return x.lower[a] < y.lower[a] }
                if x.upper[a] != y.upper[a] { return x.upper[a] < y.upper[a] }
            }
            return x.lower[axis] < y.lower[axis]
        }
        var result: [Box] = []
        result.reserveCapacity(sorted.count)
        for box in sorted {
            if var last = result.last, last.upper[axis] == box.lower[axis], sameCrossSection(last, box, except: axis) {
                last.upper[axis] = box.upper[axis]
                result[result.count - 1] = last
            } else {
                result.append(box)
            }
        }
        return result
    }

    @usableFromInline
    internal static func sameCrossSection(_ x: Box, _ y: Box, except axis: Int) -> Bool {
        for a in 0..<N where a != axis && (x.lower[a] != y.lower[a] || x.upper[a] != y.upper[a]) {
            return false
        }
        return true
    }
}
