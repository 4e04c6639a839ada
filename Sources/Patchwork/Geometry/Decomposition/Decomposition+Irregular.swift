extension Decomposition {
    /// An irregular floor plan from an explicit list of boxes, owners chosen by `assignment`.
    ///
    /// ```swift
    /// let plan = try Decomposition(domain: domain, boxes: [a, b, c], ranks: 2,
    ///                              assignment: .roundRobin, requireCovering: true)
    /// ```
    ///
    /// The boxes are checked as by ``init(domain:boxes:owners:rankCount:periodic:requireCovering:)``:
    /// each non-empty and inside the domain, pairwise disjoint, covering the domain when asked;
    /// errors name the offending box indices.
    ///
    /// - Complexity: about O(n log n) (a ``BoxIndex`` for disjointness).
    @inlinable
    public init(
        domain: Box<N>, boxes: [Box<N>], ranks: Int, assignment: RankAssignment = .contiguous,
        periodic: [Bool] = Array(repeating: false, count: N), requireCovering: Bool = false
    ) throws(GeometryError) {
        guard periodic.count == N else { throw .wrongDimension(expected: N, got: periodic.count) }
        try Self.validate(boxes: boxes, in: domain, requireCovering: requireCovering)
        let owners = try assignment.owners(of: boxes, in: domain, ranks: ranks)
        self.init(uncheckedDomain: domain, boxes: boxes, owners: owners, rankCount: ranks, periodic: periodic)
    }

    /// The same boxes given to `ranks` ranks by `assignment` (periodicity kept).
    @inlinable
    public func reassigned(to ranks: Int, by assignment: RankAssignment) throws(GeometryError) -> Decomposition {
        let owners = try assignment.owners(of: boxes, in: domain, ranks: ranks)
        return Decomposition(uncheckedDomain: domain, boxes: boxes, owners: owners, rankCount: ranks, periodic: periodic)
    }

    /// The number of cells each rank owns (index = rank).
    @inlinable
    public var volumePerRank: [Int] {
        var v = [Int](repeating: 0, count: rankCount)
        for (box, owner) in zip(boxes, owners) { v[owner] += box.volume }
        return v
    }
}
