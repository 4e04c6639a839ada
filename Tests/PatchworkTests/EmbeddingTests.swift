import Testing
@testable import Patchwork

@Suite struct EmbeddingTests {
    /// The invariants every embedding must satisfy, checked by brute force: same shapes, inside
    /// the file, pairwise disjoint, and every cell round-trips through the file.
    func checkInvariants<let N: Int>(_ e: Embedding<N>, _ boxes: [Box<N>], _ context: String) {
        #expect(e.count == boxes.count, "\(context)")
        let file = Box<N>(uncheckedLower: .zero, upper: e.fileShape)
        var total = 0
        for i in boxes.indices {
            let placed = e.embedded(i)
            #expect(placed == boxes[i].shifted(by: e.shift(of: i)), "\(context) box \(i)")
            #expect(placed.shape == boxes[i].shape, "\(context) box \(i)")
            #expect(file.contains(placed), "\(context) box \(i) \(placed) outside \(file)")
            total += placed.volume
            for j in boxes.indices where j > i {
                #expect(!placed.intersects(e.embedded(j)), "\(context) boxes \(i) \(j) overlap")
            }
        }
        // Round trip: cell -> file -> cell; every file position is padding or exactly one cell.
        var located = 0
        file.forEachCell { q in
            if let (i, p) = e.locate(q) {
                located += 1
                #expect(boxes[i].contains(p), "\(context)")
                #expect((try? e.filePoint(of: p, inBox: i)) == q, "\(context)")
            }
        }
        #expect(located == total, "\(context)")
        #expect(e.locate(e.fileShape) == nil)
        #expect(e.locate(Point(repeating: -1)) == nil)
        #expect(abs(e.density - (file.volume == 0 ? 1 : Double(total) / Double(file.volume))) < 1e-12)
    }

    /// Interiors of a regular block decomposition of `domain` into `counts` blocks.
    func blocks<let N: Int>(_ domain: Box<N>, counts: Point<N>) -> [Box<N>] {
        var result = [Box<N>]()
        let grid = Box<N>(uncheckedLower: .zero, upper: counts)
        grid.forEachCell { b in
            var lo = Point<N>.zero, hi = Point<N>.zero
            for a in 0..<N {
                let n = domain.shape[a], k = counts[a]
                lo[a] = domain.lower[a] + n * b[a] / k
                hi[a] = domain.lower[a] + n * (b[a] + 1) / k
            }
            result.append(Box(uncheckedLower: lo, upper: hi))
        }
        return result
    }

    @Test func removeOverlapOfRegularBlocksIsKeLPIOsShift() throws {
        // 3×4 blocks of a 24×32 domain, ghost 2: block (bi, bj) is shifted by 2·2·(bi, bj).
        let domain = try Box<2>(lower: [5, -3], upper: [29, 29])
        let interiors = blocks(domain, counts: [3, 4])
        let e = try Embedding.removeOverlap(interiors: interiors, ghostWidth: 2)
        #expect(e.fileShape == Point(24 + 2 * 2 * 3, 32 + 2 * 2 * 4))
        #expect(e.density == 1)
        let grid = Box<2>(uncheckedLower: .zero, upper: [3, 4])
        for (i, b) in grid.cells.enumerated() {
            #expect(e.shift(of: i) - e.shift(of: 0) == b * 4)
        }
        #expect(e.embedded(0).lower == .zero)
        checkInvariants(e, interiors.map { $0.grown(by: 2) }, "regular 2-D")
    }

    @Test func removeOverlapOfRegularBlocksAllDimensions() throws {
        var rng = SeededGenerator(seed: 61)
        for c in 0..<12 {
            let g = Int.random(in: 0...3, using: &rng)
            let e1 = try Embedding.removeOverlap(interiors: blocks(try Box<1>(lower: [0], upper: [Int.random(in: 5...30, using: &rng)]), counts: [Int.random(in: 1...5, using: &rng)]), ghostWidth: g)
            checkInvariants(e1, e1.boxes, "1-D case \(c)")
            #expect(e1.density == 1)
            let d3 = try Box<3>(lower: [0, 1, 2], upper: [Int.random(in: 4...9, using: &rng), 8, 9])
            let k3 = Point<3>(Int.random(in: 1...3, using: &rng), 2, Int.random(in: 1...3, using: &rng))
            let e3 = try Embedding.removeOverlap(interiors: blocks(d3, counts: k3), ghostWidth: g)
            checkInvariants(e3, e3.boxes, "3-D case \(c)")
            #expect(e3.density == 1)
            #expect(e3.fileShape == d3.shape + k3 * (2 * g))
            let d4 = try Box<4>(lower: [0, 0, 0, 0], upper: [4, 3, 4, 5])
            let e4 = try Embedding.removeOverlap(interiors: blocks(d4, counts: [2, 1, 2, Int.random(in: 1...2, using: &rng)]), ghostWidth: g)
            checkInvariants(e4, e4.boxes, "4-D case \(c)")
            #expect(e4.density == 1)
        }
    }

