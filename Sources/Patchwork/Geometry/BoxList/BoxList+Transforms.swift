extension BoxList {
    /// Merges boxes that share a face and together form a box (``Box/coalesced(_:)``); the cells
    /// are unchanged.
    ///
    /// - Complexity: O(r · N · n log n) for r (few) rounds.
    public mutating func coalesce() {
        boxes = Box.coalesced(boxes)
    }

    /// The same cells with boxes that form a box merged.
    public func coalesced() -> BoxList {
        BoxList(unchecked: Box.coalesced(boxes))
    }

    /// The region moved by `offset`.
    ///
    /// - Complexity: O(n).
    public func shifted(by offset: Point<N>) -> BoxList {
        BoxList(unchecked: boxes.map { $0.shifted(by: offset) })
    }

    /// The region on the lattice `ratio` times finer (disjoint boxes stay disjoint).
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` for a ratio below 1.
    ///
    /// - Complexity: O(n).
    public func refined(by ratio: Point<N>) throws(GeometryError) -> BoxList {
        var result: [Box<N>] = []
        result.reserveCapacity(boxes.count)
        for b in boxes { result.append(try b.refined(by: ratio)) }
        if boxes.isEmpty { try Box<N>.checkRatio(ratio) }
        return BoxList(unchecked: result)
    }

    /// ``refined(by:)-(Point<N>)`` with the same ratio on every axis.
    public func refined(by ratio: Int) throws(GeometryError) -> BoxList {
        try refined(by: Point(repeating: ratio))
    }

    /// The region on the lattice `ratio` times coarser, rounded outward: the coarse cells that
    /// hold at least one cell of the region (coarsened boxes may overlap, so they are united).
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` for a ratio below 1.
    ///
    /// - Complexity: about O(n) plus the union of the coarsened boxes.
    public func coarsened(by ratio: Point<N>) throws(GeometryError) -> BoxList {
        try Box<N>.checkRatio(ratio)
        var result: [Box<N>] = []
        result.reserveCapacity(boxes.count)
        for b in boxes { result.append(try b.coarsened(by: ratio)) }
        return BoxList(result)
    }

    /// ``coarsened(by:)-(Point<N>)`` with the same ratio on every axis.
    public func coarsened(by ratio: Int) throws(GeometryError) -> BoxList {
        try coarsened(by: Point(repeating: ratio))
    }

    /// The cells within `width` cells (per axis) of the region: the union of its boxes grown by
    /// `width`. Throws ``GeometryError/invalidValue(name:value:requirement:)`` for a negative
    /// width (shrinking a region that is cut into boxes is not the same as shrinking each box).
    public func grown(by width: Int) throws(GeometryError) -> BoxList {
        guard width >= 0 else {
            throw .invalidValue(name: "width", value: width, requirement: "non-negative")
        }
        return BoxList(boxes.map { $0.grown(by: width) })
    }
}
