import ArgumentParser
import Foundation
import Patchwork

/// `patchwork selftest exchange`: distributed patch arrays over MPI on every rank — halo fills of
/// periodic rectangular and cubed-sphere floor plans (scalars and vectors), reductions, gathers
/// and a heat run, each compared bit for bit with the single-rank computation that every rank
/// also does by itself, through MPI messages and through MPI-3 shared memory (packed, and direct
/// into shared arrays). With `--bad`, a bad input must fail on every rank with a clear error and
/// a non-zero exit.
///
/// Rank 0 prints `selftest exchange: passed N checks on K ranks` at the end.
struct ExchangeSelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Check distributed halo fills, reductions, gathers and the heat solver on every rank."
    )

    enum BadInput: String, ExpressibleByArgument, CaseIterable {
        case rankCount = "rank-count", floorPlan = "floor-plan", messageSize = "message-size"
        case sharedMessageSize = "shared-message-size", sharedLayout = "shared-layout", directPrivate = "direct-private"
        case sharedSilentPeer = "shared-silent-peer"
    }

    @Option(help: "Feed a bad input: \(BadInput.allCases.map(\.rawValue).joined(separator: ", ")).")
    var bad: BadInput? = nil

    @Option(help: "Random floor plans per periodic case.")
    var cases = 4

    @Option(help: "Heat steps.")
    var steps = 5

    func run() throws {
        let comm = try MPICommunicator.world()
        var suite = SelfTestPhases(comm: comm)
        if comm.rank == 0 { print("selftest exchange: \(comm.size) ranks") }
        if let bad {
            try suite.phase(bad.rawValue) { try badInput(bad, comm) }
            return
        }
        try suite.phase("periodic halo fill") { try periodic(comm, &$0, cases: cases) }
        try suite.phase("cubed-sphere halo fill") { try sphere(comm, &$0) }
        try suite.phase("reductions and gather") { try reductions(comm, &$0) }
        try suite.phase("heat") { try heat(comm, &$0, steps: steps) }
        try suite.phase("heat as dataflow tasks") { try heatAsTasks(comm, &$0, steps: steps, path: .mpi) }
        for path in [Path.packed, .direct] {
            try suite.phase("periodic halo fill, shared memory \(path)") { try periodic(comm, &$0, cases: cases, path: path) }
            try suite.phase("cubed-sphere halo fill, shared memory \(path)") { try sphere(comm, &$0, path: path) }
        }
        try suite.phase("heat as dataflow tasks, shared memory packed") { try heatAsTasks(comm, &$0, steps: steps, path: .packed) }
        try suite.phase("heat as dataflow tasks, shared memory direct") { try heatAsTasks(comm, &$0, steps: steps, path: .direct) }
        try suite.phase("heat, shared memory direct") { try heatDirect(comm, &$0, steps: steps) }
        try suite.phase("barrier") { try comm.barrier() }
        if comm.rank == 0 { print("selftest exchange: passed \(suite.checks) checks on \(comm.size) ranks") }
    }
}

/// How the halos travel between ranks.
private enum Path: CustomStringConvertible {
    case mpi, packed, direct
    var description: String { switch self { case .mpi: "MPI"; case .packed: "packed"; case .direct: "direct" } }
}

/// A value that names its cell and quantity, so a misplaced ghost shows.
private func label(_ p: Point<3>, _ salt: Double) -> Double {
    salt + Double(p[0] * 10_000 + p[1] * 100 + p[2]) + 0.125 * Double((p[0] &* 7 &+ p[1] &* 3 &+ p[2]) % 5)
}

/// The floor plan `many` with every patch on rank 0 of one rank.
private func single(_ many: Decomposition<3>) throws -> Decomposition<3> {
    try Decomposition(domain: many.domain, boxes: many.boxes, owners: Array(repeating: 0, count: many.count), rankCount: 1, periodic: many.periodic)
}

/// Every local patch of `distributed` (ghosts included) equals the same patch of the single-rank `reference`.
private func compare(_ distributed: PatchArray<Double, 3>, _ reference: PatchArray<Double, 3>, _ what: String, _ suite: inout SelfTestPhases) throws {
    var mismatches = 0
    var example = ""
    for (index, patch) in distributed.localPatches {
        let expected = try reference.patch(index)
        for p in patch.allocatedBox.cells where patch[p].bitPattern != expected[p].bitPattern {
            if mismatches == 0 { example = "patch \(index) cell \(p): \(patch[p]), single rank \(expected[p])" }
            mismatches += 1
        }
    }
    try suite.expect(mismatches == 0, "\(what): \(mismatches) cells differ from the single-rank fill, e.g. \(example)")
}

