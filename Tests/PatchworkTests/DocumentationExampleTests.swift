import Testing
@testable import Patchwork

/// The code of the DocC catalog (Sources/Patchwork/Patchwork.docc), run: so the articles keep
/// matching the API.
@Suite(.timeLimit(.minutes(1))) struct DocumentationExampleTests {
    /// Patchwork.md: a heat step as a halo exchange and sweeps in a graph; the periodic update
    /// (weights summing to 1) conserves the total, and equals the synchronous exchange-and-sweep loop.
    @Test func landingPageExample() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [40, 40])
        let plan = try Decomposition(bisecting: domain, maxExtent: 12, ranks: 1, periodic: [true, true])
        var u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        var v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        u.fill { p in p == [20, 20] ? 1 : 0 }

        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        var fu = try HaloExchange(plan: halo, quantities: [.scalar(u)])
        var fv = try HaloExchange(plan: halo, quantities: [.scalar(v)])

        let graph = try DataflowGraph()
        for _ in 0..<10 {
            try graph.submit(fu)
            for i in u.patchIndices {
                try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { src, dst in
                    try Stencil.jacobi5(from: src, to: dst, over: dst.box, centre: 0.2, neighbour: 0.2)
                }
            }
            swap(&u, &v); swap(&fu, &fv)
        }
        try graph.wait()

        // Oracle: the same loop, synchronously.
        let a = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        let b = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        a.fill { p in p == [20, 20] ? 1 : 0 }
        var (x, y) = (a, b)
        var (fx, fy) = (try HaloExchange(plan: halo, quantities: [.scalar(a)]), try HaloExchange(plan: halo, quantities: [.scalar(b)]))
        for _ in 0..<10 {
            try fx.run()
            try Stencil.jacobi5(from: x, to: y, centre: 0.2, neighbour: 0.2)
            swap(&x, &y); swap(&fx, &fy)
        }
        var total = 0.0, mismatches = 0
        for p in domain.cells {
            total += try u.value(at: p)
            if try u.value(at: p) != x.value(at: p) { mismatches += 1 }
        }
        #expect(abs(total - 1) < 1e-12)
        #expect(mismatches == 0)
    }

    /// IO.md: a snapshot, a checkpoint, and reading the newest checkpoint back.
    @Test func ioExample() throws {
        let dir = IOTestSupport.scratchDirectory("docc-io")
        let plan = try Decomposition(blocks: try Box<2>(lower: [0, 0], upper: [8, 8]), counts: [2, 1], ranks: 1)
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        u.fill { p in Double(p[0] * 8 + p[1]) }

        let store = try ZarrStore.create(at: dir + "/run.zarr")
        let series = try SnapshotSeries.create(in: store, name: "u", array: u, dimensionNames: ["time", "y", "x"])
        try series.append(time: 0, step: 0)

        let writer = try CheckpointWriter(root: dir + "/checkpoints", step: 100, time: 0.5, floorPlan: plan)
        try writer.write("u", u)
        try writer.commit(metadata: [:], keeping: 2)

        let back = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        let last = try #require(try Checkpoint.newest(in: dir + "/checkpoints"))
        try last.read("u", into: back)
        #expect(last.step == 100)
        for p in plan.domain.cells { #expect(try back.value(at: p) == u.value(at: p)) }
    }
}
