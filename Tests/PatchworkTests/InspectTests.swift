import Foundation
import Testing
@testable import Patchwork

/// `patchwork inspect`: snapshot stores, checkpoints and run outputs described; corrupt
/// checkpoints and paths that are neither reported with non-zero exit codes.
@Suite struct InspectTests {
    /// A small run's output directory (Zarr or HDF5).
    static func runOutput(_ label: String, format: CheckpointFormat = .zarr) throws -> String {
        var o = RunHeatTests.options("inspect-\(label)", dims: 2, size: 20, steps: 20)
        o.format = format
        o.maxExtent = 7
        _ = try HeatRun.run(o)
        return o.output!
    }

    @Test("a run's output directory: snapshots (steps, times, shapes) and every checkpoint valid")
    func runOutput() throws {
        let dir = try Self.runOutput("zarr")
        let outcome = try RunHeatTests.patchwork(["inspect", dir])
        #expect(outcome.status == 0, "\(outcome.output)")
        for expected in ["snapshot store (Zarr v3)", "u: float64 3 × 20 × 20 (time, x, y)", "steps 0, 10, 20",
                         "checkpoint at step 20", "checkpoint at step 10", "files valid", "2-D domain 20 × 20",
                         "16 patches (largest extent 5", "periodic", "size=20",
                         "floor plan: 2-D domain 20 × 20", "checksums: all 3 snapshots valid (CRC32C)"] {
            #expect(outcome.output.contains(expected), "\(expected) in \(outcome.output)")
        }
    }

    @Test("an HDF5 snapshot file and a single checkpoint")
    func storeAndCheckpoint() throws {
        // Written by the tool, not in this process: a child spawned meanwhile by another test
        // would inherit the HDF5 file's descriptor and its lock (HDF5 opens without O_CLOEXEC).
        let dir = IOTestSupport.scratchDirectory("inspect-hdf5") + "/out"
        let run = try RunHeatTests.patchwork(["run", "heat", "--size", "20", "--steps", "20", "--max-extent", "7",
                                              "--snapshot-every", "10", "--checkpoint-every", "10", "--format", "hdf5",
                                              "--output", dir])
        #expect(run.status == 0, "\(run.output)")
        let store = try RunHeatTests.patchwork(["inspect", dir + "/snapshots.h5"])
        #expect(store.status == 0, "\(store.output)")
        #expect(store.output.contains("snapshot store (HDF5)") && store.output.contains("float64 3 × 20 × 20"))
        let newest = try #require(try Checkpoint.directories(in: dir + "/checkpoints").first)
        let checkpoint = try RunHeatTests.patchwork(["inspect", newest])
        #expect(checkpoint.status == 0, "\(checkpoint.output)")
        #expect(checkpoint.output.contains("checkpoint at step 20") && checkpoint.output.contains("u: float64 20 × 20"))
    }

    @Test("a corrupted checkpoint: exit 1, the file named")
    func corrupt() throws {
        let dir = try Self.runOutput("corrupt")
        let newest = try #require(try Checkpoint.directories(in: dir + "/checkpoints").first)
        // Flip one byte of the largest data file.
        let files = try FileManager.default.subpathsOfDirectory(atPath: newest + "/data.zarr")
            .map { newest + "/data.zarr/" + $0 }
            .filter { (try? FileManager.default.attributesOfItem(atPath: $0)[.type] as? FileAttributeType) == .typeRegular }
        let target = try #require(files.max { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int ?? 0) ?? 0 < (try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int ?? 0) ?? 0 })
        var bytes = try #require(FileManager.default.contents(atPath: target))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: target))
        let outcome = try RunHeatTests.patchwork(["inspect", dir])
        #expect(outcome.status == 1, "\(outcome.output)")
        #expect(outcome.output.contains("INVALID") && outcome.output.contains("checksum"))
        #expect(outcome.output.contains("checkpoint at step 10"))   // the older one is still fine
    }

    @Test("a snapshot store: its floor plan, every snapshot checksum valid; a changed snapshot INVALID, exit 1")
    func snapshotFloorPlanAndChecksums() throws {
        let dir = IOTestSupport.scratchDirectory("inspect-snap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for path in [dir + "/s.zarr", dir + "/s.h5"] {
            let u = try PatchArray<Double, 2>(decomposition: IOPlanTests.fourPatches())
            var recorded: [UInt32] = []
            do {
                let store: any FileStore = path.hasSuffix(".zarr") ? try ZarrStore.create(at: path) : try HDF5Store.create(at: path)
                let series = try SnapshotSeries.create(in: store, name: "u", array: u, dimensionNames: ["time", "y", "x"])
                for k in 0..<3 {
                    u.fill { p in Double(k) + IOPlanTests.value(p) }
                    try series.append(time: Double(k), step: 10 * k)
                }
                recorded = series.checksums
                // The oracle: CRC32C of the snapshot's row-major bytes, from the patch values.
                let last = ArrayModel<Double>.points(lower: [1, 2], size: [10, 12]).map { 2 + IOPlanTests.value(Point($0[0], $0[1])) }
                #expect(recorded.count == 3 && recorded[2] == last.withUnsafeBytes { CRC32C.checksum($0) })
                try series.verify()
            }
            let ok = try RunHeatTests.patchwork(["inspect", path])
            #expect(ok.status == 0, "\(ok.output)")
            for expected in ["3 snapshots: steps 0, 10, 20", "checksums: all 3 snapshots valid (CRC32C)",
                             "floor plan: 2-D domain 10 × 12 from [1, 2], 4 patches on 1 rank, not periodic; boxes → ranks: "
                             + "[1, 2]..<[4, 9] → 0, [1, 9]..<[4, 14] → 0, [4, 2]..<[11, 5] → 0, [4, 5]..<[11, 14] → 0"] {
                #expect(ok.output.contains(expected), "\(expected) in \(ok.output)")
            }
            // One cell of snapshot 1 changed behind the series' back (formats' own checks see nothing).
            do {
                let store: any FileStore = path.hasSuffix(".zarr") ? try ZarrStore.open(at: path) : try HDF5Store.open(at: path)
                try FileArray<Double, 3>.open(in: store, name: "u").write(makeBox([1, 4, 5], [1, 1, 1]), from: [-1])
                let series = try SnapshotSeries.open(in: store, name: "u", array: u)
                do {
                    try series.verify()
                    Issue.record("a changed snapshot went unnoticed")
                } catch {
                    guard case let .checksumMismatch(p, stored, computed) = error else { Issue.record("\(error)"); continue }
                    #expect(p == series.file.path + " snapshot 1" && stored == recorded[1] && computed != stored)
                }
            }
            let bad = try RunHeatTests.patchwork(["inspect", path])
            #expect(bad.status == 1, "\(bad.output)")
            #expect(bad.output.contains("checksums: snapshot 1 (step 10) INVALID: checksum stored 0x\(String(recorded[1], radix: 16))"), "\(bad.output)")
        }
    }

    @Test("a path that is neither: exit 64 and a clear message")
    func neither() throws {
        let dir = IOTestSupport.scratchDirectory("inspect-neither")
        let text = dir + "/notes.txt"
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        for (path, message) in [(text, "neither a snapshot store"), (dir, "neither a snapshot store"), (dir + "/missing", "does not exist")] {
            let outcome = try RunHeatTests.patchwork(["inspect", path])
            #expect(outcome.status == 64, "\(path): \(outcome.output)")
            #expect(outcome.output.contains(message), "\(path): \(outcome.output)")
        }
    }
}
