extension CollectiveTransport {
    /// Checks, on every rank together, that every rank holds the same floor plan and that it is
    /// made for this many ranks: one all-gather of each rank's floor-plan fingerprint
    /// (``DecompositionIdentity/fingerprint``) and rank count, judged alike on every rank.
    ///
    /// ```swift
    /// let plan = try Decomposition(blocks: domain, counts: [2, 2, 1], ranks: comm.size)
    /// try comm.checkFloorPlan(plan)   // before the first exchange
    /// ```
    ///
    /// - Throws (the same error on every rank): ``DistributedError/rankCountMismatch(floorPlanRanks:transportRanks:ranks:)``
    ///   when some rank's plan is made for another rank count,
    ///   ``DistributedError/floorPlanMismatch(differingRanks:fingerprints:)`` when the plans differ,
    ///   ``DistributedError/transport(_:)`` when the all-gather fails.
    /// - Complexity: O(patches · N) to fingerprint, plus one all-gather of 16 bytes per rank.
    public func checkFloorPlan<let N: Int>(_ plan: Decomposition<N>) throws(DistributedError) {
        try checkFloorPlans(fingerprint: plan.identity.fingerprint, rankCount: plan.rankCount)
    }

    func checkFloorPlans(fingerprint: UInt64, rankCount: Int) throws(DistributedError) {
        let all: [[UInt64]]
        do { all = try allGather([fingerprint, UInt64(bitPattern: Int64(rankCount))]) } catch { throw .transport(error) }
        try Self.judgeFloorPlans(all, size: size)
    }

    /// The verdict on every rank's `[fingerprint, rankCount]`.
    static func judgeFloorPlans(_ all: [[UInt64]], size: Int) throws(DistributedError) {
        let counts = all.map { $0.count == 2 ? Int(Int64(bitPattern: $0[1])) : -1 }
        let misfits = counts.indices.filter { counts[$0] != size }
        if let first = misfits.first {
            throw .rankCountMismatch(floorPlanRanks: counts[first], transportRanks: size, ranks: misfits)
        }
        let fingerprints = all.map { $0.first ?? 0 }
        let differing = fingerprints.indices.filter { fingerprints[$0] != fingerprints[0] }
        if !differing.isEmpty { throw .floorPlanMismatch(differingRanks: differing, fingerprints: fingerprints) }
    }

    /// Throws ``DistributedError/arrayMismatch(arrayRank:rankCount:transportRank:transportSize:)``
    /// unless `array` is this rank's part of a floor plan for this many ranks (a local check).
    @usableFromInline
    func checkArray<E: PatchElement, let N: Int>(_ array: PatchArray<E, N>) throws(DistributedError) {
        guard array.rank == rank, array.decomposition.rankCount == size else {
            throw .arrayMismatch(arrayRank: array.rank, rankCount: array.decomposition.rankCount, transportRank: rank, transportSize: size)
        }
    }
}