    @Test func removeOverlapOfIrregularBoxes() throws {
        func run<let N: Int>(_: Point<N>.Type, seed: UInt64, cases: Int) throws {
            var rng = SeededGenerator(seed: seed)
            for c in 0..<cases {
                let n = Int.random(in: 0...25, using: &rng)
                let boxes: [Box<N>] = (0..<n).map { _ in RandomGeometry.nonEmptyBox(in: -10...10, maxSide: Int.random(in: 1...9, using: &rng), using: &rng) }
                let e = try Embedding.removeOverlap(boxes: boxes)
                checkInvariants(e, boxes, "\(N)-D case \(c) seed \(seed)")
                if n > 3 { #expect(e.density > 0.2, "\(N)-D case \(c): density \(e.density)") }
                // Deterministic: the same input gives the same layout.
                let again = try Embedding.removeOverlap(boxes: boxes)
                #expect(again.shifts == e.shifts && again.fileShape == e.fileShape)
            }
        }
        try run(Point<1>.self, seed: 71, cases: 80)
        try run(Point<2>.self, seed: 72, cases: 60)
        try run(Point<3>.self, seed: 73, cases: 30)
        try run(Point<4>.self, seed: 74, cases: 10)
    }

    @Test func removeOverlapOfRecursiveBisectionGhostBoxes() throws {
        // An irregular floor plan (not a tensor grid): cut a domain by alternate halving.
        var rng = SeededGenerator(seed: 81)
        var pieces = [try Box<2>(lower: [0, 0], upper: [40, 30])]
        for _ in 0..<9 {
            let k = pieces.indices.max { pieces[$0].volume < pieces[$1].volume }!
            let b = pieces.remove(at: k)
            let a = b.shape[0] >= b.shape[1] ? 0 : 1
            let cut = b.lower[a] + Int.random(in: 1..<b.shape[a], using: &rng)
            var lowHalf = b, highHalf = b
            lowHalf.upper[a] = cut
            highHalf.lower[a] = cut
            pieces += [lowHalf, highHalf]
        }
        let e = try Embedding.removeOverlap(interiors: pieces, ghostWidth: 1)
        checkInvariants(e, pieces.map { $0.grown(by: 1) }, "bisection")
    }

    @Test func pencilizeConcatenatesAlongAxis() throws {
        var rng = SeededGenerator(seed: 91)
        for c in 0..<40 {
            let n = Int.random(in: 1...12, using: &rng)
            let boxes: [Box<3>] = (0..<n).map { _ in RandomGeometry.nonEmptyBox(in: -6...6, maxSide: 5, using: &rng) }
            let axis = Int.random(in: 0..<3, using: &rng)
            let e = try Embedding.pencilize(boxes: boxes, axis: axis)
            checkInvariants(e, boxes, "pencil case \(c) axis \(axis)")
            var offset = 0
            for i in boxes.indices {
                var expected = Point<3>.zero
                expected[axis] = offset
                #expect(e.embedded(i).lower == expected)
                offset += boxes[i].shape[axis]
            }
            #expect(e.fileShape[axis] == offset)
            // Along axis 0, each box's slab of the row-major file holds no other box's cells.
            if axis == 0 {
                let stride = e.fileShape[1] * e.fileShape[2]
                for i in boxes.indices {
                    let slab = e.slab(of: i)
                    e.embedded(i).forEachCell { q in
                        let linear = (q[0] * e.fileShape[1] + q[1]) * e.fileShape[2] + q[2]
                        #expect(slab.contains(linear))
                    }
                    #expect(slab.count == boxes[i].shape[0] * stride)
                    if i > 0 { #expect(slab.lowerBound == e.slab(of: i - 1).upperBound) }
                }
            }
        }
    }

    @Test func pencilizeOfEqualCrossSectionsGivesContiguousBoxes() throws {
        // The ghost boxes of a 1-D split along axis 0 of a 3-D domain share their cross-section.
        let interiors = blocks(try Box<3>(lower: [0, 0, 0], upper: [20, 6, 5]), counts: [4, 1, 1])
        let boxes = interiors.map { $0.grown(by: 1) }
        let e = try Embedding.pencilize(boxes: boxes, axis: 0)
        #expect(e.isDense)
        #expect(e.density == 1)
        // Each box, walked in row-major order, is exactly the linear range slab(of:).
        var expectedNext = 0
        for i in boxes.indices {
            var linear: [Int] = []
            e.embedded(i).forEachCell { q in linear.append((q[0] * e.fileShape[1] + q[1]) * e.fileShape[2] + q[2]) }
            #expect(linear == Array(e.slab(of: i)))
            #expect(e.slab(of: i).lowerBound == expectedNext)
            expectedNext = e.slab(of: i).upperBound
        }
        #expect(expectedNext == e.fileVolume)
        // Different cross-sections: not dense, but still disjoint slabs.
        let mixed = try Embedding.pencilize(boxes: [try Box<2>(lower: [0, 0], upper: [2, 3]), try Box<2>(lower: [0, 0], upper: [2, 5])])
        #expect(!mixed.isDense)
        #expect(mixed.slab(of: 0) == 0..<10 && mixed.slab(of: 1) == 10..<20)
    }

    @Test func userEmbeddingIsValidated() throws {
        let a = try Box<2>(lower: [0, 0], upper: [4, 4])
        let b = try Box<2>(lower: [2, 2], upper: [6, 6])
        let ok = try Embedding(boxes: [a, b], shifts: [.zero, [2, -2]], fileShape: [8, 4])
        checkInvariants(ok, [a, b], "user")
        #expect(throws: GeometryError.overlappingBoxes(first: 0, second: 1, overlap: a.intersection(b).description)) {
            try Embedding(boxes: [a, b], shifts: [.zero, .zero], fileShape: [8, 8])
        }
        #expect(throws: GeometryError.invalidValue(name: "shift count", value: 1, requirement: "equal to the box count 2")) {
            try Embedding(boxes: [a, b], shifts: [.zero], fileShape: [8, 8])
        }
        #expect(throws: GeometryError.boxOutsideDomain(box: "1 \(b.shifted(by: [4, 0]))", domain: "file \(try Box<2>(lower: [0, 0], upper: [8, 4]))")) {
            try Embedding(boxes: [a, b], shifts: [.zero, [4, 0]], fileShape: [8, 4])
        }
        #expect(throws: GeometryError.self) { try Embedding(boxes: [a], shifts: [.zero], fileShape: [4, -1]) }
    }

    @Test func badInputThrowsTypedErrors() throws {
        let a = try Box<3>(lower: [0, 0, 0], upper: [2, 2, 2])
        let empty = Box<3>(uncheckedLower: [1, 1, 1], upper: [1, 3, 3])
        #expect(throws: GeometryError.indexOutOfRange(name: "axis", index: 3, range: 0..<3)) {
            try Embedding.pencilize(boxes: [a], axis: 3)
        }
        #expect(throws: GeometryError.indexOutOfRange(name: "axis", index: -1, range: 0..<3)) {
            try Embedding.pencilize(boxes: [a], axis: -1)
        }
        #expect(throws: GeometryError.invalidValue(name: "volume of box 1 \(empty)", value: 0, requirement: "positive")) {
            try Embedding.removeOverlap(boxes: [a, empty])
        }
        #expect(throws: GeometryError.self) { try Embedding.pencilize(boxes: [empty]) }
        #expect(throws: GeometryError.invalidValue(name: "ghost width", value: -1, requirement: "non-negative")) {
            try Embedding.removeOverlap(interiors: [a], ghostWidth: -1)
        }
        // File extents that overflow Int.
        let huge = try Box<1>(lower: [0], upper: [Int.max / 2 + 1])
        #expect(throws: GeometryError.self) { try Embedding.pencilize(boxes: [huge, huge, huge]) }
        #expect(throws: GeometryError.self) { try Embedding.removeOverlap(boxes: [huge, huge.shifted(by: [1]), huge.shifted(by: [2])]) }
        // Cell look-ups outside the boxes.
        let e = try Embedding.pencilize(boxes: [a])
        #expect(throws: GeometryError.indexOutOfRange(name: "box", index: 1, range: 0..<1)) { try e.filePoint(of: .zero, inBox: 1) }
        #expect(throws: GeometryError.self) { try e.filePoint(of: [2, 0, 0], inBox: 0) }
        // An empty list is a valid, empty layout.
        let none = try Embedding<2>.removeOverlap(boxes: [])
        #expect(none.count == 0 && none.fileShape == .zero)
    }
}
