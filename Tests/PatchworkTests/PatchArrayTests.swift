import Testing
@testable import Patchwork

@Suite struct PatchArrayTests {
    /// Every point of the domain is held by exactly the rank that owns its patch, with the value
    /// `fill(with:)` gave it; other ranks report it as not local, points outside as outside.
    func checkGlobalAccess<let N: Int>(_ rng: inout ArraysRandom, _: Point<N>.Type, staggering: Staggering = .cellCentred) throws {
        let domain: Box<N> = rng.box(lower: -3...3, shape: 1...(N <= 2 ? 9 : 4))
        let ranks = rng.int(in: 1...3)
        let plan = try randomGridPlan(&rng, domain: domain, ranks: ranks)
        let ghost = rng.int(in: 0...2)
        let f: (Point<N>) -> Int64 = { p in
            var v: Int64 = 17
            for i in 0..<N { v = v &* 1000 &+ Int64(p[i]) }
            return v
        }
        let arrays = try (0..<ranks).map { rank throws(ArrayError) in
            try PatchArray<Int64, N>(decomposition: plan, ghostWidth: ghost, staggering: staggering, rank: rank, initialValue: -1)
        }
        for array in arrays { array.fill(with: f) }
        let dataDomain = staggering.dataBox(for: domain)
        #expect(arrays[0].dataDomain == dataDomain)
        for (rank, array) in arrays.enumerated() {
            #expect(array.patchIndices == plan.patches(ownedBy: rank))
            #expect(array.localPatches.map(\.index) == array.patchIndices)
            for (index, patch) in array.localPatches {
                #expect(patch.box == staggering.dataBox(for: plan.boxes[index]))
                #expect(patch.allocatedBox == patch.box.grown(by: ghost))
                #expect(try array.patch(index).sharesStorage(with: patch))
                // Ghosts keep the initial value; the interior holds f.
                patch.withView { view in
                    for p in allCells(patch.allocatedBox) {
                        #expect(view[p] == (patch.box.contains(p) ? f(p) : -1))
                    }
                }
            }
        }
        for p in allCells(dataDomain) {
            let holders = plan.boxes.indices.filter { staggering.dataBox(for: plan.boxes[$0]).contains(p) }
            #expect(!holders.isEmpty)
            for (rank, array) in arrays.enumerated() {
                if let local = holders.first(where: { plan.owners[$0] == rank }) {
                    #expect(try array.value(at: p) == f(p))
                    #expect(array[p] == f(p))
                    #expect(array.patchIndex(containing: p).map { holders.contains($0) } == true)
                    _ = local
                } else {
                    let first = holders[0]
                    #expect(throws: ArrayError.pointNotLocal(point: p.array, patch: first, owner: plan.owners[first], rank: rank)) {
                        try array.value(at: p)
                    }
                }
            }
        }
        let outside = dataDomain.upper
        #expect(throws: ArrayError.pointOutside(point: outside.array, region: dataDomain.description, what: "domain")) {
            try arrays[0].value(at: outside)
        }
        // Writes by global point go to the owner's patch.
        let p = rowMajorPoint(rng.int(in: 0...dataDomain.volume - 1), in: dataDomain)
        let owner = plan.owners[plan.boxes.indices.first { staggering.dataBox(for: plan.boxes[$0]).contains(p) }!]
        try arrays[owner].setValue(42, at: p)
        #expect(try arrays[owner].value(at: p) == 42)
    }

    @Test func globalPointAccessMatchesOwnership() throws {
        var rng = ArraysRandom(seed: 10)
        for _ in 0..<60 {
            try checkGlobalAccess(&rng, Point<1>.self)
            try checkGlobalAccess(&rng, Point<2>.self)
            try checkGlobalAccess(&rng, Point<3>.self)
            try checkGlobalAccess(&rng, Point<4>.self)
        }
    }

    /// Many local patches (access through a patch index): face-centred patches share faces, and
    /// a point goes to the first local patch holding it, as a scan of the patches finds it.
    @Test func accessWithManyLocalPatchesMatchesAScan() throws {
        let domain = try Box<2>(lower: [-5, 3], upper: [31, 27])
        let plan = try Decomposition(blocks: domain, counts: [9, 8], ranks: 2, assignment: .roundRobin)
        for staggering in [Staggering.cellCentred, .faceCentred(axis: 0), .faceCentred(axis: 1)] {
            for rank in 0..<2 {
                let array = try PatchArray<Int64, 2>(decomposition: plan, ghostWidth: 1, staggering: staggering, rank: rank, initialValue: -1)
                #expect(array.patches.count == 36 && array.patchLookup != nil)
                let copy = array.clone()
                for (k, patch) in array.patches.enumerated() {
                    try patch.fill(in: patch.box) { _ in Int64(k) }
                }
                for p in CellOracle.cells(staggering.dataBox(for: domain).grown(by: 1)) {
                    // The oracle: the first local patch whose data box holds p, by a scan.
                    let first = array.patches.indices.first { k in
                        let box = array.patches[k].box
                        return (0..<2).allSatisfy { box.lower[$0] <= p[$0] && p[$0] < box.upper[$0] }
                    }
                    #expect(array.patchIndex(containing: p) == first.map { array.patchIndices[$0] }, "\(staggering) rank \(rank) \(p)")
                    #expect(copy.patchIndex(containing: p) == array.patchIndex(containing: p))
                    if let first {
                        #expect(try array.value(at: p) == Int64(first))
                        try array.setValue(100 + Int64(first), at: p)
                        #expect(array[p] == 100 + Int64(first))
                        #expect(try copy.value(at: p) == -1)
                    } else {
                        #expect(throws: ArrayError.self) { try array.value(at: p) }
                    }
                }
            }
        }
    }

    @Test func staggeredArraysAreOneLargerAlongTheirAxis() throws {
        var rng = ArraysRandom(seed: 11)
        for _ in 0..<60 {
            try checkGlobalAccess(&rng, Point<2>.self, staggering: .faceCentred(axis: rng.int(in: 0...1)))
            try checkGlobalAccess(&rng, Point<3>.self, staggering: .faceCentred(axis: rng.int(in: 0...2)))
        }
        let cells = try Box<2>(lower: [0, 0], upper: [4, 3])
        #expect(Staggering.faceCentred(axis: 0).dataBox(for: cells) == (try Box(lower: [0, 0], upper: [5, 3])))
        #expect(Staggering.faceCentred(axis: 1).dataBox(for: cells) == (try Box(lower: [0, 0], upper: [4, 4])))
        #expect(Staggering.cellCentred.dataBox(for: cells) == cells)
        let plan = try Decomposition(domain: cells, boxes: [cells], owners: [0], rankCount: 1)
        #expect(throws: ArrayError.invalidAxis(axis: 2, dimensions: 2)) {
            try PatchArray<Double, 2>(decomposition: plan, staggering: .faceCentred(axis: 2))
        }
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, staggering: .faceCentred(axis: 0))
        #expect(u.patches[0].box.shape == Point(5, 3))
        #expect(u.patches[0].count == 7 * 5)
    }

    @Test func viewsOfAnyBoxVisitTheRightCells() throws {
        var rng = ArraysRandom(seed: 12)
        for _ in 0..<200 {
            let domain: Box<2> = rng.box(shape: 2...10)
            let plan = try randomGridPlan(&rng, domain: domain, ranks: 2)
            let rank = rng.int(in: 0...1)
            let u = try PatchArray<Int32, 2>(decomposition: plan, ghostWidth: 1, rank: rank)
            u.fill { p in Int32(p[0] * 64 + p[1]) }
            let window = rng.subBox(of: domain.grown(by: 2))
            var seen: [Point<2>] = []
            u.forEachView(of: window) { index, view in
                #expect(view.box == plan.boxes[index].intersection(window))
                view.box.forEachCell { p in
                    #expect(view[p] == Int32(p[0] * 64 + p[1]))
                    seen.append(p)
                }
            }
            let expected = allCells(window).filter { p in u.patches.contains { $0.box.contains(p) } }
            #expect(seen.sorted() == expected.sorted())
            // Writable views: negate the window, then check through global access.
            u.forEachMutableView(of: window) { _, view in
                view.forEachRow { _, row in for i in row.indices { row[i] = -row[i] } }
            }
            for p in expected { #expect(try u.value(at: p) == -Int32(p[0] * 64 + p[1])) }
            // Including ghosts: every view lies in its patch's allocation.
            var ghostCells = 0
            u.forEachView(of: window, includingGhosts: true) { index, view in
                #expect(plan.boxes[index].grown(by: 1).contains(view.box))
                ghostCells += view.count
            }
            #expect(ghostCells >= expected.count)
        }
    }

    @Test func vectorComponentsTravelTogether() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [6, 4])
        let plan = try Decomposition(domain: domain,
                                     boxes: [try Box(lower: [0, 0], upper: [3, 4]), try Box(lower: [3, 0], upper: [6, 4])],
                                     owners: [0, 0], rankCount: 1)
        let wind = try VectorPatchArray<Double, 2>(decomposition: plan, ghostWidth: 2,
                                                    staggering: (x: .faceCentred(axis: 1), y: .faceCentred(axis: 0)))
        #expect(wind.x.patches[0].box == (try Box(lower: [0, 0], upper: [3, 5])))
        #expect(wind.y.patches[1].box == (try Box(lower: [3, 0], upper: [7, 4])))
        wind.fill((x: 1, y: -1))
        let v = try wind.value(at: [2, 2])
        #expect(v.x == 1 && v.y == -1)
        #expect(wind.components.count == 2 && wind.ghostWidth == 2)
        let copy = wind.clone()
        copy.x.fill(3)
        #expect(try wind.x.value(at: [0, 0]) == 1 && (try copy.x.value(at: [0, 0])) == 3)
        let other = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        #expect(throws: ArrayError.self) { try VectorPatchArray(x: wind.x, y: other) }
    }

    @Test func badInputIsTypedErrors() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [3, 8])
        let plan = try Decomposition(domain: domain, boxes: [domain], owners: [0], rankCount: 2, periodic: [true, false])
        #expect(throws: ArrayError.rankOutOfRange(rank: 2, rankCount: 2)) {
            try PatchArray<Double, 2>(decomposition: plan, rank: 2)
        }
        // A ghost region wider than a periodic axis would wrap around more than once.
        #expect(throws: ArrayError.ghostWidthOutOfRange(width: 4, allowed: 0...3, reason: "wider than the periodic domain along axis 0 (3 cells)")) {
            try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 4)
        }
        _ = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 3)
        // Ghost width checked even on a rank without patches.
        #expect(throws: ArrayError.self) { try PatchArray<Double, 2>(decomposition: plan, ghostWidth: -2, rank: 1) }
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        #expect(throws: ArrayError.patchNotLocal(patch: 5, patchCount: 1, rank: 0)) { try u.patch(5) }
        #expect(throws: ArrayError.boxOutside(box: domain.grown(by: 2).description, region: domain.grown(by: 1).description, what: "patch allocation")) {
            try u.withView(patch: 0, box: domain.grown(by: 2)) { _ in () }
        }
        #expect(throws: ArrayError.pointOutside(point: [-1, 0], region: domain.description, what: "domain")) {
            try u.setValue(1, at: [-1, 0])
        }
        let v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 2)
        #expect(throws: ArrayError.self) { try u.copy(from: v) }
        let w = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        u.fill(2.5)
        try w.copy(from: u)
        #expect(try w.value(at: [2, 7]) == 2.5)
        #expect(w.id != u.id && u.clone().id != u.id)
        let shared = u
        #expect(shared.id == u.id)
    }
}
