extension Decomposition {
    /// The largest number of patches a constructor will generate (bad input must not exhaust
    /// memory).
    @usableFromInline
    static var maximumGeneratedPatches: Int { 1 << 31 }

    /// A regular block decomposition (KeLP's BLOCK × BLOCK): `counts[a]` blocks along axis `a`.
    ///
    /// ```swift
    /// let domain = try Box<2>(lower: [0, 0], upper: [10, 7])
    /// let plan = try Decomposition(blocks: domain, counts: [3, 2], ranks: 6)
    /// plan.boxes[0]      // [0, 0]..<[4, 4]: axis 0 splits 10 as 4, 3, 3; axis 1 splits 7 as 4, 3
    /// ```
    ///
    /// An axis of extent `E` cut in `p` blocks gets blocks of `E / p` cells, the first `E % p` of
    /// them one cell longer (as MPI's BLOCK distribution). Boxes are numbered in row-major order of
    /// their block coordinates (last axis fastest), then given to ranks by `assignment`.
    ///
    /// Throws when `counts` does not have `N` entries, a count is below 1 or above the domain's
    /// extent on its axis (that would make empty blocks), `ranks < 1`, or `periodic` has the wrong
    /// length.
    ///
    /// - Complexity: O(number of blocks), plus the assignment's cost.
    @inlinable
    public init(
        blocks domain: Box<N>, counts: [Int], ranks: Int, assignment: RankAssignment = .contiguous,
        periodic: [Bool] = Array(repeating: false, count: N)
    ) throws(GeometryError) {
        guard counts.count == N else { throw .wrongDimension(expected: N, got: counts.count) }
        guard periodic.count == N else { throw .wrongDimension(expected: N, got: periodic.count) }
        guard Point.all(domain.lower, domain.upper, <=) else {
            throw .invertedBox(lower: domain.lower.array, upper: domain.upper.array)
        }
        var total = 1
        for a in 0..<N {
            guard counts[a] >= 1 else {
                throw .invalidValue(name: "block count along axis \(a)", value: counts[a], requirement: "at least 1")
            }
            guard counts[a] <= domain.shape[a] else {
                throw .invalidValue(
                    name: "block count along axis \(a)", value: counts[a],
                    requirement: "at most the domain's extent \(domain.shape[a]) on that axis")
            }
            total = total.multipliedReportingOverflow(by: counts[a]).partialValue
            guard total <= Self.maximumGeneratedPatches else {
                throw .invalidValue(name: "block count", value: total, requirement: "at most \(Self.maximumGeneratedPatches)")
            }
        }
        // Cut points per axis: block k of axis a is [cuts[a][k], cuts[a][k + 1]).
        let cuts: [[Int]] = (0..<N).map { a in
            let e = domain.shape[a], p = counts[a], q = e / p, r = e % p
            return (0...p).map { k in domain.lower[a] + k * q + Swift.min(k, r) }
        }
        var boxes = [Box<N>]()
        boxes.reserveCapacity(total)
        var k = Point<N>.zero  // block coordinates, last axis fastest
        for _ in 0..<total {
            let lower = Point<N>(InlineArray { cuts[$0][k[$0]] })
            let upper = Point<N>(InlineArray { cuts[$0][k[$0] + 1] })
            boxes.append(Box(uncheckedLower: lower, upper: upper))
            var a = N - 1
            while a >= 0 {
                k[a] += 1
                if k[a] < counts[a] { break }
                k[a] = 0
                a -= 1
            }
        }
        let owners = try assignment.owners(of: boxes, in: domain, ranks: ranks)
        self.init(uncheckedDomain: domain, boxes: boxes, owners: owners, rankCount: ranks, periodic: periodic)
        assert((try? validate(requireCovering: true)) != nil, "block decomposition is not a cover")
    }

    /// The per-axis block counts for `ranks` blocks on `domain`, as `MPI_Dims_create` chooses
    /// them but weighted by the domain's shape: among all ways to write `ranks` as a product of
    /// `N` counts (each at most its axis's extent), the one with the least halo surface, i.e. the
    /// smallest `Σ counts[a] / extent[a]` (the first in lexicographic order on a tie).
    ///
    /// ```swift
    /// Decomposition<2>.blockCounts(for: 12, on: domain)   // [4, 3] on a 100×80 domain
    /// ```
    ///
    /// Throws when `ranks < 1` or no such factorisation exists (the domain is too small).
    ///
    /// - Complexity: O(d(ranks)^(N−1)) for d the number of divisors: small for any rank count.
    public static func blockCounts(for ranks: Int, on domain: Box<N>) throws(GeometryError) -> [Int] {
        guard ranks >= 1 else {
            throw .invalidValue(name: "rank count", value: ranks, requirement: "at least 1")
        }
        let shape = domain.shape
        var best: [Int]? = nil
        var bestCost = Double.infinity
        var counts = [Int](repeating: 1, count: N)
        func search(_ axis: Int, _ remaining: Int, _ cost: Double) {
            if axis == N - 1 {
                guard remaining <= shape[axis] else { return }
                counts[axis] = remaining
                let total = cost + Double(remaining) / Double(shape[axis])
                if total < bestCost - 1e-12 { bestCost = total; best = counts }
                return
            }
            var c = 1
            while c <= Swift.min(remaining, shape[axis]) {
                if remaining % c == 0 {
                    counts[axis] = c
                    search(axis + 1, remaining / c, cost + Double(c) / Double(shape[axis]))
                }
                c += 1
            }
        }
        if N > 0 { search(0, ranks, 0) }
        guard let best else {
            throw .invalidValue(
                name: "rank count", value: ranks,
                requirement: "splittable into non-empty blocks of the domain \(domain)")
        }
        return best
    }
}
