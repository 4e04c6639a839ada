import ArgumentParser
import Foundation
import Patchwork

/// `patchwork selftest io`: parallel HDF5 over MPI. Every rank writes its patches of one array
/// into one shared HDF5 file with collective writes (``HDF5FileAccess/mpi(_:)``): a contiguous
/// `Float64` array `u` through ``IOMover/write(step:)`` and a chunked `Float32` time series `t`
/// through dataflow tasks (`graph.submit(mover, direction: .write, step:)`), with unequal patch
/// counts per rank. Rank 0 also writes the same arrays from a single-rank floor plan into
/// `reference.h5`; after the shared file is closed, rank 0 reads both files whole and compares
/// them bit for bit, and every rank reads its own patches back through MPI-IO.
///
/// With `--bad-step` the last rank writes a step outside the file: every rank must fail with a
/// clear error and a non-zero exit, none may hang. Files are left in `--directory` (`parallel.h5`, `reference.h5`) for h5py to compare too.
/// Rank 0 prints `selftest io: passed N checks on K ranks` at the end.
struct IOSelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "io",
        abstract: "Check collective parallel HDF5 writes against a single-rank write."
    )

    @Option(help: "Directory for parallel.h5 and reference.h5 (the same path on every rank).")
    var directory: String = NSTemporaryDirectory() + "patchwork-selftest-io"

    @Option(help: "Time steps of the series.")
    var steps = 3

    @Flag(help: "Bad input: the last rank writes a step outside the file; every rank must fail, none hang.")
    var badStep = false

    func run() throws {
        let comm = try MPICommunicator.world()
        var suite = SelfTestPhases(comm: comm)
        if comm.rank == 0 { print("selftest io: \(comm.size) ranks") }
        let domain = try Box<2>(lower: [2, -3], upper: [39, 26])   // 37 × 29
        let plan = try Decomposition(blocks: domain, counts: [3, 5], ranks: comm.size)   // 15 patches
        let single = try Decomposition(domain: plan.domain, boxes: plan.boxes,
                                       owners: Array(repeating: 0, count: plan.count), rankCount: 1)
        let parallelPath = directory + "/parallel.h5", referencePath = directory + "/reference.h5"
        try suite.phase("directory") {
            if comm.rank == 0 { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try comm.barrier()
        }
        if badStep {
            try suite.phase("bad step") {
                let store = try HDF5Store.create(at: directory + "/bad.h5", access: .mpi(comm))
                let t = try PatchArray<Float, 2>(decomposition: plan, ghostWidth: 0, rank: comm.rank)
                let series = try FileArray<Float, 3>.create(in: store, name: "t", shape: Point(2, plan.domain.shape[0], plan.domain.shape[1]))
                try IOMover(plan: IOPlan(array: t), array: t, file: series).write(step: comm.rank == comm.size - 1 ? 2 : 0)
            }
            return
        }
        try suite.phase("collective write") {
            try write(HDF5Store.create(at: parallelPath, access: .mpi(comm)), plan: plan, rank: comm.rank)
            try comm.barrier()   // the store is closed (collectively) on every rank
        }
        try suite.phase("single-rank reference") {
            if comm.rank == 0 { try write(HDF5Store.create(at: referencePath), plan: single, rank: 0) }
            try comm.barrier()
        }
        try suite.phase("rank 0 compares whole arrays") { (suite: inout SelfTestPhases) in
            guard comm.rank == 0 else { return }
            let parallel = try HDF5Store.open(at: parallelPath, writable: false)
            let reference = try HDF5Store.open(at: referencePath, writable: false)
            let pu = try FileArray<Double, 2>.open(in: parallel, name: "u"), ru = try FileArray<Double, 2>.open(in: reference, name: "u")
            try suite.expect(pu.shape == ru.shape, "u: shape \(pu.shape) vs single rank \(ru.shape)")
            let a = try pu.read(pu.domain), b = try ru.read(ru.domain)
            try suite.expect(a.map(\.bitPattern) == b.map(\.bitPattern), "u: \(zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count) cells differ from the single-rank file")
            try suite.expect(a == expectedU(domain), "u: the single-rank file does not hold the model values")
            let pt = try FileArray<Float, 3>.open(in: parallel, name: "t"), rt = try FileArray<Float, 3>.open(in: reference, name: "t")
            let c = try pt.read(pt.domain), d = try rt.read(rt.domain)
            try suite.expect(c.map(\.bitPattern) == d.map(\.bitPattern), "t: \(zip(c, d).filter { $0.bitPattern != $1.bitPattern }.count) cells differ from the single-rank file")
        }
        try suite.phase("every rank reads its patches back") { (suite: inout SelfTestPhases) in
            let store = try HDF5Store.open(at: parallelPath, writable: false, access: .mpi(comm))
            let back = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: comm.rank, initialValue: -1)
            try IOMover(plan: IOPlan(array: back), array: back, file: FileArray<Double, 2>.open(in: store, name: "u")).read()
            for (index, patch) in back.localPatches {
                for p in patch.box.cells {
                    try suite.expect(patch[p] == uValue(p), "patch \(index) cell \(p): \(patch[p]) read back, wrote \(uValue(p))")
                }
            }
        }
        try suite.phase("barrier") { try comm.barrier() }
        if comm.rank == 0 { print("selftest io: passed \(suite.checks) checks on \(comm.size) ranks") }
    }

    /// This rank's patches of `u` (mover) and `t` (dataflow tasks, one step at a time, the
    /// patches updated between steps) written into `store`, which is released at return.
    private func write(_ store: HDF5Store, plan: Decomposition<2>, rank: Int) throws {
        let shape = plan.domain.shape
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: rank, initialValue: .nan)
        u.fill { uValue($0) }
        let uFile = try FileArray<Double, 2>.create(in: store, name: "u", shape: shape)
        try IOMover(plan: IOPlan(array: u), array: u, file: uFile).write()

        let t = try PatchArray<Float, 2>(decomposition: plan, ghostWidth: 0, rank: rank)
        t.fill { Float(uValue($0)) }
        let series = try FileArray<Float, 3>.create(in: store, name: "t", shape: Point(steps, shape[0], shape[1]),
                                                    options: .init(chunks: Point(1, 8, 8), dimensionNames: ["time", "y", "x"]))
        let mover = try IOMover(plan: IOPlan(array: t), array: t, file: series)
        let graph = try DataflowGraph(workers: 2)
        for step in 0..<steps {
            try graph.submit(mover, direction: .write, step: step)
            for i in t.patchIndices {
                try graph.submit(name: "advance", .readWrite(t, patch: i)) { view in
                    for p in view.box.cells { try view.setValue(try view.value(at: p) * 0.5 + 1, at: p) }
                }
            }
        }
        try graph.wait()
        try store.flush()
    }
}

private func uValue(_ p: Point<2>) -> Double { Double(p[0] * 1000 + p[1]) + 0.125 * Double((p[0] &* 7 &+ p[1] &* 3) % 5) }

private func expectedU(_ domain: Box<2>) -> [Double] {
    var values: [Double] = []
    for i in domain.lower[0]..<domain.upper[0] {
        for j in domain.lower[1]..<domain.upper[1] { values.append(uValue(Point(i, j))) }
    }
    return values
}
