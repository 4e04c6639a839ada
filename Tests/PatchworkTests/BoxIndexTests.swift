import Testing
@testable import Patchwork

@Suite struct BoxIndexTests {
    /// Random (overlapping, some empty) boxes: every query equals brute-force pairwise testing.
    func checkQueries<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let n = Int.random(in: 0...40, using: &rng)
            let spread = Int.random(in: 2...30, using: &rng)
            let boxes: [Box<N>] = (0..<n).map { _ in RandomGeometry.box(in: -spread...spread, maxSide: Int.random(in: 1...12, using: &rng), using: &rng) }
            let index = BoxIndex(boxes)
            for _ in 0..<8 {
                let q: Box<N> = RandomGeometry.box(in: (-spread - 6)...(spread + 6), maxSide: 14, using: &rng)
                let expected = boxes.indices.filter { CellOracle.meet(boxes[$0], q) }
                let got = index.intersecting(q)
                #expect(got == expected, "case \(c) seed \(seed): query \(q)")
                var visits = 0
                index.forEachIntersecting(q) { _ in visits += 1 }
                #expect(visits == expected.count)
            }
        }
    }

    @Test func queriesMatchBruteForce1D() { checkQueries(Point<1>.self, cases: 600, seed: 11) }
    @Test func queriesMatchBruteForce2D() { checkQueries(Point<2>.self, cases: 600, seed: 12) }
    @Test func queriesMatchBruteForce3D() { checkQueries(Point<3>.self, cases: 600, seed: 13) }
    @Test func queriesMatchBruteForce4D() { checkQueries(Point<4>.self, cases: 400, seed: 14) }

    /// Neighbour lists equal the brute-force lists of boxes meeting each box grown by the width.
    func checkNeighbourLists<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let n = Int.random(in: 0...30, using: &rng)
            let boxes: [Box<N>] = (0..<n).map { _ in RandomGeometry.box(in: -20...20, maxSide: 8, using: &rng) }
            let width = Int.random(in: 0...3, using: &rng)
            let lists = try BoxIndex(boxes).neighbourLists(width: width)
            #expect(lists.count == n)
            for i in boxes.indices {
                let halo = CellOracle.grown(boxes[i], by: width)
                let expected = CellOracle.cells(boxes[i]).isEmpty ? [] : boxes.indices.filter { $0 != i && CellOracle.meet(boxes[$0], halo) }
                #expect(lists[i] == expected, "case \(c) seed \(seed) box \(i)")
            }
        }
    }

    @Test func neighbourListsMatchBruteForce() throws {
        try checkNeighbourLists(Point<1>.self, cases: 400, seed: 21)
        try checkNeighbourLists(Point<2>.self, cases: 400, seed: 22)
        try checkNeighbourLists(Point<3>.self, cases: 400, seed: 23)
        try checkNeighbourLists(Point<4>.self, cases: 300, seed: 24)
    }

    @Test func regularGridNeighbours() throws {
        // 4×4 blocks of 8×8: an interior block has 8 neighbours at width 1, a corner block 3.
        var boxes: [Box<2>] = []
        for i in 0..<4 { for j in 0..<4 { boxes.append(try Box(origin: [8 * i, 8 * j], shape: [8, 8])) } }
        let lists = try BoxIndex(boxes).neighbourLists(width: 1)
        #expect(lists[5].count == 8)
        #expect(lists[0] == [1, 4, 5])
        #expect(try BoxIndex(boxes).neighbourLists(width: 0).allSatisfy { $0.isEmpty })
    }

    @Test func emptyIndexAndEmptyQuery() throws {
        let none = BoxIndex<3>([])
        #expect(none.intersecting(try Box(lower: [0, 0, 0], upper: [5, 5, 5])).isEmpty)
        #expect(try none.neighbourLists(width: 2).isEmpty)
        let one = BoxIndex([try Box<2>(lower: [0, 0], upper: [3, 3]), .empty])
        #expect(one.intersecting(.empty).isEmpty)
        #expect(one.intersecting(try Box(lower: [-100, -100], upper: [100, 100])) == [0])
    }

    @Test func negativeWidthIsATypedError() {
        let index = BoxIndex([Box<2>.empty])
        #expect(throws: GeometryError.invalidValue(name: "width", value: -1, requirement: "non-negative")) {
            try index.neighbourLists(width: -1)
        }
    }

    @Test func oneHugeBoxAmongSmallOnes() {
        var boxes: [Box<2>] = (0..<200).map { i in Box(uncheckedLower: [i, i], upper: [i + 1, i + 1]) }
        boxes.append(Box(uncheckedLower: [-1000, -1000], upper: [1000, 1000]))
        let index = BoxIndex(boxes)
        #expect(index.intersecting(Box(uncheckedLower: [10, 10], upper: [12, 12])) == [10, 11, 200])
        #expect(index.intersecting(Box(uncheckedLower: [500, 500], upper: [501, 501])) == [200])
    }

    /// Graded sizes: a corner of 32×32 unit boxes beside 32×32 tiles of extent 32. The lists
    /// equal brute force, and a query reads few candidates (one grid sized by the mean box would
    /// put about 250 unit boxes in each bin of the corner, and read them for every unit box).
    @Test func gradedSizesStayCheap() throws {
        var boxes: [Box<2>] = []
        for i in 0..<32 { for j in 0..<32 { boxes.append(Box(uncheckedLower: [i, j], upper: [i + 1, j + 1])) } }
        for i in 0..<32 { for j in 0..<32 where i + j > 0 {
            boxes.append(Box(uncheckedLower: [32 * i, 32 * j], upper: [32 * i + 32, 32 * j + 32]))
        } }
        let index = BoxIndex(boxes)
        let lists = try index.neighbourLists(width: 1)
        var candidates = 0
        for i in boxes.indices {
            let halo = CellOracle.grown(boxes[i], by: 1)
            #expect(lists[i] == boxes.indices.filter { $0 != i && CellOracle.meet(boxes[$0], halo) }, "box \(i)")
            candidates += index.candidateCount(halo)
        }
        let found = lists.reduce(0) { $0 + $1.count }
        #expect(candidates <= 4 * found + 16 * boxes.count, "\(candidates) candidates for \(found) neighbours of \(boxes.count) boxes")
    }
}

