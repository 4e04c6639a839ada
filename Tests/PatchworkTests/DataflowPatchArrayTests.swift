import Testing
@testable import Patchwork

/// Patches of patch arrays as dataflow resources: a Jacobi solver with halo-copy tasks gives the
/// same result as the sequential sweep with a sequential halo fill.
@Suite(.timeLimit(.minutes(1)))
struct DataflowPatchArrayTests {
    static func plan(side: Int, count: Int) throws -> Decomposition<2> {
        let domain = try Box<2>(lower: [0, 0], upper: [count * side, count * side])
        var boxes: [Box<2>] = []
        for i in 0..<count { for j in 0..<count {
            boxes.append(try Box(lower: [i * side, j * side], upper: [(i + 1) * side, (j + 1) * side]))
        } }
        return try Decomposition(domain: domain, boxes: boxes, owners: Array(repeating: 0, count: boxes.count), rankCount: 1)
    }

    static func halos(_ plan: Decomposition<2>) -> [(p: Int, q: Int, strip: Box<2>)] {
        var out: [(Int, Int, Box<2>)] = []
        for p in plan.boxes.indices {
            for q in plan.boxes.indices where q != p {
                let strip = plan.boxes[p].grown(by: 1).intersection(plan.boxes[q])
                if !strip.isEmpty && strip.volume > 1 { out.append((p, q, strip)) }
            }
        }
        return out
    }

    static func values(_ a: PatchArray<Double, 2>) -> [Double] {
        var v: [Double] = []
        a.forEachView(of: a.dataDomain) { _, view in view.forEachRow { _, row in v.append(contentsOf: row) } }
        return v
    }

    @Test(arguments: [1, 2, 4])
    func jacobiWithHaloTasksMatchesSequential(workers: Int) throws {
        let plan = try Self.plan(side: 6, count: 3)
        let halos = Self.halos(plan)
        let start: (Point<2>) -> Double = { p in Double((p[0] * 7 + p[1] * 3) % 11) }
        let steps = 12

        let ref = [try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1), try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)]
        ref[0].fill(with: start)
        for t in 0..<steps {
            let u = ref[t % 2], v = ref[(t + 1) % 2]
            for h in halos { try u.patches[h.p].copy(from: u.patches[h.q], box: h.strip) }
            try Stencil.jacobi5(from: u, to: v)
        }

        let arrays = [try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1), try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)]
        arrays[0].fill(with: start)
        let graph = try DataflowGraph(workers: workers)
        for t in 0..<steps {
            let u = arrays[t % 2], v = arrays[(t + 1) % 2]
            for h in halos {
                try graph.submit(name: "halo", try .read(u, patch: h.q, h.strip), try .write(u, patch: h.p, h.strip)) { src, dst in
                    try dst.update(from: src)
                }
            }
            for p in plan.boxes.indices {
                // Stage every other sweep, to move patches between spaces on the way.
                let space: MemorySpace = (t + p) % 5 == 0 ? .staging : .host
                try graph.submit(name: "sweep", on: space, try .read(u, patch: p, grownBy: 1), try .write(v, patch: p)) { src, dst in
                    try Stencil.jacobi5(from: src, to: dst, over: dst.box)
                }
            }
        }
        try graph.wait()
        for patch in arrays[steps % 2].patches { try graph.synchronize(patch) }
        #expect(Self.values(arrays[steps % 2]) == Self.values(ref[steps % 2]))
        #expect(graph.counters.copies > 0)
    }

    @Test func aPatchThatIsNotLocalIsATypedError() throws {
        let plan = try Self.plan(side: 4, count: 2)
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        let graph = try DataflowGraph(workers: 1)
        #expect(throws: DataflowError.patchNotLocal(patch: 9, rank: 0)) {
            try graph.submit(try .read(u, patch: 9)) { _ in }
        }
        let p = u.patches[0]
        #expect(throws: DataflowError.accessOutOfBounds(
            resource: p.dataflowName, region: p.box.grown(by: 2).dataflowBox.description,
            bounds: p.allocatedBox.dataflowBox.description)) {
            try graph.submit(try .read(u, patch: 0, grownBy: 2)) { _ in }
        }
    }

    @Test func copiesOfAPatchValueAreOneResource() throws {
        let patch = try Patch<Double, 2>(box: try Box(lower: [0, 0], upper: [4, 4]), ghostWidth: 1)
        let alias = patch
        let graph = try DataflowGraph(workers: 2)
        let order = Shared([Int]())
        try graph.submit(.write(patch, patch.box), .readWrite(order)) { v, o in v.fill(1); o.value.append(1) }
        try graph.submit(.readWrite(alias, alias.box), .readWrite(Shared(0))) { v, _ in
            v.forEachRow { _, row in for i in row.indices { row[i] += 1 } }
        }
        try graph.wait()
        #expect(patch[[2, 2]] == 2)
        #expect(graph.counters.edges == 0 || graph.counters.edges == 1)
    }
}
