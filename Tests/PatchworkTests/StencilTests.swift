import Testing
@testable import Patchwork

@Suite struct StencilTests {
    /// The naive reference: point by point through the checked subscript, same summation order.
    func reference5<E: PatchElement & BinaryFloatingPoint>(_ src: Patch<E, 2>, _ p: Point<2>, _ c: E, _ w: E) -> E {
        let e0 = Point<2>(1, 0), e1 = Point<2>(0, 1)
        return c * src[p] + w * (src[p - e1] + src[p + e1] + src[p - e0] + src[p + e0])
    }

    func reference7<E: PatchElement & BinaryFloatingPoint>(_ src: Patch<E, 3>, _ p: Point<3>, _ c: E, _ w: E) -> E {
        let e0 = Point<3>(1, 0, 0), e1 = Point<3>(0, 1, 0), e2 = Point<3>(0, 0, 1)
        return c * src[p] + w * (src[p - e2] + src[p + e2] + src[p - e1] + src[p + e1] + src[p - e0] + src[p + e0])
    }

    @Test func jacobi5MatchesNaiveReference() throws {
        var rng = ArraysRandom(seed: 20)
        for trial in 0..<300 {
            let box: Box<2> = rng.box(shape: 1...12)
            let ghost = rng.int(in: 1...2)
            let src = try Patch<Double, 2>(box: box, ghostWidth: ghost)
            let dst = try Patch<Double, 2>(box: box, ghostWidth: ghost, initialValue: 99)
            try src.fill(in: src.allocatedBox) { _ in rng.double() }
            let (c, w) = trial % 2 == 0 ? (0.0, 0.25) : (rng.double(), rng.double())
            try Stencil.jacobi5(from: src, to: dst, centre: c, neighbour: w)
            for p in allCells(dst.allocatedBox) {
                #expect(dst[p] == (box.contains(p) ? reference5(src, p, c, w) : 99))
            }
        }
    }

    @Test func jacobi7MatchesNaiveReference() throws {
        var rng = ArraysRandom(seed: 21)
        for trial in 0..<200 {
            let box: Box<3> = rng.box(shape: 1...7)
            let src = try Patch<Double, 3>(box: box, ghostWidth: 1)
            let dst = try Patch<Double, 3>(box: box, ghostWidth: 1, initialValue: 99)
            try src.fill(in: src.allocatedBox) { _ in rng.double() }
            let (c, w) = trial % 2 == 0 ? (0.0, 1.0 / 6.0) : (rng.double(), rng.double())
            try Stencil.jacobi7(from: src, to: dst, centre: c, neighbour: w)
            for p in allCells(dst.allocatedBox) {
                #expect(dst[p] == (box.contains(p) ? reference7(src, p, c, w) : 99))
            }
        }
    }

    @Test func sweepsOverSubBoxesAndFloatViews() throws {
        var rng = ArraysRandom(seed: 22)
        for _ in 0..<200 {
            let box: Box<3> = rng.box(shape: 1...6)
            let src = try Patch<Float, 3>(box: box, ghostWidth: 2)
            let dst = try Patch<Float, 3>(box: box, ghostWidth: 2)
            try src.fill(in: src.allocatedBox) { _ in Float(rng.double()) }
            // Any sub-box of the allocation shrunk by one may be swept (reading the outer ghosts).
            let sub = rng.subBox(of: src.allocatedBox.shrunk(by: 1))
            try src.withView { (s: PatchView<Float, 3>) throws(ArrayError) in
                try dst.withMutableView { (d: MutablePatchView<Float, 3>) throws(ArrayError) in
                    try Stencil.jacobi7(from: s, to: d, over: sub)
                }
            }
            for p in allCells(dst.allocatedBox) {
                #expect(dst[p] == (sub.contains(p) ? reference7(src, p, 0, Float(1.0 / 6.0)) : 0))
            }
        }
    }

    @Test func arraySweepsCoverEveryLocalPatch() throws {
        var rng = ArraysRandom(seed: 23)
        for _ in 0..<40 {
            let domain: Box<2> = rng.box(shape: 3...14)
            let plan = try randomGridPlan(&rng, domain: domain, ranks: 2)
            let rank = rng.int(in: 0...1)
            let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: rank)
            let v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: rank)
            u.fill(includingGhosts: true) { p in Double(p[0] * p[0] + 3 * p[1]) }
            try Stencil.jacobi5(from: u, to: v)
            for patch in u.patches {
                for p in allCells(patch.box) { #expect(try v.value(at: p) == reference5(patch, p, 0, 0.25)) }
            }
        }
        let box = try Box<3>(lower: [0, 0, 0], upper: [4, 4, 4])
        let plan3 = try Decomposition(domain: box, boxes: [box], owners: [0], rankCount: 1)
        let a = try PatchArray<Double, 3>(decomposition: plan3, ghostWidth: 1)
        let b = try PatchArray<Double, 3>(decomposition: plan3, ghostWidth: 1)
        a.fill(includingGhosts: true) { p in Double(p[0] + 2 * p[1] + 3 * p[2]) }
        try Stencil.jacobi7(from: a, to: b)
        // The average of the neighbours of a linear function is the function itself.
        for p in allCells(box) { #expect(abs(try b.value(at: p) - Double(p[0] + 2 * p[1] + 3 * p[2])) < 1e-12) }
    }

    @Test func badStencilInputIsTypedErrors() throws {
        let box = try Box<2>(lower: [0, 0], upper: [5, 5])
        let noGhosts = try Patch<Double, 2>(box: box)
        let dst = try Patch<Double, 2>(box: box, ghostWidth: 1)
        #expect(throws: ArrayError.boxOutside(box: box.grown(by: 1).description, region: box.description, what: "source allocation (a stencil reads one ghost cell)")) {
            try Stencil.jacobi5(from: noGhosts, to: dst)
        }
        #expect(throws: ArrayError.self) { try Stencil.jacobi5(from: dst, to: dst) }
        let src = try Patch<Double, 2>(box: box, ghostWidth: 1)
        #expect(throws: ArrayError.self) { try Stencil.jacobi5(from: src, to: dst, over: box.grown(by: 1)) }
        let plan = try Decomposition(domain: box, boxes: [box], owners: [0], rankCount: 1)
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        let v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 2)
        #expect(throws: ArrayError.self) { try Stencil.jacobi5(from: u, to: v) }
        // An empty box is a no-op.
        try Stencil.jacobi5(from: src, to: dst, over: Box(uncheckedLower: [2, 2], upper: [2, 2]))
    }
}
