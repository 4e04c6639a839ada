extension Box {
    /// The box of the finer lattice `ratio` times as dense per axis: cell `p` becomes the cells
    /// `[p * ratio, (p + 1) * ratio)`.
    ///
    /// ```swift
    /// try Box<2>(lower: [1, 2], upper: [3, 4]).refined(by: [2, 4])   // [2, 8]..<[6, 16]
    /// ```
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` naming the ratio when a
    /// component is below 1. An empty box stays empty. `refined(by: r).coarsened(by: r) == self`.
    ///
    /// - Complexity: O(N).
    @inlinable
    public func refined(by ratio: Point<N>) throws(GeometryError) -> Box {
        try Self.checkRatio(ratio)
        if isEmpty { return Box(uncheckedLower: lower * ratio, upper: lower * ratio) }
        return Box(uncheckedLower: lower * ratio, upper: upper * ratio)
    }

    /// ``refined(by:)-(Point<N>)`` with the same ratio on every axis.
    @inlinable
    public func refined(by ratio: Int) throws(GeometryError) -> Box {
        try refined(by: Point(repeating: ratio))
    }

    /// The box of the coarser lattice `ratio` times as sparse per axis, rounded outward: the
    /// smallest coarse box whose refinement contains this box (floor of the lower corner, ceiling
    /// of the upper corner, also for negative coordinates).
    ///
    /// ```swift
    /// try Box<1>(lower: [-3], upper: [5]).coarsened(by: 2)   // [-2]..<[3]
    /// ```
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` naming the ratio when a
    /// component is below 1. An empty box gives an empty box.
    ///
    /// - Complexity: O(N).
    @inlinable
    public func coarsened(by ratio: Point<N>) throws(GeometryError) -> Box {
        try Self.checkRatio(ratio)
        let lo = lower.floorDivided(by: ratio)
        if isEmpty { return Box(uncheckedLower: lo, upper: lo) }
        let hi = (upper + ratio - Point(repeating: 1)).floorDivided(by: ratio)
        return Box(uncheckedLower: lo, upper: hi)
    }

    /// ``coarsened(by:)-(Point<N>)`` with the same ratio on every axis.
    @inlinable
    public func coarsened(by ratio: Int) throws(GeometryError) -> Box {
        try coarsened(by: Point(repeating: ratio))
    }

    @inlinable
    internal static func checkRatio(_ ratio: Point<N>) throws(GeometryError) {
        for a in 0..<N where ratio[a] < 1 {
            throw .invalidValue(name: "ratio", value: ratio[a], requirement: "at least 1 (axis \(a))")
        }
    }
}
