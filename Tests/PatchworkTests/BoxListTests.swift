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
        #expect(throws: GeometryError.invalidValue(name: "upper growth along axis 1", value: -1, requirement: "non-negative when another side grows (a region grows or shrinks, not both)")) {
            try list.grown(lower: [1, 0, 0], upper: [0, -1, 0])
        }
        #expect(throws: GeometryError.invalidValue(name: "lower shrink along axis 2", value: -2, requirement: "non-negative")) {
            try list.shrunk(lower: [0, 0, -2], upper: [1, 1, 1])
        }
        #expect(throws: GeometryError.invalidValue(name: "width", value: -1, requirement: "non-negative")) {
            try list.neighbourRegions(width: -1)
        }
        #expect(throws: GeometryError.invalidValue(name: "ratio", value: 0, requirement: "at least 1 (axis 0)")) {
            try BoxList<3>().refined(by: 0)
        }
        #expect(throws: GeometryError.invalidValue(name: "ratio", value: -1, requirement: "at least 1 (axis 2)")) {
            try list.coarsened(by: [1, 1, -1])
        }
    }

    // MARK: Grow and shrink, cells, neighbour regions against the set model

    /// The region made of `model`'s cells, as unit boxes (no `BoxList` operation builds it).
    static func unitBoxes<let N: Int>(_ model: Set<Point<N>>) -> [Box<N>] {
        model.map { p in Box(uncheckedLower: p, upper: Point(InlineArray { p[$0] + 1 })) }
    }

    /// `{p : some q in the model has q − low ≤ p ≤ q + high}`.
    static func dilated<let N: Int>(_ model: Set<Point<N>>, low: Point<N>, high: Point<N>) -> Set<Point<N>> {
        var result = Set<Point<N>>()
        for q in model {
            result.formUnion(CellOracle.cells(lower: Point(InlineArray { q[$0] - low[$0] }), upper: Point(InlineArray { q[$0] + high[$0] + 1 })))
        }
        return result
    }

    /// `{p in the model : every q with p − low ≤ q ≤ p + high is in the model}`.
    static func eroded<let N: Int>(_ model: Set<Point<N>>, low: Point<N>, high: Point<N>) -> Set<Point<N>> {
        model.filter { p in
            CellOracle.cells(lower: Point(InlineArray { p[$0] - low[$0] }), upper: Point(InlineArray { p[$0] + high[$0] + 1 })).isSubset(of: model)
        }
    }

    func checkGrowShrink<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 3 ? 4 : 6
        for c in 0..<cases {
            let (list, raw): (BoxList<N>, [Box<N>]) = randomList(&rng, side: side)
            let model = CellOracle.cells(raw)
            let low: Point<N> = RandomGeometry.point(in: 0...2, using: &rng)
            let high: Point<N> = RandomGeometry.point(in: 0...2, using: &rng)
            let context = "case \(c) seed \(seed): \(list) low \(low) high \(high)"
            let grown = try list.grown(lower: low, upper: high)
            #expect(grown.satisfiesInvariants, "\(context)")
            #expect(CellOracle.cells(grown.boxes) == Self.dilated(model, low: low, high: high), "\(context)")
            let shrunk = try list.shrunk(lower: low, upper: high)
            #expect(shrunk.satisfiesInvariants, "\(context)")
            #expect(CellOracle.cells(shrunk.boxes) == Self.eroded(model, low: low, high: high), "\(context)")
            // Negative growth is shrinking; shrinking does not depend on how the region is cut.
            #expect(CellOracle.cells(try list.grown(lower: Point(InlineArray { -low[$0] }), upper: Point(InlineArray { -high[$0] })).boxes) == CellOracle.cells(shrunk.boxes), "\(context)")
            #expect(CellOracle.cells(try BoxList(disjoint: Self.unitBoxes(model)).shrunk(lower: low, upper: high).boxes) == CellOracle.cells(shrunk.boxes), "\(context)")
            let w = Int.random(in: -2...2, using: &rng)
            let uniform = Point<N>(repeating: abs(w))
            let expected = w >= 0 ? Self.dilated(model, low: uniform, high: uniform) : Self.eroded(model, low: uniform, high: uniform)
            #expect(CellOracle.cells(try list.grown(by: w).boxes) == expected, "\(context) w \(w)")
            #expect(CellOracle.cells(try list.shrunk(by: -w).boxes) == expected, "\(context) w \(w)")
        }
    }

    @Test func growShrink1D() throws { try checkGrowShrink(Point<1>.self, cases: 1500, seed: 201) }
    @Test func growShrink2D() throws { try checkGrowShrink(Point<2>.self, cases: 1000, seed: 202) }
    @Test func growShrink3D() throws { try checkGrowShrink(Point<3>.self, cases: 300, seed: 203) }
    @Test func growShrink4D() throws { try checkGrowShrink(Point<4>.self, cases: 40, seed: 204) }

    func checkCellsAndRegions<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let side = N >= 3 ? 3 : 5
        for c in 0..<cases {
            let (list, raw): (BoxList<N>, [Box<N>]) = randomList(&rng, side: side)
            let model = CellOracle.cells(raw)
            let context = "case \(c) seed \(seed): \(list)"
            // Row-major iteration of the whole region, in maximal rows.
            #expect(list.cells == model.sorted(), "\(context)")
            try list.forEachRow { start, length in
                #expect(length > 0)
                var before = start, after = start
                before[N - 1] -= 1
                after[N - 1] += length
                #expect(!model.contains(before) && !model.contains(after), "\(context): row \(start) × \(length)")
            }
            // Neighbour regions: each outside cell p goes to the direction d of lowest
            // codimension (then row-major) from which 1…w steps towards −d reach the region.
            let w = Int.random(in: 0...2, using: &rng)
            let regions = try list.neighbourRegions(width: w)
            let directions = try Box<N>.empty.neighbourRegions(width: 0).map(\.direction)
            #expect(regions.map(\.direction) == directions)
            var expected = [Set<Point<N>>](repeating: [], count: directions.count)
            for p in Self.dilated(model, low: Point(repeating: w), high: Point(repeating: w)) where !model.contains(p) {
                var best: (codimension: Int, k: Int)? = nil
                for (k, d) in directions.enumerated() {
                    let codimension = (0..<N).filter { d[$0] != 0 }.count
                    if let best, best.codimension <= codimension { continue }
                    // Offsets δ with δ[a] = 0 where d[a] = 0 and −d[a]·δ[a] in 1…w elsewhere.
                    let lo = Point<N>(InlineArray { d[$0] == 0 ? 0 : (d[$0] < 0 ? 1 : -w) })
                    let hi = Point<N>(InlineArray { d[$0] == 0 ? 1 : (d[$0] < 0 ? w + 1 : 0) })
                    if CellOracle.cells(lower: lo, upper: hi).contains(where: { δ in model.contains(Point(InlineArray { p[$0] + δ[$0] })) }) {
                        best = (codimension, k)
                    }
                }
                expected[best!.k].insert(p)
            }
            for (k, region) in regions.enumerated() {
                #expect(region.region.satisfiesInvariants, "\(context) w \(w)")
                #expect(CellOracle.cells(region.region.boxes) == expected[k], "\(context) w \(w) direction \(directions[k])")
            }
            // One box: the box's own neighbour regions.
            if list.count == 1 {
                let own = try list[0].neighbourRegions(width: w)
                #expect(regions.map { CellOracle.cells($0.region.boxes) } == own.map { CellOracle.cells($0.box) }, "\(context) w \(w)")
            }
        }
    }

    @Test func cellsAndNeighbourRegions1D() throws { try checkCellsAndRegions(Point<1>.self, cases: 1500, seed: 211) }
    @Test func cellsAndNeighbourRegions2D() throws { try checkCellsAndRegions(Point<2>.self, cases: 600, seed: 212) }
    @Test func cellsAndNeighbourRegions3D() throws { try checkCellsAndRegions(Point<3>.self, cases: 120, seed: 213) }
    @Test func cellsAndNeighbourRegions4D() throws { try checkCellsAndRegions(Point<4>.self, cases: 8, seed: 214) }
}
