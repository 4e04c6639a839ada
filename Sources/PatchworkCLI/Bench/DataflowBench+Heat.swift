import Foundation
import Patchwork

extension DataflowBenchmarks {
    /// A 2-D heat solver (Jacobi 5-point) on 4 × 4 patches of `side` × `side` cells with one ghost
    /// cell: each step, halo tasks copy each neighbour's edge strip into a patch's ghosts, then a
    /// sweep task per patch computes the next values. Dataflow: all steps submitted at once, each
    /// task waits only for what it reads. Bulk-synchronous: the same tasks with a barrier after
    /// the halo phase and after the compute phase. Replayed: the dataflow tasks of two steps
    /// recorded once and replayed (`steps` even). Returns the three wall times and whether the
    /// results are equal.
    static func heat(workers: Int, steps: Int, side: Int, irregular: Bool = false) throws -> (dataflow: Double, bsp: Double, replayed: Double, equal: Bool) {
        var best = (dataflow: Double.infinity, bsp: Double.infinity, replayed: Double.infinity)
        var results: [[Double]] = []
        for _ in 0..<5 {
            let (t1, r1) = try heatRun(workers: workers, steps: steps, side: side, barriers: false, irregular: irregular)
            let (t2, r2) = try heatRun(workers: workers, steps: steps, side: side, barriers: true, irregular: irregular)
            let (t3, r3) = try heatRun(workers: workers, steps: steps, side: side, barriers: false, replayed: true, irregular: irregular)
            best = (Swift.min(best.dataflow, t1), Swift.min(best.bsp, t2), Swift.min(best.replayed, t3))
            results = [r1, r2, r3]
        }
        return (best.dataflow, best.bsp, best.replayed, results[0] == results[1] && results[0] == results[2])
    }

    /// Cuts of one axis into 4 patches: equal, or (irregular) of widths ½, 1, ¾ and 1¾ × `side`
    /// (patch areas differ up to 12×, as in block-structured meshes refined unevenly).
    static func cuts(side: Int, irregular: Bool) -> [Int] {
        irregular ? [0, side / 2, side * 3 / 2, side * 9 / 4, side * 4] : [0, side, 2 * side, 3 * side, 4 * side]
    }

    static func heatRun(workers: Int, steps: Int, side: Int, barriers: Bool, replayed: Bool = false, irregular: Bool = false) throws -> (Double, [Double]) {
        let c = cuts(side: side, irregular: irregular)
        let domain = try Box2(lower: [0, 0], upper: [c[4], c[4]])
        var boxes: [Box2] = []
        for i in 0..<4 { for j in 0..<4 { boxes.append(try Box2(lower: [c[i], c[j]], upper: [c[i + 1], c[j + 1]])) } }
        let plan = try Decomposition(domain: domain, boxes: boxes, owners: Array(repeating: 0, count: boxes.count), rankCount: 1)
        let arrays = [try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1),
                      try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)]
        arrays[0].fill { p in p[0] == 0 ? 1.0 : 0.0 }
        // Neighbour strips: for patch p, each other patch q whose box touches p's ghost ring.
        var halos: [(p: Int, q: Int, strip: Box2)] = []
        for p in boxes.indices {
            for q in boxes.indices where q != p {
                var strip = boxes[p].grown(by: 1).intersection(boxes[q])
                // Faces only (the 5-point stencil needs no corners).
                if strip.shape[0] == 1 && strip.shape[1] == 1 { strip = .empty }
                if !strip.isEmpty { halos.append((p, q, strip)) }
            }
        }
        let graph = try DataflowGraph(workers: workers)
        let start = DispatchTime.now().uptimeNanoseconds
        let patches = arrays.map(\.patches)
        let halosList = halos
        let count = boxes.count
        // Both versions are submitted by one root task (as OpenMP's `single`); the bulk-synchronous
        // one waits for every task of a phase before the next (a waiting worker runs tasks).
        try graph.submit(name: "root") {
            var phase: [TaskHandle] = []
            func step(_ t: Int) throws {
                let u = patches[t % 2], v = patches[(t + 1) % 2]
                for h in halosList {
                    phase.append(try graph.submit(name: "halo", .read(u[h.q], h.strip), .write(u[h.p], h.strip)) { src, dst in
                        try dst.update(from: src)
                    })
                }
                if barriers { for task in phase { try graph.wait(for: task) } }
                phase.removeAll(keepingCapacity: true)
                for p in 0..<count {
                    phase.append(try graph.submit(name: "sweep", .read(u[p], u[p].allocatedBox), .write(v[p], v[p].box)) { src, dst in
                        try Stencil.jacobi5(from: src, to: dst, over: dst.box)
                    })
                }
                if barriers { for task in phase { try graph.wait(for: task) } }
                phase.removeAll(keepingCapacity: true)
            }
            if replayed {
                let twoSteps = try graph.record(name: "two steps") { try step(0); try step(1) }
                for _ in 0..<steps / 2 { try graph.replay(twoSteps) }
            } else {
                for t in 0..<steps { try step(t) }
            }
        }
        try graph.wait()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var values: [Double] = []
        arrays[steps % 2].forEachView(of: domain) { _, view in
            view.forEachRow { _, row in values.append(contentsOf: row) }
        }
        return (wall, values)
    }
}
