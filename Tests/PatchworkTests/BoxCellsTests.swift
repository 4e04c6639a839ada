import Testing
@testable import Patchwork

/// Row-major iteration, refinement and coarsening against the point-set oracle.
@Suite struct BoxCellsTests {
    func checkIteration<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 4 ? 4 : 6
        for c in 0..<cases {
            let b: Box<N> = RandomGeometry.box(in: -5...5, maxSide: side, using: &rng)
            let expected = CellOracle.cells(b).sorted()
            #expect(Array(b.cells) == expected, "case \(c): \(b)")
            var visited: [Point<N>] = []
            b.forEachCell { visited.append($0) }
            #expect(visited == expected)
            var rows: [Point<N>] = []
            b.forEachRow { start, length in
                for k in 0..<length { rows.append(start + .unit(N - 1, k)) }
            }
            #expect(rows == expected)
        }
    }

    func checkRefineCoarsen<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let b: Box<N> = RandomGeometry.box(in: -5...5, maxSide: N >= 3 ? 3 : 5, using: &rng)
            let ratio = Point<N>(InlineArray { _ in Int.random(in: 1...3, using: &rng) })
            let fine = try b.refined(by: ratio)
            let coarse = try b.coarsened(by: ratio)
            // Refinement: every cell p becomes the block p * r + [0, r).
            var fineCells = Set<Point<N>>()
            for p in CellOracle.cells(b) {
                for k in CellOracle.cells(Box(uncheckedLower: .zero, upper: ratio)) { fineCells.insert(p * ratio + k) }
            }
            #expect(CellOracle.cells(fine) == fineCells, "case \(c): \(b) refined by \(ratio)")
            // Coarsening: exactly the coarse cells that some cell falls into (rounds outward).
            let coarseCells = Set(CellOracle.cells(b).map { $0.floorDivided(by: ratio) })
            #expect(CellOracle.cells(coarse) == coarseCells, "case \(c): \(b) coarsened by \(ratio)")
            #expect(try fine.coarsened(by: ratio) == b)
            #expect(try coarse.refined(by: ratio).contains(b))
            let r = Int.random(in: 1...3, using: &rng)
            #expect(try b.refined(by: r) == b.refined(by: Point(repeating: r)))
            #expect(try b.coarsened(by: r) == b.coarsened(by: Point(repeating: r)))
        }
    }

    @Test func iteration1D() { checkIteration(Point<1>.self, cases: 2000, seed: 61) }
    @Test func iteration2D() { checkIteration(Point<2>.self, cases: 2000, seed: 62) }
    @Test func iteration3D() { checkIteration(Point<3>.self, cases: 1000, seed: 63) }
    @Test func iteration4D() { checkIteration(Point<4>.self, cases: 500, seed: 64) }
    @Test func refineCoarsen1D() throws { try checkRefineCoarsen(Point<1>.self, cases: 3000, seed: 71) }
    @Test func refineCoarsen2D() throws { try checkRefineCoarsen(Point<2>.self, cases: 2000, seed: 72) }
    @Test func refineCoarsen3D() throws { try checkRefineCoarsen(Point<3>.self, cases: 1000, seed: 73) }
    @Test func refineCoarsen4D() throws { try checkRefineCoarsen(Point<4>.self, cases: 500, seed: 74) }

    @Test func coarseningRoundsOutwardBelowZero() throws {
        #expect(try Box<1>(lower: [-3], upper: [5]).coarsened(by: 2) == Box(lower: [-2], upper: [3]))
        #expect(try Box<2>(lower: [1, 2], upper: [3, 4]).refined(by: [2, 4]) == Box(lower: [2, 8], upper: [6, 16]))
    }

    @Test func badRatioIsATypedError() throws {
        let b = try Box<2>(lower: [0, 0], upper: [4, 4])
        #expect(throws: GeometryError.invalidValue(name: "ratio", value: 0, requirement: "at least 1 (axis 1)")) {
            try b.refined(by: [2, 0])
        }
        #expect(throws: GeometryError.invalidValue(name: "ratio", value: -2, requirement: "at least 1 (axis 0)")) {
            try b.coarsened(by: -2)
        }
    }
}
