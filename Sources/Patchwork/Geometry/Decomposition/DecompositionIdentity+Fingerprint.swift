extension DecompositionIdentity {
    /// A 64-bit digest of the floor plan (domain, boxes, owners, rank count, periodicity) that is
    /// the same in every process: ranks exchange it to check that they hold the same floor plan.
    /// Equal identities have equal fingerprints; different ones differ except by a 2⁻⁶⁴ chance.
    ///
    /// ```swift
    /// let mine = plan.identity.fingerprint
    /// let all = try comm.allGather([mine])   // every rank's
    /// ```
    ///
    /// - Complexity: O(patches · N).
    public var fingerprint: UInt64 {
        var h = _StableHasher()
        h.combine(rank)
        h.combine(values.count)
        for v in values { h.combine(v) }
        return h.value
    }
}