/// A scalar and a vector on `plan`, in MPI-3 shared memory of `shared` when given.
private func arrays(_ plan: Decomposition<3>, width: Int, rank: Int, salt: Double, shared: MPICommunicator? = nil) throws -> (scalar: PatchArray<Double, 3>, vector: VectorPatchArray<Double, 3>) {
    func array(_ initial: Double) throws -> PatchArray<Double, 3> {
        if let shared { return try PatchArray(decomposition: plan, ghostWidths: Point(repeating: width), sharedWith: shared, initialValue: initial) }
        return try PatchArray(decomposition: plan, ghostWidth: width, rank: rank, initialValue: initial)
    }
    let s = try array(-1)
    let v = try VectorPatchArray(x: array(-2), y: array(-3))
    label((s, v), salt)
    return (s, v)
}

/// Labels every cell of the pair's patches, ghosts included.
private func label(_ pair: (scalar: PatchArray<Double, 3>, vector: VectorPatchArray<Double, 3>), _ salt: Double) {
    pair.scalar.fill { label($0, salt) }
    pair.vector.x.fill { label($0, salt + 0.5) }
    pair.vector.y.fill { -label($0, salt + 0.25) }
}

/// Fills the halos of `many` (this rank's part) over MPI and of its single-rank twin in process;
/// every local patch must match.
/// Three times (buffers, flags and tags are reused; the values change between fills), and with
/// the ranks out of step on odd fills.
private func fillAndCompare(_ comm: MPICommunicator, many: Decomposition<3>, motion: MotionPlan<3>, width: Int, what: String, path: Path, _ suite: inout SelfTestPhases) throws {
    let (s, v) = try arrays(many, width: width, rank: comm.rank, salt: 0.5, shared: path == .direct ? comm : nil)
    let (rs, rv) = try arrays(try single(many), width: width, rank: 0, salt: 0.5)
    let exchange = try HaloExchange.collective(plan: motion, quantities: [.scalar(s), .vector(v)], communicator: comm)
    if path != .mpi {
        try suite.expect(try exchange.useSharedMemory(comm, transfer: path == .direct ? .direct : .packed) && exchange.usesSharedMemory,
                         "\(what): the ranks of one node use shared memory")
    }
    let reference = try HaloExchange(plan: motion, quantities: [.scalar(rs), .vector(rv)])
    for fill in 0..<3 {
        label((s, v), 0.5 + Double(fill))
        label((rs, rv), 0.5 + Double(fill))
        if fill % 2 == 1 { usleep(UInt32(1000 * (comm.rank % 3))) }
        try exchange.run(agreeingOn: comm)
        try reference.run()
        try compare(s, rs, "\(what) fill \(fill) scalar", &suite)
        try compare(v.x, rv.x, "\(what) fill \(fill) vector x", &suite)
        try compare(v.y, rv.y, "\(what) fill \(fill) vector y", &suite)
    }
    try suite.expect(exchange.peers.sends.count == Set(exchange.peers.sends).count, "\(what): one message per peer")
}

private func periodic(_ comm: MPICommunicator, _ suite: inout SelfTestPhases, cases: Int, path: Path = .mpi) throws {
    var rng = SplitMix64(seed: 2024)
    for k in 0..<cases {
        let domain = try Box<3>(lower: [0, 0, 0], upper: [Int.random(in: 6...12, using: &rng), Int.random(in: 6...10, using: &rng), 4])
        let width = Int.random(in: 1...2, using: &rng)
        let corners = k % 2 == 0
        let one = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1, periodic: [true, Bool.random(using: &rng), true])
        let many = try one.reassigned(to: comm.size, by: .balancedByVolume)
        try comm.checkFloorPlan(many)
        let motion = try MotionPlan.haloFill(plan: many, width: width, corners: corners)
        try fillAndCompare(comm, many: many, motion: motion, width: width, what: "periodic case \(k) (\(many.count) patches, width \(width), \(path))", path: path, &suite)
    }
}

/// The sphere floor plans this rank count can run: one tile per rank with 6 ranks; with other
/// counts, the sub-tiles of a layout-1 and a layout-2 sphere dealt round-robin.
private func spheres(ranks: Int) throws -> [(CubedSphere, Decomposition<3>)] {
    let levels = 3
    var result: [(CubedSphere, Decomposition<3>)] = []
    for layout in [1, 2] {
        let sphere = try CubedSphere(tileSize: 6, layout: [layout, layout])
        guard ranks <= sphere.rankCount else { continue }
        result.append((sphere, try sphere.floorPlan(levels: levels, ranks: ranks)))
    }
    return result
}

