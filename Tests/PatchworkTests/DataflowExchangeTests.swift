import Testing
@testable import Patchwork

/// The halo exchange as dataflow tasks, against the synchronous exchange (sequential oracle).
@Suite(.timeLimit(.minutes(1))) struct DataflowExchangeTests {
    static let loopbackSteps = 8
    static func heatField(_ plan: Decomposition<2>, rank: Int = 0) throws -> PatchArray<Double, 2> {
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: rank, initialValue: -7)
        u.fill { p in Double((p[0] * 37 + p[1] * 11) % 101) / 7 }
        return u
    }

    /// `steps` explicit heat steps, synchronously: exchange, then sweep every patch.
    static func reference(_ plan: Decomposition<2>, steps: Int) throws -> PatchArray<Double, 2> {
        var u = try heatField(plan), v = try heatField(plan)
        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        var fu = try HaloExchange(plan: halo, quantities: [.scalar(u)])
        var fv = try HaloExchange(plan: halo, quantities: [.scalar(v)])
        for _ in 0..<steps {
            try fu.run()
            try Stencil.jacobi5(from: u, to: v, centre: 0.2, neighbour: 0.2)
            swap(&u, &v); swap(&fu, &fv)
        }
        return u
    }

    /// One rank's time loop as tasks on its graph: each step submits the exchange of the current
    /// array, then one sweep task per patch.
    final class TaskHeat {
        let graph: DataflowGraph
        var u, v: PatchArray<Double, 2>
        var fu, fv: HaloExchange<Double, 2>

        init(_ graph: DataflowGraph, u: PatchArray<Double, 2>, v: PatchArray<Double, 2>,
             fu: HaloExchange<Double, 2>, fv: HaloExchange<Double, 2>) {
            (self.graph, self.u, self.v, self.fu, self.fv) = (graph, u, v, fu, fv)
        }

        func submitStep() throws {
            try graph.submit(fu)
            for i in u.patchIndices {
                try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { src, dst in
                    try Stencil.jacobi5(from: src, to: dst, over: dst.box, centre: 0.2, neighbour: 0.2)
                }
            }
            swap(&u, &v); swap(&fu, &fv)
        }
    }

    static func expectEqual(_ a: PatchArray<Double, 2>, _ b: PatchArray<Double, 2>) throws {
        var mismatches = 0
        for (index, patch) in a.localPatches {
            let other = try b.patch(index)
            for p in patch.box.cells where patch[p] != other[p] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: [1, 2, 4])
    func heatStepsAsTasksEqualTheSynchronousRun(workers: Int) throws {
        let domain = try Box<2>(lower: [0, 0], upper: [40, 30])
        let plan = try Decomposition(bisecting: domain, maxExtent: 8, ranks: 1, periodic: [true, true])
        let expected = try Self.reference(plan, steps: 12)
        let graph = try DataflowGraph(workers: workers)
        let u = try Self.heatField(plan), v = try Self.heatField(plan)
        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        let heat = try TaskHeat(graph, u: u, v: v, fu: HaloExchange(plan: halo, quantities: [.scalar(u)]),
                                fv: HaloExchange(plan: halo, quantities: [.scalar(v)]))
        for _ in 0..<12 { try heat.submitStep() }
        try graph.wait()
        try Self.expectEqual(heat.u, expected)
    }

    @Test(arguments: [2, 3])
    func loopbackRanksWithOneGraphEachEqualTheSingleRankRun(ranks: Int) throws {
        let domain = try Box<2>(lower: [0, 0], upper: [32, 24])
        let one = try Decomposition(bisecting: domain, maxExtent: 8, ranks: 1, periodic: [true, true])
        let many = try one.reassigned(to: ranks, by: .balancedByVolume)
        let expected = try Self.reference(one, steps: Self.loopbackSteps)
        let transports = try LoopbackTransport.group(size: ranks)
        let halo = try MotionPlan.haloFill(plan: many, width: 1, corners: false)
        // Each rank has its own graph (as each MPI process would); the test thread submits the
        // ranks' steps in turn, as the ranks' own threads would concurrently.
        let heats = try (0..<ranks).map { r in
            let u = try Self.heatField(many, rank: r), v = try Self.heatField(many, rank: r)
            return try TaskHeat(
                DataflowGraph(workers: 1), u: u, v: v,
                fu: HaloExchange(plan: halo, quantities: [.scalar(u)], transport: transports[r]),
                fv: HaloExchange(plan: halo, quantities: [.scalar(v)], transport: transports[r]))
        }
        for _ in 0..<Self.loopbackSteps { for heat in heats { try heat.submitStep() } }
        for heat in heats { try heat.graph.wait() }
        for heat in heats { try Self.expectEqual(heat.u, expected) }
    }

    @Test func interiorWorkRunsWhileTheExchangeWaitsForAMessage() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [16, 16])
        let plan = try Decomposition(blocks: domain, counts: [2, 1], ranks: 2, periodic: [true, true])
        let transports = try LoopbackTransport.group(size: 2)
        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        let graph0 = try DataflowGraph(workers: 2), graph1 = try DataflowGraph(workers: 1)
        let u0 = try Self.heatField(plan, rank: 0), out0 = try Self.heatField(plan, rank: 0)
        let u1 = try Self.heatField(plan, rank: 1)
        let exchange0 = try HaloExchange(plan: halo, quantities: [.scalar(u0)], transport: transports[0])
        let exchange1 = try HaloExchange(plan: halo, quantities: [.scalar(u1)], transport: transports[1])
        // Rank 0 starts its exchange; rank 1 has not sent yet, so rank 0's receive cannot finish.
        let exchangeTasks = try graph0.submit(exchange0)
        let patch = u0.patchIndices[0]
        let interior = u0.decomposition.boxes[patch].shrunk(by: 1)
        let work = try graph0.submit(name: "interior", .read(u0, patch: patch, interior), .write(out0, patch: patch, interior)) { src, dst in
            try dst.update(from: src)
        }
        try graph0.wait(for: work)                        // done while the exchange is in flight
        #expect(exchangeTasks.contains { !$0.isFinished })
        try graph1.submit(exchange1)                      // now rank 1 sends: everything completes
        try graph1.wait()
        try graph0.wait()
        #expect(exchangeTasks.allSatisfy { $0.isFinished })
        let reference = try Self.heatField(Decomposition(blocks: domain, counts: [2, 1], ranks: 1, periodic: [true, true]))
        try HaloExchange(plan: MotionPlan.haloFill(plan: reference.decomposition, width: 1, corners: false), quantities: [.scalar(reference)]).run()
        var mismatches = 0
        for (index, p) in u0.localPatches {
            let other = try reference.patch(index)
            for c in p.allocatedBox.cells where p[c] != other[c] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
