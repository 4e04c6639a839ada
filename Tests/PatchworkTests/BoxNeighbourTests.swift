import Testing
@testable import Patchwork

/// The 3ᴺ − 1 neighbour regions against the point-set oracle.
@Suite struct BoxNeighbourTests {
    func checkRegions<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 4 ? 3 : 5
        for c in 0..<cases {
            let b: Box<N> = RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
            let w = Int.random(in: 0...2, using: &rng)
            let regions = try b.neighbourRegions(width: w)
            #expect(regions.count == Box<N>.neighbourCount)
            #expect(Set(regions.map(\.direction)).count == regions.count)
            #expect(regions.map(\.direction) == regions.map(\.direction).sorted())
            let boxes = regions.map(\.box)
            #expect(CellOracle.pairwiseDisjoint(boxes), "case \(c): \(b) width \(w)")
            #expect(CellOracle.cells(boxes).isDisjoint(with: CellOracle.cells(b)))
            let expected = CellOracle.cells(CellOracle.grown(b, by: w)).subtracting(CellOracle.cells(b))
            #expect(CellOracle.cells(boxes) == expected, "case \(c): \(b) width \(w)")
            for region in regions {
                #expect(region.direction != .zero)
                #expect(region.codimension == region.direction.array.filter { $0 != 0 }.count)
                for p in CellOracle.cells(region.box) {
                    for a in 0..<N {
                        switch region.direction[a] {
                        case -1: #expect(p[a] < b.lower[a])
                        case 1: #expect(p[a] >= b.upper[a])
                        default: #expect(p[a] >= b.lower[a] && p[a] < b.upper[a])
                        }
                    }
                }
            }
        }
    }

    @Test func regions1D() throws { try checkRegions(Point<1>.self, cases: 3000, seed: 81) }
    @Test func regions2D() throws { try checkRegions(Point<2>.self, cases: 2000, seed: 82) }
    @Test func regions3D() throws { try checkRegions(Point<3>.self, cases: 1000, seed: 83) }
    @Test func regions4D() throws { try checkRegions(Point<4>.self, cases: 300, seed: 84) }

    @Test func facesEdgesCornersIn3D() throws {
        let regions = try Box<3>(lower: [0, 0, 0], upper: [8, 8, 8]).neighbourRegions(width: 2)
        #expect(regions.filter { $0.codimension == 1 }.count == 6)
        #expect(regions.filter { $0.codimension == 2 }.count == 12)
        #expect(regions.filter { $0.codimension == 3 }.count == 8)
        #expect(regions.first == NeighbourRegion(direction: [-1, -1, -1], box: try Box(lower: [-2, -2, -2], upper: [0, 0, 0])))
    }

    @Test func negativeWidthIsATypedError() throws {
        #expect(throws: GeometryError.invalidValue(name: "width", value: -3, requirement: "non-negative")) {
            try Box<2>(lower: [0, 0], upper: [4, 4]).neighbourRegions(width: -3)
        }
    }
}
