extension MotionPlan {
    /// A 64-bit digest of every move (patches, box, quarter turns, translation) that is the same
    /// in every process: ranks compare it before exchanging, and exchanges derive their default
    /// message tag from it.
    ///
    /// - Complexity: O(moves · N).
    public var fingerprint: UInt64 {
        var h = _StableHasher()
        h.combine(N)
        h.combine(moves.count)
        for m in moves {
            h.combine(m.sourcePatch)
            h.combine(m.destinationPatch)
            h.combine(m.destinationBox.lower)
            h.combine(m.destinationBox.upper)
            h.combine(m.transform.turns)
            h.combine(m.transform.doubledTranslation)
        }
        return h.value
    }
}
