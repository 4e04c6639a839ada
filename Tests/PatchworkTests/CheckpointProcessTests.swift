import Foundation
import Testing
@testable import Patchwork

/// Checkpoints written by real MPI ranks (`patchwork selftest checkpoint` under `mpirun`) and read
/// back by another number of ranks, each run comparing every value bit for bit with the
/// deterministic field written. Bounded in time.
@Suite(.serialized, .enabled(if: MPIRun.mpirun != nil, "mpirun is not installed (run scripts/setup.sh)"))
struct MPICheckpointTests {
    static func expectPassed(_ outcome: ProcessRunner.Outcome, _ what: String, ranks: Int) {
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("selftest checkpoint: passed \(what) with "), "output:\n\(outcome.output)")
        #expect(outcome.output.contains(" checks on \(ranks) ranks"), "output:\n\(outcome.output)")
    }

    /// Written on 2 ranks, read on 3 and on 1; written on 4, read on 1 (Zarr in pencils, HDF5 in
    /// one global array and in pencils, both through collective MPI-IO).
    @Test(arguments: [(CheckpointFormat.zarr, "default"), (.hdf5, "default"), (.hdf5, "pencils")])
    func writeOnSomeRanksReadOnOthers(format: CheckpointFormat, layout: String) throws {
        let root = IOTestSupport.scratchDirectory("mpi-ckpt-\(format)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let common = ["selftest", "checkpoint", "--directory", root]
        let write = common + ["--action", "write", "--format", format.rawValue] + (layout == "default" ? [] : ["--layout", layout])
        Self.expectPassed(try MPIRun.mpirun(ranks: 2, write + ["--step", "5"], timeout: 90), "write step 5", ranks: 2)
        let read5 = common + ["--action", "read", "--step", "5", "--writers", "2"]
        Self.expectPassed(try MPIRun.mpirun(ranks: 3, read5, timeout: 90), "read step 5", ranks: 3)
        Self.expectPassed(try MPIRun.mpirun(ranks: 1, read5, timeout: 90), "read step 5", ranks: 1)
        Self.expectPassed(try MPIRun.mpirun(ranks: 4, write + ["--step", "6"], timeout: 90), "write step 6", ranks: 4)
        let read6 = common + ["--action", "read", "--step", "6", "--writers", "4"]
        Self.expectPassed(try MPIRun.mpirun(ranks: 1, read6, timeout: 90), "read step 6", ranks: 1)
        // The checkpoint written on 4 ranks verifies here too, and records its floor plan.
        let checkpoint = try #require(try Checkpoint.newest(in: root))
        let plan: Decomposition<2> = try checkpoint.floorPlan()
        #expect(checkpoint.step == 6 && plan.rankCount == 4 && checkpoint.metadata["writers"] == "4")
        if format == .zarr || layout == "pencils" {
            // Pencils along axis 0: every rank's run of patches starts on a chunk boundary, so no
            // chunk file holds cells of two ranks.
            let u = try checkpoint.store.openArray("u")
            guard case let .ints(shifts)? = try u.attribute("patchwork_shifts") else { Issue.record("no shifts"); return }
            let chunk = u.arrayDescription.chunkShape[0]
            for rank in 0..<4 {
                let first = try #require(plan.owners.firstIndex(of: rank))
                #expect((plan.boxes[first].lower[0] + Int(shifts[2 * first])) % chunk == 0, "rank \(rank)'s first row")
            }
        }
    }
}

extension MPICheckpointTests {
    /// One rank's bad array fails every rank (its own error there, the failing rank named on
    /// the others); nobody hangs and nothing is committed.
    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func aBadArrayOnOneRankFailsEveryRank(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("mpi-ckpt-bad-\(format)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let outcome = try MPIRun.mpirun(ranks: 3, ["selftest", "checkpoint", "--directory", root, "--action", "write",
                                                   "--format", format.rawValue, "--step", "1", "--bad-rank"], timeout: 60)
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status != 0 && outcome.status != nil)
        #expect(outcome.output.contains("rank 2: write: invalid rank of the array written as u 0: must be this process's rank 2"),
                "output:\n\(outcome.output)")
        for rank in 0..<2 {
            #expect(outcome.output.contains("rank \(rank): write: checkpoint \(root)/ckpt-000000000001: check u failed on 1 other rank(s), the first being rank 2"),
                    "output:\n\(outcome.output)")
        }
        #expect(try Checkpoint.newest(in: root) == nil)
    }
}

/// Real crashes and real I/O failures of a checkpoint writer in a child process
/// (`patchwork selftest checkpoint --serial`): killed (SIGKILL) while writing data, after the
/// fsyncs and after the rename (before the manifest); writes failing with EFBIG under
/// `RLIMIT_FSIZE`, as on a full disk. The previous checkpoint stays the newest valid one and
/// reads back exactly.
@Suite(.serialized)
struct CheckpointCrashTests {
    static func serial(_ root: String, _ arguments: [String]) -> [String] {
        ["selftest", "checkpoint", "--serial", "--directory", root] + arguments
    }

