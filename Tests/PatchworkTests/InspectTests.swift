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
                         "16 patches (largest extent 5", "periodic", "size=20"] {
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
