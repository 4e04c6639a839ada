import Testing
@testable import Patchwork

/// Subtraction and union of two boxes against the point-set oracle.
@Suite struct BoxSubtractTests {
    func checkSubtract<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 4 ? 4 : 6
        for c in 0..<cases {
            let a: Box<N> = RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
            let b: Box<N> = RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
            let pieces = a.subtracting(b)
            #expect(CellOracle.cells(pieces) == CellOracle.cells(a).subtracting(CellOracle.cells(b)), "case \(c): \(a) − \(b)")
            #expect(CellOracle.pairwiseDisjoint(pieces))
            #expect(pieces.count <= 2 * N)
            #expect(pieces.allSatisfy { !$0.isEmpty && a.contains($0) })
            var visited: [Box<N>] = []
            a.forEachPiece(subtracting: b) { visited.append($0) }
            #expect(visited == pieces)
        }
    }

    func checkUnion<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 4 ? 4 : 6
        for c in 0..<cases {
            let a: Box<N> = RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
            let b: Box<N> = RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
            let cover = a.union(b)
            #expect(CellOracle.cells(cover) == CellOracle.cells(a).union(CellOracle.cells(b)), "case \(c): \(a) ∪ \(b)")
            #expect(CellOracle.pairwiseDisjoint(cover))
            #expect(cover.count <= 2 * N + 1)
            #expect(cover.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func subtract1D() { checkSubtract(Point<1>.self, cases: 3000, seed: 1) }
    @Test func subtract2D() { checkSubtract(Point<2>.self, cases: 3000, seed: 2) }
    @Test func subtract3D() { checkSubtract(Point<3>.self, cases: 2000, seed: 3) }
    @Test func subtract4D() { checkSubtract(Point<4>.self, cases: 1000, seed: 4) }
    @Test func union1D() { checkUnion(Point<1>.self, cases: 3000, seed: 5) }
    @Test func union2D() { checkUnion(Point<2>.self, cases: 3000, seed: 6) }
    @Test func union3D() { checkUnion(Point<3>.self, cases: 2000, seed: 7) }
    @Test func union4D() { checkUnion(Point<4>.self, cases: 1000, seed: 8) }

    @Test func ringAroundAHole() throws {
        let ring = try Box<2>(lower: [0, 0], upper: [4, 4]).subtracting(Box(lower: [1, 1], upper: [3, 3]))
        #expect(ring.count == 4)
        #expect(ring.reduce(0) { $0 + $1.volume } == 12)
        #expect(try Box<2>(lower: [0, 0], upper: [4, 4]).subtracting(Box(lower: [-1, -1], upper: [5, 5])).isEmpty)
    }
}
