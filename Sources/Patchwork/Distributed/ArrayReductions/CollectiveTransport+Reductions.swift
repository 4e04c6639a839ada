extension CollectiveTransport {
    /// The sum of every value in the data boxes of a distributed array's patches (ghosts
    /// excluded); every rank gets it.
    ///
    /// ```swift
    /// let mass = try comm.sum(u)          // the same Double on every rank
    /// ```
    ///
    /// Reproducible: each patch is summed alone (row-major), and the patch sums are added in
    /// global patch order on every rank, so the result is bit-identical for any number of ranks
    /// and any rank assignment, and equal to the same call on a single-rank array. A face shared
    /// by two face-centred patches counts once per patch.
    ///
    /// - Throws: ``DistributedError/arrayMismatch(arrayRank:rankCount:transportRank:transportSize:)``
    ///   (on the ranks whose array does not fit; call ``checkFloorPlan(_:)`` first to make that
    ///   an error on every rank), ``DistributedError/transport(_:)``.
    /// - Complexity: O(local cells), plus an all-gather of one value per patch.
    @inlinable
    public func sum<E: PatchElement & AdditiveArithmetic, let N: Int>(_ array: PatchArray<E, N>) throws(DistributedError) -> E {
        try _reducePatches(array, { $0.interiorSum() }, +)
    }

    /// The smallest value in the data boxes of a distributed array's patches; every rank gets it.
    @inlinable
    public func minimum<E: PatchElement & Comparable, let N: Int>(_ array: PatchArray<E, N>) throws(DistributedError) -> E {
        try _reducePatches(array, { $0.interiorReduce(Swift.min) }, Swift.min)
    }

    /// The largest value in the data boxes of a distributed array's patches; every rank gets it.
    @inlinable
    public func maximum<E: PatchElement & Comparable, let N: Int>(_ array: PatchArray<E, N>) throws(DistributedError) -> E {
        try _reducePatches(array, { $0.interiorReduce(Swift.max) }, Swift.max)
    }

    /// The L2 norm `√(Σ x²)` over the data boxes of a distributed array's patches; every rank gets
    /// it, bit-identical for any rank count (as ``sum(_:)``).
    @inlinable
    public func l2Norm<E: PatchElement & BinaryFloatingPoint, let N: Int>(_ array: PatchArray<E, N>) throws(DistributedError) -> E {
        try _reducePatches(array, { $0.interiorSumOfSquares() }, +).squareRoot()
    }

    /// The max norm `max |x|` over the data boxes of a distributed array's patches; every rank gets it.
    @inlinable
    public func maxNorm<E: PatchElement & BinaryFloatingPoint, let N: Int>(_ array: PatchArray<E, N>) throws(DistributedError) -> E {
        try _reducePatches(array, { $0.interiorReduce(Swift.max, transform: { Swift.abs($0) }) }, Swift.max)
    }

    /// Reduces each local patch to one value, all-gathers the values, and combines them on every
    /// rank in global patch order.
    @inlinable
    func _reducePatches<E: PatchElement, R: BitwiseCopyable, let N: Int>(
        _ array: PatchArray<E, N>, _ local: (Patch<E, N>) -> R, _ combine: (R, R) -> R
    ) throws(DistributedError) -> R {
        try checkArray(array)
        let partials = array.patches.map(local)
        let all: [[R]]
        do { all = try allGather(partials) } catch { throw .transport(error) }
        let plan = array.decomposition
        var next = [Int](repeating: 0, count: size)
        var result: R? = nil
        for owner in plan.owners {
            guard next[owner] < all[owner].count else {
                throw .gatheredSizeMismatch(rank: owner, expected: plan.patches(ownedBy: owner).count, received: all[owner].count)
            }
            let value = all[owner][next[owner]]
            next[owner] += 1
            result = result.map { combine($0, value) } ?? value
        }
        return result!  // a floor plan has at least one patch
    }
}

extension Patch {
    /// The sum of the data box (ghosts excluded), row-major.
    @inlinable
    func interiorSum() -> Element where Element: AdditiveArithmetic {
        var total = Element.zero
        forEachInteriorRow { row, count in
            for i in 0..<count { total += row[i] }
        }
        return total
    }

    /// The sum of squares of the data box, row-major.
    @inlinable
    func interiorSumOfSquares() -> Element where Element: BinaryFloatingPoint {
        var total = Element.zero
        forEachInteriorRow { row, count in
            for i in 0..<count { total += row[i] * row[i] }
        }
        return total
    }

    /// `combine` folded over `transform` of every value of the data box.
    @inlinable
    func interiorReduce(_ combine: (Element, Element) -> Element, transform: (Element) -> Element = { $0 }) -> Element {
        var result = transform(storage.base[offset(of: box.lower)])
        forEachInteriorRow { row, count in
            for i in 0..<count { result = combine(result, transform(row[i])) }
        }
        return result
    }

    /// Calls `body` with a pointer to the first element of every row of the data box.
    @inlinable
    func forEachInteriorRow(_ body: (UnsafePointer<Element>, Int) -> Void) {
        let base = UnsafePointer(storage.base + offset(of: box.lower))
        box.forEachRow(strides: strides, strides) { o, _, count in body(base + o, count) }
    }
}