private func sphere(_ comm: MPICommunicator, _ suite: inout SelfTestPhases, path: Path = .mpi) throws {
    for (sphere, many) in try spheres(ranks: comm.size) {
        for width in [1, 2] {
            let motion = try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, levels: 3, width: width)
            try fillAndCompare(comm, many: many, motion: motion, width: width, what: "sphere \(sphere.layout) width \(width) \(path)", path: path, &suite)
        }
    }
}

private func wavy(_ p: Point<3>) -> Double {
    let a = Double(p[0]) * 0.7
    let b = Double(p[1]) * 1.3
    return sin(a + b) * Double(p[2] + 1) + 1e-3 * Double(p[0])
}

private func reductions(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    let serial = try LoopbackTransport.group(size: 1)[0]
    var cases: [Decomposition<3>] = []
    let domain = try Box<3>(lower: [0, 0, 0], upper: [11, 7, 5])
    cases.append(try Decomposition(bisecting: domain, maxExtent: 3, ranks: 1).reassigned(to: comm.size, by: .balancedByVolume))
    cases += try spheres(ranks: comm.size).map { $0.1 }
    for many in cases {
        let (s, _) = try arrays(many, width: 1, rank: comm.rank, salt: 0.3)
        s.fill(with: wavy)
        let (rs, _) = try arrays(try single(many), width: 1, rank: 0, salt: 0.3)
        rs.fill(with: wavy)
        let got = [try comm.sum(s), try comm.minimum(s), try comm.maximum(s), try comm.l2Norm(s), try comm.maxNorm(s)]
        let want = [try serial.sum(rs), try serial.minimum(rs), try serial.maximum(rs), try serial.l2Norm(rs), try serial.maxNorm(rs)]
        try suite.expect(got.map(\.bitPattern) == want.map(\.bitPattern), "reductions \(got), serial \(want)")
        // A plain model: the dense domain from the single-rank array.
        let dense = try serial.gatherValues(rs, root: 0)!
        try suite.expect(dense.min() == want[1] && dense.max() == want[2], "min/max vs dense model: \(want[1...2]) vs \(dense.min()!), \(dense.max()!)")
        try suite.expect(abs(dense.reduce(0, +) - want[0]) <= 1e-9 * dense.reduce(0) { $0 + abs($1) }, "sum vs dense model")
        let ints = try PatchArray<Int64, 3>(decomposition: many, rank: comm.rank)
        ints.fill { p in Int64(p[0] * 100 - p[1] * 7 + p[2]) }
        let intSum: Int64 = try comm.sum(ints)
        var intWant: Int64 = 0
        for p in many.domain.cells { intWant += Int64(p[0] * 100 - p[1] * 7 + p[2]) }
        try suite.expect(intSum == intWant, "Int sum \(intSum), serial \(intWant)")
        for root in Set([0, comm.size - 1]).sorted() {
            let values = try comm.gatherValues(s, root: root)
            try suite.expect((values != nil) == (comm.rank == root), "gatherValues result only on the root")
            if let values { try suite.expect(values.map(\.bitPattern) == dense.map(\.bitPattern), "gathered values differ from the single-rank array") }
            if let whole = try comm.gather(s, root: root) {
                try compare(whole, rs, "gathered array", &suite)
            }
        }
    }
}

private func heat(_ comm: MPICommunicator, _ suite: inout SelfTestPhases, steps: Int) throws {
    let domain = try Box<3>(lower: [0, 0, 0], upper: [12, 8, 6])
    let one = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1, periodic: [true, true, true])
    let many = try one.reassigned(to: comm.size, by: .balancedByVolume)
    let initial: (Point<3>) -> Double = { p in p == [3, 2, 1] ? 1000 : Double((p[0] * 31 + p[1] * 17 + p[2] * 5) % 11) }
    let distributed = try HeatSolver<Double>.collective(floorPlan: many, alpha: 0.1, communicator: comm, initial: initial)
    let reference = try HeatSolver<Double>(floorPlan: one, alpha: 0.1, initial: initial)
    try distributed.step(steps)
    try reference.step(steps)
    var mismatches = 0
    for (index, patch) in distributed.u.localPatches {
        let expected = try reference.u.patch(index)
        for p in patch.box.cells where patch[p].bitPattern != expected[p].bitPattern { mismatches += 1 }
    }
    try suite.expect(mismatches == 0, "heat after \(steps) steps: \(mismatches) cells differ from the single-rank run")
    let serial = try LoopbackTransport.group(size: 1)[0]
    let total = try comm.sum(distributed.u), want = try serial.sum(reference.u)
    try suite.expect(total == want, "heat total \(total), single rank \(want)")
}

