import Testing
@testable import Patchwork

/// Disjoint covers of many boxes, merging and coalescing, against the point-set oracle.
@Suite struct BoxCoverTests {
    func checkDisjointCover<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 4 ? 3 : 5
        for c in 0..<cases {
            let boxes: [Box<N>] = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
                RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
            }
            let cover = Box.disjointCover(of: boxes)
            #expect(CellOracle.cells(cover) == CellOracle.cells(boxes), "case \(c): \(boxes)")
            #expect(CellOracle.pairwiseDisjoint(cover))
            #expect(cover.allSatisfy { !$0.isEmpty })
        }
    }

    func checkMerged<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let a: Box<N> = RandomGeometry.nonEmptyBox(in: -3...3, maxSide: 3, using: &rng)
            // Bias towards neighbours: half the time b is a shifted along one axis.
            var b: Box<N> = RandomGeometry.nonEmptyBox(in: -3...3, maxSide: 3, using: &rng)
            if Bool.random(using: &rng) {
                let axis = Int.random(in: 0..<N, using: &rng)
                b = a.shifted(by: .unit(axis, a.shape[axis] + Int.random(in: -1...1, using: &rng)))
            }
            let union = CellOracle.cells(a).union(CellOracle.cells(b))
            let isBox = union.count == a.boundingBox(b).volume
            if let m = a.merged(with: b) {
                #expect(isBox && CellOracle.cells(m) == union, "case \(c): \(a) ∪ \(b) → \(m)")
            } else {
                #expect(!isBox, "case \(c): \(a) ∪ \(b) is a box")
            }
        }
    }

    /// Disjoint input: random boxes made disjoint, or a box cut into a random grid of blocks.
    func checkCoalesce<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let input: [Box<N>]
            if Bool.random(using: &rng) {
                input = Box.disjointCover(of: (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                    RandomGeometry.box(in: -3...3, maxSide: 4, using: &rng)
                })
            } else {
                input = randomGridCut(using: &rng).shuffled(using: &rng)
            }
            let result = Box.coalesced(input)
            #expect(CellOracle.cells(result) == CellOracle.cells(input), "case \(c): \(input)")
            #expect(CellOracle.pairwiseDisjoint(result))
            #expect(result.count <= input.count)
            for i in result.indices {
                for j in result.indices where j > i {
                    #expect(result[i].merged(with: result[j]) == nil, "case \(c): \(result[i]) and \(result[j]) still merge")
                }
            }
        }
    }

    /// A random box cut by random planes into a grid of blocks.
    func randomGridCut<let N: Int>(using rng: inout SeededGenerator) -> [Box<N>] {
        var cuts: [[Int]] = []
        for _ in 0..<N {
            let lo = Int.random(in: -3...0, using: &rng)
            var c = [lo]
            for _ in 0..<Int.random(in: 1...3, using: &rng) { c.append(c.last! + Int.random(in: 1...2, using: &rng)) }
            cuts.append(c)
        }
        var blocks: [Box<N>] = [Box(uncheckedLower: .zero, upper: .zero)]
        for a in 0..<N {
            blocks = blocks.flatMap { b in
                (0..<(cuts[a].count - 1)).map { k in
                    var piece = b
                    piece.lower[a] = cuts[a][k]
                    piece.upper[a] = cuts[a][k + 1]
                    return piece
                }
            }
        }
        return blocks
    }

    @Test func disjointCover1D() { checkDisjointCover(Point<1>.self, cases: 2000, seed: 31) }
    @Test func disjointCover2D() { checkDisjointCover(Point<2>.self, cases: 2000, seed: 32) }
    @Test func disjointCover3D() { checkDisjointCover(Point<3>.self, cases: 1000, seed: 33) }
    @Test func disjointCover4D() { checkDisjointCover(Point<4>.self, cases: 500, seed: 34) }
    @Test func merged1To4D() {
        checkMerged(Point<1>.self, cases: 2000, seed: 41)
        checkMerged(Point<2>.self, cases: 2000, seed: 42)
        checkMerged(Point<3>.self, cases: 2000, seed: 43)
        checkMerged(Point<4>.self, cases: 1000, seed: 44)
    }
    @Test func coalesce1D() { checkCoalesce(Point<1>.self, cases: 2000, seed: 51) }
    @Test func coalesce2D() { checkCoalesce(Point<2>.self, cases: 2000, seed: 52) }
    @Test func coalesce3D() { checkCoalesce(Point<3>.self, cases: 1000, seed: 53) }
    @Test func coalesce4D() { checkCoalesce(Point<4>.self, cases: 500, seed: 54) }

    @Test func blocksOfASquareCoalesceToTheSquare() throws {
        var blocks: [Box<2>] = []
        for i in 0..<4 { for j in 0..<4 { blocks.append(try Box(origin: [4 * i, 4 * j], shape: [4, 4])) } }
        #expect(Box.coalesced(blocks.reversed()) == [try Box(lower: [0, 0], upper: [16, 16])])
    }
}