    static func run(_ arguments: [String], timeout: Double = 90) throws -> ProcessRunner.Outcome {
        try ProcessRunner.run(try MPIRun.patchwork(), arguments, timeout: timeout)
    }

    /// Runs the patchwork tool with `PATCHWORK_CHECKPOINT_PAUSE=phase` until it stops itself at
    /// that phase, then kills it with SIGKILL. Returns whether it was stopped there, and its output.
    static func killAtPause(_ arguments: [String], phase: String, timeout: Double = 90) throws -> (paused: Bool, output: String) {
        let outcome = try ProcessRunner.run(
            try MPIRun.patchwork(), arguments, environment: ["PATCHWORK_CHECKPOINT_PAUSE": phase],
            timeout: timeout, killWhenStopped: true)
        return (outcome.stopped, outcome.output)
    }

    /// A 512 × 1024 domain: 4 MiB of `u`, 2 MiB of `g` (and its ghosts).
    static let large = ["--rows", "512", "--cols", "1024"]

    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func aKilledWriterLeavesThePreviousCheckpointNewest(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-sigkill-\(format)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let write = ["--action", "write", "--format", format.rawValue] + Self.large
        let first = try Self.run(Self.serial(root, write + ["--step", "1"]))
        #expect(first.status == 0, "output:\n\(first.output)")
        let manifest = try _FileSystem.readFile(root + "/ckpt-000000000001/manifest.json")
        for (step, phase) in [(2, "data"), (3, "synced"), (4, "renamed")] {
            let (paused, output) = try Self.killAtPause(Self.serial(root, write + ["--step", "\(step)"]), phase: phase)
            #expect(paused, "not stopped at \(phase); output:\n\(output)")
            #expect(output.contains("checkpoint writer paused at \(phase)"), "output:\n\(output)")
            #expect(try Checkpoint.newest(in: root)?.step == 1, "after a kill at \(phase)")
        }
        // What the kills left: two partial directories and a renamed one without a manifest.
        #expect(try _FileSystem.list(root) == [".ckpt-000000000002.partial", ".ckpt-000000000003.partial", "ckpt-000000000001", "ckpt-000000000004"])
        #expect(throws: IOError.corrupt(path: root + "/ckpt-000000000004", reason: "incomplete checkpoint: no manifest.json")) {
            _ = try Checkpoint(at: root + "/ckpt-000000000004")
        }
        #expect(try _FileSystem.readFile(root + "/ckpt-000000000001/manifest.json") == manifest)
        // The previous checkpoint reads back exactly (checked value by value by the child).
        let read = try Self.run(Self.serial(root, ["--action", "read", "--step", "1", "--writers", "1"] + Self.large))
        #expect(read.status == 0 && read.output.contains("passed read step 1"), "output:\n\(read.output)")
        // The next writer of step 4 replaces the leftover; keeping 2 removes the partial ones.
        let again = try Self.run(Self.serial(root, write + ["--step", "4", "--keep", "2"]))
        #expect(again.status == 0, "output:\n\(again.output)")
        #expect(try _FileSystem.list(root) == ["ckpt-000000000001", "ckpt-000000000004"])
        #expect(try Checkpoint.newest(in: root)?.step == 4)
    }

    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func aFullDiskFailsWithATypedErrorAndKeepsThePrevious(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-efbig-\(format)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let write = ["--action", "write", "--format", format.rawValue, "--rows", "256", "--cols", "512"]
        let first = try Self.run(Self.serial(root, write + ["--step", "1"]))
        #expect(first.status == 0, "output:\n\(first.output)")
        let manifest = try _FileSystem.readFile(root + "/ckpt-000000000001/manifest.json")
        // u is 1 MiB; no file may exceed 256 KiB.
        let full = try Self.run(Self.serial(root, write + ["--step", "2", "--limit-file-bytes", "262144"]))
        #expect(full.status == 1, "output:\n\(full.output)")
        let partial = root + "/.ckpt-000000000002.partial/"
        switch format {
        case .zarr:
            #expect(full.output.contains("rank 0: write: write(\(partial)data.zarr/u/c/"), "output:\n\(full.output)")
            #expect(full.output.contains("failed with errno 27 (EFBIG: file too large"), "output:\n\(full.output)")
        case .hdf5:
            #expect(full.output.contains("rank 0: write: H5Dwrite(\(partial)data.h5:/u) failed with errno 27 (EFBIG"), "output:\n\(full.output)")
        }
        #expect(try _FileSystem.readFile(root + "/ckpt-000000000001/manifest.json") == manifest)
        #expect(try Checkpoint.newest(in: root)?.step == 1)
        let read = try Self.run(Self.serial(root, ["--action", "read", "--step", "1", "--writers", "1", "--rows", "256", "--cols", "512"]))
        #expect(read.status == 0 && read.output.contains("passed read step 1"), "output:\n\(read.output)")
    }
}
