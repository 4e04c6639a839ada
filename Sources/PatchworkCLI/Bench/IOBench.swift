import ArgumentParser
import Foundation
import Patchwork

/// `patchwork bench io --json`: writes and reads a 2-D array of doubles (about 1 GiB by default,
/// `--mib` to change) with Patchwork's Zarr and HDF5 backends, beside a `dd`-equivalent write +
/// fsync of the same bytes (1 MiB writes from one buffer) and, when `.venv-tools` exists,
/// zarr-python and h5py writing and reading the same array with the same chunks. Every write
/// time includes fsync of what was written; reads come from the page cache (no cache dropping).
/// Ratios above 1 mean Patchwork is faster.
struct IOBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "io",
        abstract: "File-array write/read (Zarr, HDF5) vs dd-style write+fsync, zarr-python and h5py."
    )

    @Option(help: "Array size in MiB (doubles, 4096 per row).") var mib = 1024
    @Option(help: "Rows per chunk (a chunk is rows × 4096 doubles).") var chunkRows = 512
    @Option(help: "Directory for the scratch files (removed afterwards).") var directory = NSTemporaryDirectory()
    @Option(help: "Timed runs; the best is reported.") var repeats = 3
    @Flag(help: "Print one JSON object.") var json = false

    static let columns = 4096

    func run() throws {
        guard mib >= 1, chunkRows >= 1, repeats >= 1 else { throw ValidationError("mib, chunk-rows and repeats must be at least 1") }
        let rows = mib * 1024 * 1024 / 8 / Self.columns
        let count = rows * Self.columns
        let bytes = count * 8
        let dir = directory + "/patchwork-bench-io-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func gbps(_ seconds: Double) -> Double { Double(rows * Self.columns * 8) / seconds / 1e9 }
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = ContinuousClock.now
            try body()
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let data = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { data.deallocate() }
        for i in 0..<count { data[i] = Double(i % 1000) * 0.5 }
        let back = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        defer { back.deallocate() }
        let expectedSum = data.reduce(0, +)
        let shape = Point<2>(rows, Self.columns)
        let chunks = Point<2>(min(chunkRows, rows), Self.columns)
        let box = Box<2>(uncheckedLower: .zero, upper: shape)
        var crc = 0.0
        for _ in 0..<repeats { crc = max(crc, gbps(time { _ = CRC32C.checksum(UnsafeRawBufferPointer(data)) })) }
        let checkpointRun = try CheckpointRun(dir: dir, rows: rows)
        var checkpointWrite = 0.0, checkpointRead = 0.0
        var dd = 0.0, zarrWrite = 0.0, zarrRead = 0.0, hdf5Write = 0.0, hdf5Read = 0.0
        var readsMatch = true
        for r in 0..<repeats {
            // dd if=/dev/zero of=FILE bs=1M conv=fsync, from memory instead of /dev/zero.
            dd = max(dd, gbps(try time { try ddWrite(path: dir + "/dd.bin", data: UnsafeRawBufferPointer(data)) }))
            try? FileManager.default.removeItem(atPath: dir + "/dd.bin")

            let c = try checkpointRun.run(step: r, time: time)
            checkpointWrite = max(checkpointWrite, gbps(c.write))
            checkpointRead = max(checkpointRead, gbps(c.read))

            zarrWrite = max(zarrWrite, gbps(try time {
                let store = try ZarrStore.create(at: dir + "/pw.zarr")
                let a = try FileArray<Double, 2>.create(in: store, name: "a", shape: shape, options: .init(chunks: chunks))
                try a.write(box, from: UnsafeBufferPointer(data))
                try a.flush(durable: true)
            }))
            zarrRead = max(zarrRead, gbps(try time {
                let a = try FileArray<Double, 2>.open(in: ZarrStore.open(at: dir + "/pw.zarr"), name: "a")
                try a.read(box, into: back)
            }))
            readsMatch = readsMatch && back.reduce(0, +) == expectedSum
            try? FileManager.default.removeItem(atPath: dir + "/pw.zarr")

            hdf5Write = max(hdf5Write, gbps(try time {
                let store = try HDF5Store.create(at: dir + "/pw.h5")
                let a = try FileArray<Double, 2>.create(in: store, name: "a", shape: shape, options: .init(chunks: chunks))
                try a.write(box, from: UnsafeBufferPointer(data))
                try store.flush(durable: true)
            }))
            hdf5Read = max(hdf5Read, gbps(try time {
                let a = try FileArray<Double, 2>.open(in: HDF5Store.open(at: dir + "/pw.h5", writable: false), name: "a")
                try a.read(box, into: back)
            }))
            readsMatch = readsMatch && back.reduce(0, +) == expectedSum
            try? FileManager.default.removeItem(atPath: dir + "/pw.h5")
        }
        let python = pythonPeers(dir: dir, rows: rows, chunkRows: chunks[0], expectedSum: expectedSum)
        func ratio(_ a: Double, _ b: Double?) -> Double? { b.flatMap { $0 > 0 ? a / $0 : nil } }
        func number(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "null" }
        let figures: [(String, String)] = [
            ("benchmark", "\"io\""), ("element", "\"float64\""), ("shape", "[\(rows), \(Self.columns)]"),
            ("chunk_shape", "[\(chunks[0]), \(Self.columns)]"), ("bytes", "\(bytes)"), ("repeats", "\(repeats)"),
            ("dd_write_GBps", number(dd)),
            ("checkpoint_write_GBps", number(checkpointWrite)), ("checkpoint_read_GBps", number(checkpointRead)),
            ("checkpoint_write_ratio_to_dd", number(ratio(checkpointWrite, dd))),
            ("checkpoint_patches", "\(checkpointRun.patches)"), ("crc32c_GBps", number(crc)),
            ("crc32c_hardware", "\(CRC32C.isHardwareAccelerated)"),
            ("zarr_write_GBps", number(zarrWrite)), ("zarr_read_GBps", number(zarrRead)),
            ("hdf5_write_GBps", number(hdf5Write)), ("hdf5_read_GBps", number(hdf5Read)),
            ("zarr_python_write_GBps", number(python?.zarrWrite)), ("zarr_python_read_GBps", number(python?.zarrRead)),
            ("h5py_write_GBps", number(python?.h5Write)), ("h5py_read_GBps", number(python?.h5Read)),
            ("zarr_write_ratio_to_dd", number(ratio(zarrWrite, dd))),
            ("hdf5_write_ratio_to_dd", number(ratio(hdf5Write, dd))),
            ("zarr_write_ratio_to_zarr_python", number(ratio(zarrWrite, python?.zarrWrite))),
            ("zarr_read_ratio_to_zarr_python", number(ratio(zarrRead, python?.zarrRead))),
            ("hdf5_write_ratio_to_h5py", number(ratio(hdf5Write, python?.h5Write))),
            ("hdf5_read_ratio_to_h5py", number(ratio(hdf5Read, python?.h5Read))),
            ("reads_match", "\(readsMatch && (python?.sumsMatch ?? true))"),
            ("python_note", python == nil ? "\"\(Self.venvPython) missing or failed: run scripts/setup.sh\"" : "null"),
            ("note", "\"writes include fsync; reads are from the page cache\""),
        ]
        if json {
            print("{" + figures.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            for (k, v) in figures { print("\(k): \(v)") }
        }
    }

    /// A checkpoint of one quantity (rows × 4096 doubles in 8 patches along axis 0) written with
    /// ``CheckpointWriter`` (commit: fsync, rename, CRC32C manifest) and restarted with
    /// ``Checkpoint/newest(in:verify:)`` (verifying every checksum) plus a read onto 4 patches.
    struct CheckpointRun {
        let u: PatchArray<Double, 2>, v: PatchArray<Double, 2>
        let root: String
        let patches: Int

        init(dir: String, rows: Int) throws {
            let domain = Box<2>(uncheckedLower: .zero, upper: Point(rows, IOBench.columns))
            func slabs(_ n: Int) throws -> Decomposition<2> {
                let cuts = (0...n).map { $0 * rows / n }
                let boxes = (0..<n).map { Box<2>(uncheckedLower: Point(cuts[$0], 0), upper: Point(cuts[$0 + 1], IOBench.columns)) }
                return try Decomposition(domain: domain, boxes: boxes, owners: Array(repeating: 0, count: n), rankCount: 1)
            }
            patches = min(8, rows)
            u = try PatchArray<Double, 2>(decomposition: slabs(patches))
            u.fill { p in Double((p[0] * IOBench.columns + p[1]) % 1000) * 0.5 }
            v = try PatchArray<Double, 2>(decomposition: slabs(min(4, rows)))
            root = dir + "/ckpt"
        }

        /// Seconds to write and commit step `step`, then to find, verify and read it.
        func run(step: Int, time: (() throws -> Void) throws -> Double) throws -> (write: Double, read: Double) {
            let write = try time {
                let writer = try CheckpointWriter(root: root, step: step, time: Double(step), floorPlan: u.decomposition)
                try writer.write("u", u)
                try writer.commit()
            }
            try Checkpoint.prune(in: root, keeping: 1)   // like dd's file removal: untimed
            let read = try time {   // verifies every checksum, then reads onto 4 patches
                guard let c = try Checkpoint.newest(in: root) else { throw ValidationError("no checkpoint found") }
                try c.read("u", into: v)
            }
            let last = Point<2>(u.dataDomain.upper[0] - 1, IOBench.columns - 1)
            guard try v.value(at: last) == u.value(at: last) else { throw ValidationError("checkpoint read back other values") }
            return (write, read)
        }
    }

    /// Writes `data` in 1 MiB pieces with write(2), then fsync: what `dd bs=1M conv=fsync` does.
    func ddWrite(path: String, data: UnsafeRawBufferPointer) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ValidationError("cannot create \(path)") }
        defer { close(fd) }
        var offset = 0
        while offset < data.count {
            let n = write(fd, data.baseAddress! + offset, min(1 << 20, data.count - offset))
            guard n > 0 else { throw ValidationError("write to \(path) failed") }
            offset += n
        }
        guard fsync(fd) == 0 else { throw ValidationError("fsync \(path) failed") }
    }

    static var venvPython: String {
        // The repository's .venv-tools, found from the working directory (swift run runs there).
        FileManager.default.currentDirectoryPath + "/.venv-tools/bin/python"
    }

    struct PythonFigures { var zarrWrite, zarrRead, h5Write, h5Read: Double; var sumsMatch: Bool }

    /// zarr-python and h5py writing (with fsync) and reading the same array, timed in Python.
    func pythonPeers(dir: String, rows: Int, chunkRows: Int, expectedSum: Double) -> PythonFigures? {
        guard FileManager.default.isExecutableFile(atPath: Self.venvPython) else { return nil }
        let script = """
        import os, sys, time, json, numpy as np, zarr, h5py
        d, rows, crow, cols, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), 4096, int(sys.argv[4])
        a = (np.arange(rows * cols, dtype=np.int64) % 1000 * 0.5).reshape(rows, cols)
        def fsync_tree(p):
            for root, dirs, files in os.walk(p):
                for f in files:
                    fd = os.open(os.path.join(root, f), os.O_RDONLY); os.fsync(fd); os.close(fd)
                fd = os.open(root, os.O_RDONLY); os.fsync(fd); os.close(fd)
        def best(f):
            return min(f() for _ in range(repeats))
        r = {}
        def zw():
            p = d + "/py.zarr"
            if os.path.exists(p):
                import shutil; shutil.rmtree(p)
            t = time.perf_counter()
            z = zarr.create_array(store=p, shape=a.shape, chunks=(crow, cols), dtype="float64", compressors=None)
            z[...] = a
            fsync_tree(p)
            return time.perf_counter() - t
        r["zarr_write_s"] = best(zw)
        def zr():
            t = time.perf_counter(); b = zarr.open_array(d + "/py.zarr", mode="r")[...]; s = time.perf_counter() - t
            r["zarr_sum"] = float(b.sum()); return s
        r["zarr_read_s"] = best(zr)
        def hw():
            p = d + "/py.h5"
            t = time.perf_counter()
            with h5py.File(p, "w") as f:
                f.create_dataset("a", data=a, chunks=(crow, cols))
            fd = os.open(p, os.O_RDONLY); os.fsync(fd); os.close(fd)
            return time.perf_counter() - t
        r["h5_write_s"] = best(hw)
        def hr():
            t = time.perf_counter()
            with h5py.File(d + "/py.h5", "r") as f:
                b = f["a"][...]
            s = time.perf_counter() - t
            r["h5_sum"] = float(b.sum()); return s
        r["h5_read_s"] = best(hr)
        print(json.dumps(r))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.venvPython)
        process.arguments = ["-c", script, dir, String(rows), String(chunkRows), String(repeats)]
        let out = Pipe()
        process.standardOutput = out
        guard (try? process.run()) != nil else { return nil }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let r = try? JSONSerialization.jsonObject(with: output) as? [String: Double] else { return nil }
        let bytes = Double(rows * Self.columns * 8)
        func gbps(_ key: String) -> Double { bytes / (r[key] ?? .infinity) / 1e9 }
        return PythonFigures(zarrWrite: gbps("zarr_write_s"), zarrRead: gbps("zarr_read_s"),
                             h5Write: gbps("h5_write_s"), h5Read: gbps("h5_read_s"),
                             sumsMatch: r["zarr_sum"] == expectedSum && r["h5_sum"] == expectedSum)
    }
}
