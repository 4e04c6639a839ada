import ArgumentParser
import Foundation
import Patchwork

/// `patchwork selftest checkpoint`: checkpoints written and read by separate runs, under
/// `mpirun` or as one plain process (`--serial`, no MPI at all).
///
/// `--action write` writes step `--step` of a `--rows` × `--cols` domain cut in `2 × (K+1)`
/// blocks on the K ranks: `u` (Float64, interiors) and `g` (Float32 with ghost widths (2, 1),
/// ghost cells holding patch-specific values), through a ``CheckpointWriter`` with the world
/// communicator (Zarr: one chunk file per rank's pencil; HDF5: collective MPI-IO), and commits it.
/// `--action read` finds the newest valid checkpoint, checks its step (`--step`) and the rank
/// count it was written on (`--writers`), reads both quantities onto another floor plan of the
/// M ranks reading (`(M+1) × 2` blocks) and compares every interior cell bit for bit with the
/// deterministic field written (the oracle); on the writers' own floor plan, ghost cells too.
///
/// Crash tests: `PATCHWORK_CHECKPOINT_PAUSE=data|synced|renamed` stops the writer at that
/// phase (the test kills it); `--limit-file-bytes` lowers `RLIMIT_FSIZE` (with `SIGXFSZ` ignored)
/// so writes fail with `EFBIG`, as on a full disk; `--bad-rank` makes the last rank pass another
/// rank's array (every rank must fail, none hang). Rank 0 prints `selftest checkpoint: passed …`.
struct CheckpointSelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Write or read back a checkpoint (under mpirun: on every rank), checking every value."
    )

    enum Action: String, ExpressibleByArgument { case write, read }
    enum Format: String, ExpressibleByArgument { case zarr, hdf5 }

    @Option(help: "write or read.") var action: Action
    @Option(help: "The checkpoint root (the same path on every rank).") var directory: String
    @Option(help: "zarr or hdf5 (write).") var format: Format = .zarr
    @Option(help: "The step written, or expected as the newest valid one.") var step: Int
    @Option(help: "Rows of the domain.") var rows = 37
    @Option(help: "Columns of the domain.") var cols = 29
    @Option(help: "Read: the rank count the checkpoint must have been written on.") var writers: Int?
    @Option(help: "Write: keep this many valid checkpoints.") var keep: Int?
    @Option(help: "Write: RLIMIT_FSIZE in bytes (SIGXFSZ ignored), as a full disk.") var limitFileBytes: Int?
    @Option(help: "Write: global or pencils (default: the writer's choice).") var layout: String?
    @Flag(help: "One process without MPI (no communicator).") var serial = false
    @Flag(help: "Bad input: the last rank writes an array of rank 0; every rank must fail, none hang.") var badRank = false

    func run() throws {
        let comm: MPICommunicator? = serial ? nil : try MPICommunicator.world()
        var phases = CheckpointSelfTestPhases(comm: comm)
        let ranks = comm?.size ?? 1, rank = comm?.rank ?? 0
        let domain = try Box<2>(lower: [3, -2], upper: [3 + rows, -2 + cols])
        if let limitFileBytes, !limitFileSize(toBytes: limitFileBytes) {
            throw SelfTestFailure(description: "setrlimit failed with errno \(errno)")
        }
        switch action {
        case .write:
            let plan = try Decomposition(blocks: domain, counts: [2, ranks + 1], ranks: ranks)
            try phases.phase("write") {
                let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 0, rank: badRank && rank == ranks - 1 ? 0 : rank)
                u.fill { uValue($0, step) }
                let g = try PatchArray<Float, 2>(decomposition: plan, ghostWidths: Point(2, 1), rank: rank)
                for (index, patch) in g.localPatches { try patch.fill(in: patch.allocatedBox) { gValue($0, step, patch.box.contains($0) ? nil : index) } }
                let writer = try CheckpointWriter(root: directory, step: step, time: Double(step) / 4, floorPlan: plan,
                                                  format: format == .zarr ? .zarr : .hdf5,
                                                  layout: layout.map { $0 == "pencils" ? .pencils(axis: 0) : .global }, communicator: comm)
                try writer.write("u", u)
                try writer.write("g", g, includingGhosts: true)
                try writer.commit(metadata: ["writers": "\(ranks)"], keeping: keep)
            }
        case .read:
            try phases.phase("read") { (phases: inout CheckpointSelfTestPhases) in
                guard let checkpoint = try Checkpoint.newest(in: directory) else { throw SelfTestFailure(description: "no valid checkpoint in \(directory)") }
                try phases.expect(checkpoint.step == step, "newest valid step \(checkpoint.step), expected \(step)")
                let saved: Decomposition<2> = try checkpoint.floorPlan()
                try phases.expect(saved.domain == domain, "saved domain \(saved.domain), expected \(domain)")
                if let writers {
                    try phases.expect(saved.rankCount == writers && checkpoint.metadata["writers"] == "\(writers)",
                                      "written on \(saved.rankCount) ranks (\(checkpoint.metadata)), expected \(writers)")
                }
                let plan = try Decomposition(blocks: domain, counts: [ranks + 1, 2], ranks: ranks)
                let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: rank, initialValue: .nan)
                try checkpoint.read("u", into: u)
                let g = try PatchArray<Float, 2>(decomposition: plan, ghostWidths: Point(2, 1), rank: rank, initialValue: .nan)
                try checkpoint.read("g", into: g)
                for (index, patch) in u.localPatches {
                    for p in patch.box.cells {
                        try phases.expect(patch[p].bitPattern == uValue(p, step).bitPattern, "u patch \(index) cell \(p): read \(patch[p]), wrote \(uValue(p, step))")
                    }
                }
                for (index, patch) in g.localPatches {
                    for p in patch.box.cells {
                        try phases.expect(patch[p].bitPattern == gValue(p, step, nil).bitPattern, "g patch \(index) cell \(p): read \(patch[p]), wrote \(gValue(p, step, nil))")
                    }
                }
                // On the writers' floor plan with the same ghost widths, the ghost cells come back too.
                if saved.rankCount == ranks {
                    let same = try PatchArray<Float, 2>(decomposition: saved, ghostWidths: Point(2, 1), rank: rank, initialValue: .nan)
                    try checkpoint.read("g", into: same)
                    for (index, patch) in same.localPatches {
                        for p in patch.allocatedBox.cells {
                            let expected = gValue(p, step, patch.box.contains(p) ? nil : index)
                            try phases.expect(patch[p].bitPattern == expected.bitPattern, "g (same plan) patch \(index) cell \(p): read \(patch[p]), wrote \(expected)")
                        }
                    }
                }
            }
        }
        let checks = try comm?.allReduce(phases.checks, .sum) ?? phases.checks
        if rank == 0 { print("selftest checkpoint: passed \(action.rawValue) step \(step) with \(checks) checks on \(ranks) ranks") }
    }
}

