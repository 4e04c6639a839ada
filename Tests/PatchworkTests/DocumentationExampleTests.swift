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

    /// Geometry.md and Arrays.md: the values their comments promise.
    @Test func geometryAndArraysExamples() throws {
        let interior = try Box<2>(lower: [0, 0], upper: [64, 32])
        let withGhosts = interior.grown(by: 1)
        #expect(withGhosts == (try Box<2>(lower: [-1, -1], upper: [65, 33])))
        let overlap = withGhosts.intersection(try Box<2>(lower: [60, 0], upper: [80, 32]))
        #expect(overlap == (try Box<2>(lower: [60, 0], upper: [65, 32])))
        let shell = withGhosts.subtracting(interior)
        #expect(shell.reduce(0) { $0 + $1.volume } == 66 * 34 - 64 * 32)
        let domain = try Box<2>(lower: [0, 0], upper: [1000, 1000])
        let plan = try Decomposition(bisecting: domain, maxExtent: 96, ranks: 4, periodic: [true, true])
        #expect(!plan.patches(ownedBy: 0).isEmpty)
        #expect(plan.patches(ownedBy: 0).allSatisfy { plan.owners[$0] == 0 })

        let small = try Decomposition(blocks: try Box<2>(lower: [0, 0], upper: [8, 8]), counts: [2, 1], ranks: 1)
        let u = try PatchArray<Double, 2>(decomposition: small, ghostWidth: 1)
        u.fill { p in Double(p[0] + p[1]) }
        #expect(try u.value(at: [5, 2]) == 7.0)
    }

    /// Exchange.md and Dataflow.md: the split exchange fills what `run()` fills, and the traced
    /// graph writes a Chrome trace with one event per task.
    @Test func exchangeAndDataflowExamples() throws {
        let plan = try Decomposition(blocks: try Box<2>(lower: [0, 0], upper: [16, 16]), counts: [2, 2], ranks: 1, periodic: [true, true])
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        let v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        u.fill { p in Double(p[0] * 16 + p[1]) }
        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        let exchange = try HaloExchange(plan: halo, quantities: [.scalar(u)])
        try exchange.start()
        try exchange.finish()
        for (_, patch) in u.localPatches {
            let west = patch.box.lower[0] - 1, y = patch.box.lower[1]
            #expect(patch[[west, y]] == Double(((west + 16) % 16) * 16 + y))
        }

        let graph = try DataflowGraph(workers: 2, tracing: true)
        try graph.submit(exchange)
        for i in u.patchIndices {
            try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { src, dst in
                try Stencil.jacobi5(from: src, to: dst, over: dst.box, centre: 0.2, neighbour: 0.2)
            }
        }
        try graph.wait()
        let trace = IOTestSupport.scratchDirectory("docc-trace") + "/trace.json"
        try graph.writeChromeTrace(to: trace)
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(text.components(separatedBy: "\"sweep\"").count - 1 == u.patchIndices.count)
    }

    /// Distributed.md, compiled (not run: it needs `mpirun`; the MPI selftests run the same calls).
    static func distributedExample() throws {
        let comm = try MPICommunicator.world()
        let domain = try Box<3>(lower: [0, 0, 0], upper: [192, 192, 192])
        let plan = try Decomposition(bisecting: domain, maxExtent: 48, ranks: comm.size, periodic: [true, true, true])
        try comm.checkFloorPlan(plan)
        let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: comm.rank)
        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        let fill = try HaloExchange.collective(plan: halo, quantities: [.scalar(u)], communicator: comm)
        try fill.run()
        _ = try comm.l2Norm(u)
        _ = try comm.gather(u, root: 0)
    }
}
