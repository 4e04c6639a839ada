import Testing
@testable import Patchwork

@Suite struct BoxCoreTests {
    @Test func invertedBoxIsATypedError() {
        #expect(throws: GeometryError.invertedBox(lower: [0, 5], upper: [3, 4])) {
            try Box<2>(lower: [0, 5], upper: [3, 4])
        }
    }

    @Test func intersectionOfDisjointBoxesIsEmpty() throws {
        let a = try Box<2>(lower: [0, 0], upper: [4, 4])
        let b = try Box<2>(lower: [4, 0], upper: [8, 4])
        #expect(a.intersection(b).isEmpty)
        #expect(!a.intersects(b))
        #expect(a.intersection(b.shifted(by: [-1, 1])).volume == 3)
    }
}

/// Every basic `Box` operation against the point-set oracle: random boxes (some empty, some
/// inverted) in 1–4 D, each result compared with a cell set enumerated from its definition.
@Suite struct BoxCorePropertyTests {
    /// A random box whose shape may be 0 (empty) or negative (inverted, also empty).
    static func anyBox<let N: Int>(_ rng: inout SeededGenerator) -> Box<N> {
        let side = N >= 4 ? 3 : 4
        let lower: Point<N> = RandomGeometry.point(in: -4...4, using: &rng)
        let shape = Point<N>(InlineArray { _ in Int.random(in: -1...side, using: &rng) })
        return Box(uncheckedLower: lower, upper: Point(InlineArray { lower[$0] + shape[$0] }))
    }

    /// `{p : lower − low ≤ p < upper + high}`, enumerated.
    static func grownCells<let N: Int>(_ b: Box<N>, low: Point<N>, high: Point<N>) -> Set<Point<N>> {
        CellOracle.cells(lower: Point(InlineArray { b.lower[$0] - low[$0] }), upper: Point(InlineArray { b.upper[$0] + high[$0] }))
    }

    /// True when `box` is empty only as normalised (`upper == lower` on its empty axes) or holds cells.
    static func isNormalised<let N: Int>(_ box: Box<N>) -> Bool {
        (0..<N).allSatisfy { box.upper[$0] >= box.lower[$0] }
    }

    func checkQueries<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let a: Box<N> = Self.anyBox(&rng), b: Box<N> = Self.anyBox(&rng)
            let ca = CellOracle.cells(a), cb = CellOracle.cells(b)
            let context = "case \(c) seed \(seed): \(a) \(b)"
            #expect(a.volume == ca.count, "\(context)")
            #expect(a.isEmpty == ca.isEmpty, "\(context)")
            let probe: Point<N> = RandomGeometry.point(in: -6...9, using: &rng)
            #expect(a.contains(probe) == ca.contains(probe), "\(context) \(probe)")
            for p in ca { #expect(a.contains(p), "\(context) \(p)") }
            #expect(a.contains(b) == cb.isSubset(of: ca), "\(context)")
            #expect(a.contains(a.intersection(b)), "\(context)")
            #expect(a.intersects(b) == !ca.isDisjoint(with: cb), "\(context)")
            let common = a.intersection(b)
            #expect(CellOracle.cells(common) == ca.intersection(cb), "\(context)")
            #expect(Self.isNormalised(common), "\(context): \(common)")
            // Bounding box: the smallest box around the cells of both.
            let bounds = a.boundingBox(b)
            let union = ca.union(cb)
            if union.isEmpty {
                #expect(bounds.isEmpty, "\(context)")
            } else {
                var lo = union.first!, hi = union.first!
                for p in union {
                    for k in 0..<N { lo[k] = Swift.min(lo[k], p[k]); hi[k] = Swift.max(hi[k], p[k]) }
                }
                #expect(CellOracle.cells(bounds) == CellOracle.cells(lower: lo, upper: Point(InlineArray { hi[$0] + 1 })), "\(context)")
            }
        }
    }

    func checkTransforms<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let b: Box<N> = Self.anyBox(&rng)
            let cb = CellOracle.cells(b)
            let context = "case \(c) seed \(seed): \(b)"
            let w = Int.random(in: -3...3, using: &rng)
            let uniform = Point<N>(repeating: w), minus = Point<N>(repeating: -w)
            #expect(CellOracle.cells(b.grown(by: w)) == Self.grownCells(b, low: uniform, high: uniform), "\(context) w \(w)")
            #expect(CellOracle.cells(b.shrunk(by: w)) == Self.grownCells(b, low: minus, high: minus), "\(context) w \(w)")
            let low: Point<N> = RandomGeometry.point(in: -3...3, using: &rng)
            let high: Point<N> = RandomGeometry.point(in: -3...3, using: &rng)
            let perSide = b.grown(lower: low, upper: high)
            #expect(CellOracle.cells(perSide) == Self.grownCells(b, low: low, high: high), "\(context) \(low) \(high)")
            let shrunk = b.shrunk(lower: low, upper: high)
            #expect(CellOracle.cells(shrunk) == Self.grownCells(b, low: Point(InlineArray { -low[$0] }), high: Point(InlineArray { -high[$0] })), "\(context) \(low) \(high)")
            // A box that is not inverted stays so: shrinking past empty gives an empty box.
            if Self.isNormalised(b) {
                #expect(Self.isNormalised(perSide) && Self.isNormalised(shrunk), "\(context) \(low) \(high)")
            }
            let axis = Int.random(in: 0..<N, using: &rng)
            let alongAxis = Point<N>(InlineArray { $0 == axis ? w : 0 })
            #expect(CellOracle.cells(b.grown(by: w, along: axis)) == Self.grownCells(b, low: alongAxis, high: alongAxis), "\(context) w \(w) axis \(axis)")
            let offset: Point<N> = RandomGeometry.point(in: -5...5, using: &rng)
            #expect(CellOracle.cells(b.shifted(by: offset)) == Set(cb.map { p in Point(InlineArray { p[$0] + offset[$0] }) }), "\(context) \(offset)")
        }
    }

    @Test func queries1D() { checkQueries(Point<1>.self, cases: 4000, seed: 101) }
    @Test func queries2D() { checkQueries(Point<2>.self, cases: 3000, seed: 102) }
    @Test func queries3D() { checkQueries(Point<3>.self, cases: 2000, seed: 103) }
    @Test func queries4D() { checkQueries(Point<4>.self, cases: 1000, seed: 104) }
    @Test func transforms1D() { checkTransforms(Point<1>.self, cases: 4000, seed: 111) }
    @Test func transforms2D() { checkTransforms(Point<2>.self, cases: 3000, seed: 112) }
    @Test func transforms3D() { checkTransforms(Point<3>.self, cases: 2000, seed: 113) }
    @Test func transforms4D() { checkTransforms(Point<4>.self, cases: 1000, seed: 114) }
}
