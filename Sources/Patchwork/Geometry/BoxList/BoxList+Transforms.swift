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

    /// The region grown by `width` cells on every side (``grown(lower:upper:)`` with `width` on
    /// every side); a negative width shrinks it (``shrunk(by:)``). Never throws for a uniform
    /// width.
    public func grown(by width: Int) throws(GeometryError) -> BoxList {
        try grown(lower: Point(repeating: width), upper: Point(repeating: width))
    }

    /// The region shrunk by `width` cells on every side: the cells whose whole `width`
    /// neighbourhood (per axis) lies in the region. A negative width grows it.
    public func shrunk(by width: Int) throws(GeometryError) -> BoxList {
        try grown(by: -width)
    }

    /// The region grown per side: a cell `p` is in the result when some cell `q` of the region has
    /// `q[a] − lower[a] <= p[a] <= q[a] + upper[a]` on every axis (for one box, exactly
    /// ``Box/grown(lower:upper:)``). With every value non-positive the region shrinks instead
    /// (``shrunk(lower:upper:)`` with the signs flipped).
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` when the values mix signs:
    /// growing a region on some sides and shrinking it on others depends on the order.
    ///
    /// - Complexity: growing is the union of the grown boxes (about O(n) with a ``BoxIndex``);
    ///   shrinking costs a few such set operations (see ``shrunk(lower:upper:)``).
    public func grown(lower low: Point<N>, upper high: Point<N>) throws(GeometryError) -> BoxList {
        let isGrowing = (0..<N).contains { low[$0] > 0 || high[$0] > 0 }
        let isShrinking = (0..<N).contains { low[$0] < 0 || high[$0] < 0 }
        if isGrowing && isShrinking {
            for a in 0..<N {
                for (side, value) in [("lower", low[a]), ("upper", high[a])] where value < 0 {
                    throw .invalidValue(
                        name: "\(side) growth along axis \(a)", value: value,
                        requirement: "non-negative when another side grows (a region grows or shrinks, not both)")
                }
            }
        }
        if isShrinking { return shrinking(lower: -low, upper: -high) }
        return BoxList(boxes.map { $0.grown(lower: low, upper: high) })
    }

    /// The region shrunk per side: the cells `p` such that every `q` with
    /// `p[a] − lower[a] <= q[a] <= p[a] + upper[a]` on every axis is in the region (for one box,
    /// exactly ``Box/shrunk(lower:upper:)``). Throws
    /// ``GeometryError/invalidValue(name:value:requirement:)`` naming a negative value.
    ///
    /// Shrinking a region is not shrinking each of its boxes: a cell near a box's side may have its
    /// neighbourhood in the next box. The result is the region minus the cells near its
    /// complement: `region − ((frame − region) grown by (upper, lower))`, where the frame is the
    /// bounding box grown by (lower, upper), holding every cell of the complement that matters.
    ///
    /// - Complexity: a few set operations on lists of about O(n) boxes, each about O(n) with a
    ///   ``BoxIndex``.
    public func shrunk(lower low: Point<N>, upper high: Point<N>) throws(GeometryError) -> BoxList {
        for a in 0..<N {
            for (side, value) in [("lower", low[a]), ("upper", high[a])] where value < 0 {
                throw .invalidValue(name: "\(side) shrink along axis \(a)", value: value, requirement: "non-negative")
            }
        }
        return shrinking(lower: low, upper: high)
    }

    /// ``shrunk(lower:upper:)`` for non-negative values.
    internal func shrinking(lower low: Point<N>, upper high: Point<N>) -> BoxList {
        let bounds = boundingBox
        if bounds.isEmpty { return self }
        let frame = bounds.grown(lower: low, upper: high)
        let complement = BoxList(frame).subtracting(self)
        // A cell p is lost when some complement cell c has p − lower ≤ c ≤ p + upper, that is
        // c − upper ≤ p ≤ c + lower: the complement grown by (upper, lower).
        let lost = BoxList(complement.boxes.map { $0.grown(lower: high, upper: low) })
        return subtracting(lost)
    }
}
