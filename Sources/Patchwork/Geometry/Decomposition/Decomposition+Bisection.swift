extension Decomposition {
    /// Recursive bisection: the domain is halved along its longest axis (the lowest such axis on
    /// a tie) at its middle (`lower + extent / 2`), and so on, until every box is at most
    /// `maxExtent` cells long on every axis.
    ///
    /// ```swift
    /// let plan = try Decomposition(bisecting: domain, maxExtent: 32, ranks: 8,
    ///                              assignment: .balancedByVolume)
    /// ```
    ///
    /// Boxes are numbered depth-first, the lower half first, so a box's index follows a
    /// Lebesgue-like order and `.contiguous` assignment already keeps ranks compact.
    ///
    /// Throws when `maxExtent < 1`, the domain is empty or inverted, `ranks < 1`, `periodic` has
    /// the wrong length, or the result would exceed 2³¹ boxes.
    ///
    /// - Complexity: O(number of boxes).
    @inlinable
    public init(
        bisecting domain: Box<N>, maxExtent: Int, ranks: Int, assignment: RankAssignment = .contiguous,
        periodic: [Bool] = Array(repeating: false, count: N)
    ) throws(GeometryError) {
        guard maxExtent >= 1 else {
            throw .invalidValue(name: "maximum box extent", value: maxExtent, requirement: "at least 1")
        }
        // The halving of one axis does not depend on the others: count the boxes first.
        var total = 1
        for a in 0..<N {
            total = total.multipliedReportingOverflow(by: Self.halvingPieces(domain.shape[a], maxExtent)).partialValue
            if total > Self.maximumGeneratedPatches || total < 0 {
                throw .invalidValue(
                    name: "maximum box extent", value: maxExtent,
                    requirement: "large enough for at most \(Self.maximumGeneratedPatches) boxes")
            }
        }
        try self.init(bisecting: domain, ranks: ranks, assignment: assignment, periodic: periodic) { box in
            var longest = 0
            for a in 0..<N where box.shape[a] > box.shape[longest] { longest = a }
            return box.shape[longest] > maxExtent
        }
    }

    /// Recursive bisection until every box holds at most `maxVolume` cells; see
    /// ``init(bisecting:maxExtent:ranks:assignment:periodic:)``.
    @inlinable
    public init(
        bisecting domain: Box<N>, maxVolume: Int, ranks: Int, assignment: RankAssignment = .contiguous,
        periodic: [Bool] = Array(repeating: false, count: N)
    ) throws(GeometryError) {
        guard maxVolume >= 1 else {
            throw .invalidValue(name: "maximum box volume", value: maxVolume, requirement: "at least 1")
        }
        guard domain.volume / maxVolume <= Self.maximumGeneratedPatches / 3 else {
            throw .invalidValue(
                name: "maximum box volume", value: maxVolume,
                requirement: "large enough for at most \(Self.maximumGeneratedPatches) boxes")
        }
        try self.init(bisecting: domain, ranks: ranks, assignment: assignment, periodic: periodic) { box in
            box.volume > maxVolume
        }
    }

    /// Shared bisection driver: splits while `needsSplit` holds.
    @inlinable
    init(
        bisecting domain: Box<N>, ranks: Int, assignment: RankAssignment, periodic: [Bool],
        needsSplit: (Box<N>) -> Bool
    ) throws(GeometryError) {
        guard periodic.count == N else { throw .wrongDimension(expected: N, got: periodic.count) }
        guard Point.all(domain.lower, domain.upper, <=) else {
            throw .invertedBox(lower: domain.lower.array, upper: domain.upper.array)
        }
        guard !domain.isEmpty else {
            throw .invalidValue(name: "domain volume", value: 0, requirement: "positive")
        }
        var boxes = [Box<N>]()
        var stack = [domain]  // depth first, lower half on top
        while let box = stack.popLast() {
            if !needsSplit(box) {
                boxes.append(box)
                continue
            }
            let (lower, upper) = Self.bisect(box)
            stack.append(upper)
            stack.append(lower)
        }
        let owners = try assignment.owners(of: boxes, in: domain, ranks: ranks)
        self.init(uncheckedDomain: domain, boxes: boxes, owners: owners, rankCount: ranks, periodic: periodic)
        assert((try? validate(requireCovering: true)) != nil, "bisection is not a cover")
    }

    /// Halves `box` along its longest axis (lowest on ties) at `lower + extent / 2`.
    @inlinable
    static func bisect(_ box: Box<N>) -> (lower: Box<N>, upper: Box<N>) {
        let shape = box.shape
        var axis = 0
        for a in 0..<N where shape[a] > shape[axis] { axis = a }
        let middle = box.lower[axis] + shape[axis] / 2
        var lower = box, upper = box
        lower.upper[axis] = middle
        upper.lower[axis] = middle
        return (lower, upper)
    }

    /// The number of pieces that repeated halving (`e / 2`, `e - e / 2`) makes of an extent `e`
    /// until every piece is at most `limit`.
    @usableFromInline
    static func halvingPieces(_ e: Int, _ limit: Int) -> Int {
        // Each level holds at most two distinct extents (differing by one): track their counts.
        var level: [(extent: Int, count: Int)] = [(e, 1)]
        var done = 0
        while !level.isEmpty {
            var next: [(extent: Int, count: Int)] = []
            func add(_ extent: Int, _ count: Int) {
                if let i = next.firstIndex(where: { $0.extent == extent }) { next[i].count += count }
                else { next.append((extent, count)) }
            }
            for (extent, count) in level {
                if extent <= limit { done += count; continue }
                add(extent / 2, count)
                add(extent - extent / 2, count)
            }
            level = next
        }
        return done
    }
}