/// `steps` explicit 7-point heat steps with the halo exchange and one sweep task per patch
/// submitted to `graph` (the exchange as tasks: sends, held receives, unpacks, local copies);
/// with `graph` nil, synchronously (exchange, then sweep every patch): the oracle.
private func taskHeat(_ plan: Decomposition<3>, rank: Int, transport: MPICommunicator?, graph: DataflowGraph?, steps: Int, path: Path = .mpi) throws -> PatchArray<Double, 3> {
    func field() throws -> PatchArray<Double, 3> {
        let a = path == .direct
            ? try PatchArray<Double, 3>(decomposition: plan, ghostWidths: [1, 1, 1], sharedWith: transport!, initialValue: -7)
            : try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: rank, initialValue: -7)
        a.fill { p in p == [3, 2, 1] ? 1000 : Double((p[0] * 37 + p[1] * 11 + p[2] * 5) % 101) / 7 }
        return a
    }
    var u = try field(), v = try field()
    let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
    var fu: HaloExchange<Double, 3>, fv: HaloExchange<Double, 3>
    if let transport {
        fu = try HaloExchange.collective(plan: halo, quantities: [.scalar(u)], communicator: transport)
        fv = try HaloExchange.collective(plan: halo, quantities: [.scalar(v)], communicator: transport)
        if path != .mpi {
            let transfer: SharedMemoryTransfer = path == .direct ? .direct : .packed
            guard try fu.useSharedMemory(transport, transfer: transfer), try fv.useSharedMemory(transport, transfer: transfer) else {
                throw SelfTestFailure(description: "the ranks of one node do not use shared memory")
            }
        }
    } else {
        fu = try HaloExchange(plan: halo, quantities: [.scalar(u)])
        fv = try HaloExchange(plan: halo, quantities: [.scalar(v)])
    }
    for _ in 0..<steps {
        if let graph {
            try graph.submit(fu)
            for i in u.patchIndices {
                try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { src, dst in
                    try Stencil.jacobi7(from: src, to: dst, over: dst.box, centre: 0.4, neighbour: 0.1)
                }
            }
        } else {
            try fu.run()
            try Stencil.jacobi7(from: u, to: v, centre: 0.4, neighbour: 0.1)
        }
        swap(&u, &v)
        swap(&fu, &fv)
    }
    try graph?.wait()
    return u
}

/// The heat loop as dataflow tasks on every rank (its own ``DataflowGraph``, the MPI communicator
/// as transport, `graph.submit(exchange)` and per-patch sweep tasks) equals the single-rank
/// synchronous run bit for bit, with one and with two workers per rank, through MPI messages or
/// MPI-3 shared memory (``HaloExchange/useSharedMemory(_:transfer:timeout:)``), packed or direct.
private func heatAsTasks(_ comm: MPICommunicator, _ suite: inout SelfTestPhases, steps: Int, path: Path) throws {
    let domain = try Box<3>(lower: [0, 0, 0], upper: [12, 10, 6])
    let one = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1, periodic: [true, true, true])
    let many = try one.reassigned(to: comm.size, by: .balancedByVolume)
    try comm.checkFloorPlan(many)
    let expected = try taskHeat(one, rank: 0, transport: nil, graph: nil, steps: steps)
    for workers in [1, 2] {
        let graph = try DataflowGraph(workers: workers)
        defer { graph.shutdown() }
        var mismatches = 0
        var example = ""
        do {
            let got = try taskHeat(many, rank: comm.rank, transport: comm, graph: graph, steps: steps, path: path)
            for (index, patch) in got.localPatches {
                let want = try expected.patch(index)
                for p in patch.box.cells where patch[p].bitPattern != want[p].bitPattern {
                    if mismatches == 0 { example = "patch \(index) cell \(p): \(patch[p]), single rank \(want[p])" }
                    mismatches += 1
                }
            }
        } catch {
            try suite.expect(false, "heat as tasks (\(workers) workers) failed: \(error)")
        }
        try suite.expect(mismatches == 0, "heat as tasks (\(workers) workers) after \(steps) steps: \(mismatches) cells differ from the single-rank run, e.g. \(example)")
    }
}

