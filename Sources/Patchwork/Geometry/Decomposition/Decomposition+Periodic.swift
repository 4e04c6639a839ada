extension Decomposition {
    /// The shift from one periodic copy of the domain to the next: the domain's extent on
    /// periodic axes, 0 on the others.
    public var periodicExtent: Point<N> {
        let shape = domain.shape
        return Point(InlineArray { periodic[$0] ? shape[$0] : 0 })
    }

    /// The periodic shifts `s ≠ 0` (multiples of the domain's extent on periodic axes, 0 on the
    /// others) such that `region` meets `domain.shifted(by: s)`, in row-major order of the
    /// multiples.
    ///
    /// A cell `p` of `region ∩ domain.shifted(by: s)` is the periodic image of the domain cell
    /// `p - s`: to fill a halo, copy from `(region ∩ domain.shifted(by: s)).shifted(by: -s)`.
    ///
    /// ```swift
    /// // domain [0, 0)..<[8, 8), periodic on axis 0 only
    /// plan.periodicShifts(meeting: try Box<2>(lower: [-1, 2], upper: [3, 5]))   // [(-8, 0)]
    /// ```
    ///
    /// A region wider than the domain gets several shifts along an axis. A region that misses the
    /// domain's extent on a non-periodic axis meets no copy: the result is empty.
    ///
    /// - Complexity: O(N + number of shifts).
    public func periodicShifts(meeting region: Box<N>) -> [Point<N>] {
        if region.isEmpty || domain.isEmpty { return [] }
        let extent = domain.shape
        // Per axis: the multiples k with region ∩ [lower + k E, upper + k E) non-empty,
        // i.e. (region.lower - upper) / E < k < (region.upper - lower) / E.
        var first = Point<N>.zero, last = Point<N>.zero
        for a in 0..<N {
            if periodic[a] {
                first[a] = Self.floorDivide(region.lower[a] - domain.upper[a], extent[a]) + 1
                last[a] = Self.ceilDivide(region.upper[a] - domain.lower[a], extent[a]) - 1
                if first[a] > last[a] { return [] }
            } else if region.lower[a] >= domain.upper[a] || region.upper[a] <= domain.lower[a] {
                return []
            }
        }
        var shifts = [Point<N>]()
        var k = first
        while true {
            if k != .zero { shifts.append(k * extent) }
            var a = N - 1
            while a >= 0 {
                k[a] += 1
                if k[a] <= last[a] { break }
                k[a] = first[a]
                a -= 1
            }
            if a < 0 { return shifts }
        }
    }

    /// The periodic shifts needed to fill the halo of `box` grown by `width` on every side; see
    /// ``periodicShifts(meeting:)``.
    public func periodicShifts(of box: Box<N>, grownBy width: Int) -> [Point<N>] {
        periodicShifts(meeting: box.grown(by: width))
    }

    /// The cell of the domain that `point` stands for: wrapped into the domain along periodic
    /// axes; nil when it lies outside the domain on a non-periodic axis.
    public func wrapped(_ point: Point<N>) -> Point<N>? {
        var p = point
        let extent = domain.shape
        for a in 0..<N {
            if p[a] >= domain.lower[a] && p[a] < domain.upper[a] { continue }
            guard periodic[a], extent[a] > 0 else { return nil }
            p[a] = domain.lower[a] + Self.floorModulo(p[a] - domain.lower[a], extent[a])
        }
        return p
    }

    static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func ceilDivide(_ a: Int, _ b: Int) -> Int { -floorDivide(-a, b) }
    static func floorModulo(_ a: Int, _ b: Int) -> Int { a - floorDivide(a, b) * b }
}

extension Decomposition {
    /// One periodic image met by a region: the shift, the part of the region inside the shifted
    /// domain copy, and the domain cells it stands for (`halo.shifted(by: -shift)`).
    public struct PeriodicImage: Sendable, Hashable {
        /// A non-zero multiple of the domain extent on periodic axes.
        public let shift: Point<N>
        /// The cells of the region inside `domain.shifted(by: shift)`.
        public let halo: Box<N>
        /// The domain cells those halo cells are copies of.
        public var source: Box<N> { halo.shifted(by: -shift) }
    }

    /// The periodic images met by `box` grown by `width`: for each shift of
    /// ``periodicShifts(meeting:)``, the grown box's cells in that copy of the domain.
    ///
    /// ```swift
    /// for image in plan.periodicImages(of: plan.boxes[i], grownBy: 2) {
    ///     // copy image.source (inside the domain) into the halo cells image.halo
    /// }
    /// ```
    public func periodicImages(of box: Box<N>, grownBy width: Int) -> [PeriodicImage] {
        let region = box.grown(by: width)
        return periodicShifts(meeting: region).map { s in
            PeriodicImage(shift: s, halo: region.intersection(domain.shifted(by: s)))
        }
    }
}
