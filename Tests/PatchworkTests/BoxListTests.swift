import Testing
@testable import Patchwork

/// `BoxList` against a plain set-of-cells model: random sequences of operations.
@Suite struct BoxListTests {
    func randomList<let N: Int>(_ rng: inout SeededGenerator, side: Int) -> (BoxList<N>, [Box<N>]) {
        let raw: [Box<N>] = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
            RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
        }
        return (BoxList(raw), raw)
    }

    func checkOperations<let N: Int>(_: Point<N>.Type, sequences: Int, steps: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 4 ? 3 : 5
        for s in 0..<sequences {
            var list = BoxList<N>()
            var model = Set<Point<N>>()
            for step in 0..<steps {
                let box: Box<N> = RandomGeometry.box(in: -4...4, maxSide: side, using: &rng)
                let (other, raw): (BoxList<N>, [Box<N>]) = randomList(&rng, side: side)
                #expect(CellOracle.cells(other.boxes) == CellOracle.cells(raw))
                let op = Int.random(in: 0..<9, using: &rng)
                switch op {
                case 0: list.insert(box); model.formUnion(CellOracle.cells(box))
                case 1: list.formUnion(other); model.formUnion(CellOracle.cells(other.boxes))
                case 2: list.subtract(box); model.subtract(CellOracle.cells(box))
                case 3: list.subtract(other); model.subtract(CellOracle.cells(other.boxes))
                case 4: list.formIntersection(box.grown(by: 2)); model.formIntersection(CellOracle.cells(box.grown(by: 2)))
                case 5: list.formIntersection(other.union(box.grown(by: 3))); model.formIntersection(CellOracle.cells(other.boxes).union(CellOracle.cells(box.grown(by: 3))))
                case 6:
                    let before = list.count
                    list.coalesce()
                    #expect(list.count <= before)
                case 7:
                    let offset: Point<N> = RandomGeometry.point(in: -2...2, using: &rng)
                    list = list.shifted(by: offset)
                    model = Set(model.map { $0 + offset })
                default:
                    list = try list.grown(by: 1)
                    var grown = Set<Point<N>>()
                    for p in model { grown.formUnion(CellOracle.cells(Box(uncheckedLower: p, upper: p + Point(repeating: 1)).grown(by: 1))) }
                    model = grown
                    // Keep the region small.
                    list.formIntersection(Box(uncheckedLower: Point(repeating: -6), upper: Point(repeating: 7)))
                    model = model.filter { Box(uncheckedLower: Point(repeating: -6), upper: Point(repeating: 7)).contains($0) }
                }
                let context = "sequence \(s) step \(step) op \(op)"
                #expect(list.satisfiesInvariants, "\(context): \(list)")
                #expect(CellOracle.cells(list.boxes) == model, "\(context)")
                #expect(list.volume == model.count)
                #expect(list.isEmpty == model.isEmpty)
                if !model.isEmpty {
                    var lo = model.first!, hi = model.first!
                    for p in model { lo = Point.min(lo, p); hi = Point.max(hi, p) }
                    #expect(list.boundingBox == Box(uncheckedLower: lo, upper: hi + Point(repeating: 1)))
                } else {
                    #expect(list.boundingBox.isEmpty)
                }
                let probe: Point<N> = RandomGeometry.point(in: -6...6, using: &rng)
                #expect(list.contains(probe) == model.contains(probe))
                #expect(list.contains(box) == CellOracle.cells(box).isSubset(of: model))
                #expect(list.contains(other) == CellOracle.cells(other.boxes).isSubset(of: model))
                #expect(list.hasSameCells(as: BoxList(Array(list.reversed()))))
                #expect(list.intersection(box).volume == model.intersection(CellOracle.cells(box)).count)
            }
        }
    }

    @Test func operations1D() throws { try checkOperations(Point<1>.self, sequences: 100, steps: 30, seed: 91) }
    @Test func operations2D() throws { try checkOperations(Point<2>.self, sequences: 100, steps: 30, seed: 92) }
    @Test func operations3D() throws { try checkOperations(Point<3>.self, sequences: 60, steps: 25, seed: 93) }
    @Test func operations4D() throws { try checkOperations(Point<4>.self, sequences: 30, steps: 20, seed: 94) }

    @Test func refineCoarsenLists() throws {
        var rng = SeededGenerator(seed: 95)
        for _ in 0..<500 {
            let (list, _): (BoxList<2>, [Box<2>]) = randomList(&rng, side: 4)
            let r = Point<2>(Int.random(in: 1...3, using: &rng), Int.random(in: 1...3, using: &rng))
            let fine = try list.refined(by: r)
            #expect(fine.satisfiesInvariants)
            #expect(fine.volume == list.volume * r.product)
            #expect(try fine.coarsened(by: r).hasSameCells(as: list))
            let coarse = try list.coarsened(by: r)
            #expect(coarse.satisfiesInvariants)
            #expect(CellOracle.cells(coarse.boxes) == Set(CellOracle.cells(list.boxes).map { $0.floorDivided(by: r) }))
        }
    }

    @Test func collectionConformance() throws {
        let list: BoxList<2> = [try Box(lower: [0, 0], upper: [4, 4]), try Box(lower: [2, 2], upper: [6, 6])]
        #expect(list.count == 3)
        #expect(list.map { $0.volume }.reduce(0, +) == 28)
        #expect(list[0] == (try Box(lower: [0, 0], upper: [4, 4])))
        #expect(Array(list) == list.boxes)
        #expect(list.coalesced().volume == 28)
    }

    @Test func overlappingDisjointInputIsATypedError() throws {
        let boxes = [try Box<2>(lower: [0, 0], upper: [2, 2]), try Box(lower: [5, 5], upper: [6, 6]), try Box(lower: [1, 1], upper: [3, 3])]
        #expect(throws: GeometryError.overlappingBoxes(first: 0, second: 2, overlap: "[1, 1]..<[2, 2]")) {
            try BoxList(disjoint: boxes)
        }
        #expect(try BoxList(disjoint: Array(boxes.prefix(2))).count == 2)
    }

    @Test func badWidthAndRatioAreTypedErrors() throws {
        let list = BoxList(try Box<3>(lower: [0, 0, 0], upper: [2, 2, 2]))
        #expect(throws: GeometryError.invalidValue(name: "width", value: -1, requirement: "non-negative")) {
            try list.grown(by: -1)
        }
        #expect(throws: GeometryError.invalidValue(name: "ratio", value: 0, requirement: "at least 1 (axis 0)")) {
            try BoxList<3>().refined(by: 0)
        }
        #expect(throws: GeometryError.invalidValue(name: "ratio", value: -1, requirement: "at least 1 (axis 2)")) {
            try list.coarsened(by: [1, 1, -1])
        }
    }
}