/// The synchronous heat loop with the arrays in shared memory and direct transfers equals the
/// single-rank run bit for bit; stopping shared memory returns to MPI messages.
private func heatDirect(_ comm: MPICommunicator, _ suite: inout SelfTestPhases, steps: Int) throws {
    let domain = try Box<3>(lower: [0, 0, 0], upper: [12, 10, 6])
    let one = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1, periodic: [true, true, true])
    let many = try one.reassigned(to: comm.size, by: .balancedByVolume)
    let expected = try taskHeat(one, rank: 0, transport: nil, graph: nil, steps: steps)
    let got = try taskHeat(many, rank: comm.rank, transport: comm, graph: nil, steps: steps, path: .direct)
    try suite.expect(got.isShared, "heat direct: the arrays live in shared memory")
    var mismatches = 0
    for (index, patch) in got.localPatches {
        let want = try expected.patch(index)
        for p in patch.box.cells where patch[p].bitPattern != want[p].bitPattern { mismatches += 1 }
    }
    try suite.expect(mismatches == 0, "heat direct after \(steps) steps: \(mismatches) cells differ from the single-rank run")
    let u = try PatchArray<Double, 3>(decomposition: many, ghostWidths: [1, 1, 1], sharedWith: comm)
    let fill = try HaloExchange.collective(plan: MotionPlan.haloFill(plan: many, width: 1), quantities: [.scalar(u)], communicator: comm)
    try suite.expect(try fill.useSharedMemory(comm) && fill.usesSharedMemory, "heat direct: shared memory on")
    try fill.run(agreeingOn: comm)
    try fill.stopUsingSharedMemory(comm)
    try suite.expect(!fill.usesSharedMemory, "stopUsingSharedMemory switches back to MPI messages")
    try fill.run(agreeingOn: comm)
}

/// Bad input: must fail on every rank (the phase agreement turns one rank's failure into all's).
private func badInput(_ bad: ExchangeSelfTest.BadInput, _ comm: MPICommunicator) throws {
    let domain = try Box<3>(lower: [0, 0, 0], upper: [12, 8, 4])
    switch bad {
    case .rankCount:
        // A floor plan for one rank more than the run has.
        let plan = try Decomposition(bisecting: domain, maxExtent: 4, ranks: comm.size + 1)
        try comm.checkFloorPlan(plan)
    case .floorPlan:
        // The last rank cuts the domain differently.
        let plan = try Decomposition(bisecting: domain, maxExtent: comm.rank == comm.size - 1 ? 3 : 4, ranks: comm.size)
        let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: comm.rank)
        _ = try HaloExchange.collective(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], communicator: comm)
    case .messageSize, .sharedMessageSize:
        // The last rank has one more level, so its messages have another size; built without the
        // collective check and with one tag on every rank (the default tags differ: they derive
        // from the floor plan), the exchange itself must report the mismatch (through shared
        // memory: when it is switched on).
        let levels = comm.rank == comm.size - 1 ? 5 : 4
        // Blocks along axis 0, periodic: every rank has the same peers, only the sizes differ.
        let plan = try Decomposition(blocks: Box<3>(lower: [0, 0, 0], upper: [2 * comm.size, 6, levels]), counts: [comm.size, 1, 1], ranks: comm.size, periodic: [true, true, false])
        let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: comm.rank)
        let exchange = try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], transport: comm, tag: 77)
        if bad == .sharedMessageSize { _ = try exchange.useSharedMemory(comm, transfer: .packed) }
        try exchange.run(agreeingOn: comm)
    case .sharedLayout:
        // The last rank asks for wider ghosts: its shared segment has another size.
        let plan = try Decomposition(bisecting: domain, maxExtent: 4, ranks: comm.size)
        _ = try PatchArray<Double, 3>(decomposition: plan, ghostWidths: Point(repeating: comm.rank == comm.size - 1 ? 2 : 1), sharedWith: comm)
    case .sharedSilentPeer:
        // The last rank never runs the exchange: its neighbours give up after the 1 s timeout
        // instead of waiting forever, and every rank fails.
        let plan = try Decomposition(blocks: Box<3>(lower: [0, 0, 0], upper: [2 * comm.size, 6, 4]), counts: [comm.size, 1, 1], ranks: comm.size, periodic: [true, true, false])
        let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: comm.rank)
        let exchange = try HaloExchange.collective(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], communicator: comm)
        _ = try exchange.useSharedMemory(comm, timeout: 1)
        if comm.rank == comm.size - 1 {
            try comm.agreeOnSuccess(false)
        } else {
            try exchange.run(agreeingOn: comm)
        }
    case .directPrivate:
        // A direct transfer needs arrays in shared memory.
        let plan = try Decomposition(bisecting: domain, maxExtent: 4, ranks: comm.size)
        let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: comm.rank)
        let exchange = try HaloExchange.collective(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], communicator: comm)
        _ = try exchange.useSharedMemory(comm, transfer: .direct)
    }
    throw SelfTestFailure(description: "bad input \(bad.rawValue) was accepted")
}
