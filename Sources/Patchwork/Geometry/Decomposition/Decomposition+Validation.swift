extension Decomposition {
    /// Checks the invariants: the domain not inverted and not empty, every box non-empty and inside
    /// the domain, the boxes pairwise disjoint, and, when `requireCovering`, covering the domain.
    ///
    /// Errors name the first offending box (by index) or pair of boxes (the lexicographically
    /// smallest overlapping pair), so the result is deterministic.
    ///
    /// - Complexity: O(n) for the per-box checks, plus one ``BoxIndex`` build and one query per box
    ///   for disjointness (about O(n) for boxes of comparable size, O(n log n) with the sort of each
    ///   query's results in the worst case). Covering compares the summed volume with the domain's
    ///   (exact once the boxes are disjoint and inside), without enumerating cells; only when it
    ///   fails is an uncovered example cell searched, by bisecting the domain (O(n log V)).
    @inlinable
    func validate(requireCovering: Bool) throws(GeometryError) {
        try Self.validate(boxes: boxes, in: domain, requireCovering: requireCovering)
    }

    /// Checks a list of boxes against a domain; see ``validate(requireCovering:)``.
    @inlinable
    static func validate(boxes: [Box<N>], in domain: Box<N>, requireCovering: Bool) throws(GeometryError) {
        guard Point.all(domain.lower, domain.upper, <=) else {
            throw .invertedBox(lower: domain.lower.array, upper: domain.upper.array)
        }
        guard !domain.isEmpty else {
            throw .invalidValue(name: "volume of the domain \(domain)", value: 0, requirement: "positive")
        }
        for (i, box) in boxes.enumerated() {
            guard Point.all(box.lower, box.upper, <=) else {
                throw .invertedBox(lower: box.lower.array, upper: box.upper.array)
            }
            guard !box.isEmpty else {
                throw .invalidValue(
                    name: "volume of box \(i) \(box)", value: 0,
                    requirement: "positive (every patch holds at least one cell)")
            }
            guard domain.contains(box) else {
                throw .boxOutsideDomain(box: "\(i): \(box)", domain: domain.description)
            }
        }
        if let (first, second) = firstOverlap(boxes, in: domain) {
            throw .overlappingBoxes(
                first: first, second: second, overlap: boxes[first].intersection(boxes[second]).description)
        }
        if requireCovering {
            var covered = 0
            for box in boxes { covered += box.volume }  // ≤ domain volume: disjoint and inside
            let missing = domain.volume - covered
            if missing != 0 {
                throw .notCovering(uncoveredCells: missing, example: uncoveredCell(of: domain, by: boxes)?.array ?? [])
            }
        }
    }

    /// The lexicographically smallest pair `(i, j)`, `i < j`, of boxes that share a cell, or nil.
    ///
    /// Many boxes are first checked in Morton order of their centres (a copy sorted along the
    /// curve, so that consecutive queries touch nearby memory); only when that finds an overlap
    /// is the exact smallest pair searched in index order.
    @inlinable
    static func firstOverlap(_ boxes: [Box<N>], in domain: Box<N>) -> (Int, Int)? {
        if boxes.count < 2 { return nil }
        if boxes.count >= 4096 {
            let order = SpaceFillingCurve.morton.order(of: boxes, in: domain)
            let sorted = order.map { boxes[$0] }
            let index = BoxIndex(sorted)
            var found = false
            for i in sorted.indices {
                index.forEachIntersecting(sorted[i]) { j in if j != i { found = true } }
                if found { break }
            }
            if !found { return nil }
        }
        let index = BoxIndex(boxes)
        for i in boxes.indices {
            var partner = Int.max
            index.forEachIntersecting(boxes[i]) { j in
                if j != i && j < partner { partner = j }
            }
            // The first box with any overlap meets only later boxes (an earlier one would have
            // reported it), so `partner > i`.
            if partner != Int.max { return (i, partner) }
        }
        return nil
    }

    /// One cell of `domain` that no box holds, or nil when the boxes cover it. The boxes must be
    /// pairwise disjoint: the search halves the domain, following a half whose cells are not all
    /// covered (covered volume < volume), down to a single cell.
    @usableFromInline
    static func uncoveredCell(of domain: Box<N>, by boxes: [Box<N>]) -> Point<N>? {
        var region = domain
        var candidates = boxes.filter { $0.intersects(domain) }
        func coveredVolume(_ region: Box<N>, _ boxes: [Box<N>]) -> Int {
            var v = 0
            for b in boxes { v += b.intersection(region).volume }
            return v
        }
        if region.isEmpty || coveredVolume(region, candidates) == region.volume { return nil }
        while region.volume > 1 {
            var axis = 0
            for a in 0..<N where region.shape[a] > region.shape[axis] { axis = a }
            let middle = region.lower[axis] + region.shape[axis] / 2
            var lowerHalf = region
            lowerHalf.upper[axis] = middle
            var upperHalf = region
            upperHalf.lower[axis] = middle
            let lowerBoxes = candidates.filter { $0.intersects(lowerHalf) }
            if coveredVolume(lowerHalf, lowerBoxes) < lowerHalf.volume {
                region = lowerHalf
                candidates = lowerBoxes
            } else {
                region = upperHalf
                candidates = candidates.filter { $0.intersects(upperHalf) }
            }
        }
        return region.lower
    }
}