/// The field `u` of step `step` (exact in binary).
private func uValue(_ p: Point<2>, _ step: Int) -> Double { Double(p[0] * 4096 + p[1]) + 0.25 * Double(step) + 0.125 }

/// The field `g`: interior cells (`ghostOf` nil) from the point; ghost cells of patch `ghostOf` negative and patch-specific.
private func gValue(_ p: Point<2>, _ step: Int, _ ghostOf: Int?) -> Float {
    let interior = Float(p[0] % 1024) * 8 + Float(p[1] % 1024) / 128 + Float(step)
    guard let ghostOf else { return interior }
    return -Float(ghostOf + 1) * 10_000 - interior
}

/// Phases with agreement under a communicator (every rank fails when one does); without one,
/// a failure just ends the process.
struct CheckpointSelfTestPhases {
    let comm: MPICommunicator?
    var checks = 0

    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        checks += 1
        if !condition { throw SelfTestFailure(description: message()) }
    }

    mutating func phase(_ name: String, _ body: (inout CheckpointSelfTestPhases) throws -> Void) throws {
        let rank = comm?.rank ?? 0
        var failed = false
        do { try body(&self) } catch {
            failed = true
            printError("rank \(rank): \(name): \(error)")
        }
        guard let comm else { if failed { throw ExitCode(1) }; return }
        do { try comm.agreeOnSuccess(!failed) } catch {
            if !failed { printError("rank \(rank): \(name): \(error)") }
            throw ExitCode(1)
        }
    }

    mutating func phase(_ name: String, _ body: () throws -> Void) throws {
        try phase(name) { (_: inout CheckpointSelfTestPhases) in try body() }
    }
}
