import Foundation
import Testing
@testable import Patchwork

@Suite struct HDF5Tests {
    /// Every element type, rank 1...4, random shapes, chunks, boxes, deflate and Fletcher-32;
    /// then h5py reads every dataset and returns exactly the same bytes.
    @Test func roundTripsAndH5pyReadsThem() throws {
        let dir = IOTestSupport.scratchDirectory("h5")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/store.h5"
        var written: [WrittenArray] = []
        do {
            let store = try HDF5Store.create(at: file)
            written = try allFileArrayRoundTrips(store: store, compressions: [.none, .deflate(level: 1), .deflate(level: 6)], cases: 2)
            #expect(written.count == 80)
            #expect(try store.arrayNames() == written.map(\.name).sorted())
            try store.flush(durable: true)
        }   // the store is released here: the file closes
        try checkWithPython(written, path: file, imports: "import h5py", opener: "h5py.File(path, \"r\")[name]")
        // xarray (engine h5netcdf) names the axes from the dimension scales and reads the same bytes.
        try checkWithXarray(written, path: file, opener: "xr.open_dataset(path, engine=\"h5netcdf\")")
    }

    /// Named axes become dimension scales: xarray (engine h5netcdf) names them, shares a
    /// dimension between arrays of one group, grows an unlimited one, reads exact bytes, and does
    /// not take the pure dimensions for data; a second size for one name is a typed error.
    @Test func xarrayNamesAxesFromDimensionScales() throws {
        let dir = IOTestSupport.scratchDirectory("h5-scales")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/s.h5"
        let t = (0..<105).map { Double($0) * 0.25 - 7 }
        let a = (0..<35).map { Int32($0) * -3 }
        let m = (0..<35).map { UInt8($0 * 7 % 256) }
        do {
            let store = try HDF5Store.create(at: file)
            let tArray = try FileArray<Double, 3>.create(
                in: store, name: "T", shape: Point(2, 5, 7),
                options: .init(chunks: Point(1, 5, 7), growable: true, dimensionNames: ["time", "y", "x"]))
            try tArray.resizeLeadingAxis(to: 3)
            try tArray.write(tArray.domain, from: t)
            let mask = try FileArray<UInt8, 2>.create(in: store, name: "mask", shape: Point(5, 7), options: .init(dimensionNames: ["y", "x"]))
            try mask.write(mask.domain, from: m)
            let nested = try FileArray<Int32, 2>.create(in: store, name: "fields/a", shape: Point(5, 7), options: .init(dimensionNames: ["y", "x"]))
            try nested.write(nested.domain, from: a)
            #expect(throws: IOError.invalidArgument(name: "size of dimension y of \(file):/bad", value: "4",
                                                   requirement: "5, the size of y in this group (one size per dimension name)")) {
                _ = try FileArray<Float, 2>.create(in: store, name: "bad", shape: Point(4, 7), options: .init(dimensionNames: ["y", "x"]))
            }
            #expect(throws: IOError.invalidArgument(name: "dimension name of \(file):/bad2", value: "\"T\"",
                                                   requirement: "not the name of a dataset that is not a dimension (\(file):/T)")) {
                _ = try FileArray<Float, 1>.create(in: store, name: "bad2", shape: Point(3), options: .init(dimensionNames: ["T"]))
            }
            #expect(try store.arrayNames() == ["T", "fields/a", "mask"])   // no pure dimensions (x, y, fields/x, …)
        }
        let script = """
        import sys, xarray as xr
        ds = xr.open_dataset(sys.argv[1], engine="h5netcdf")
        g = xr.open_dataset(sys.argv[1], engine="h5netcdf", group="fields")
        print(sorted(ds.data_vars), dict(ds.sizes), sorted(g.data_vars), dict(g.sizes))
        for v in (ds["T"], ds["mask"], g["a"]):
            print(",".join(v.dims), v.dtype, v.values.tobytes().hex())
        """
        let out = try IOTestSupport.python(script, [file]).split(separator: "\n").map(String.init)
        #expect(out == ["['T', 'mask'] {'time': 3, 'y': 5, 'x': 7} ['a'] {'y': 5, 'x': 7}",
                        "time,y,x float64 \(hex(t))", "y,x uint8 \(hex(m))", "y,x int32 \(hex(a))"])
    }

    /// Attributes (numbers, strings, lists) round-trip, h5py reads them, and Patchwork reads
    /// datasets and attributes h5py wrote.
    @Test func attributesAndH5pyInterop() throws {
        let dir = IOTestSupport.scratchDirectory("h5-attr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/a.h5"
        let values: [(String, FileAttribute)] = [
            ("i", .int(-3)), ("d", .double(0.1)), ("s", .string("é units")), ("is", .ints([1, 2, 3])),
            ("ds", .doubles([0.5, 1e-300, -2])), ("ss", .strings(["a", "bc"])), ("empty", .ints([])),
        ]
        do {
            let store = try HDF5Store.create(at: file)
            let a = try FileArray<Int64, 2>.create(in: store, name: "fields/a", shape: Point(3, 4),
                                                   options: .init(dimensionNames: ["y", "x"]))
            try a.write(a.domain, from: (0..<12).map(Int64.init))
            for (k, v) in values { try a.setAttribute(k, v); try store.setAttribute(k, v) }
            try a.setAttribute("i", .int(5))   // replacing works
            #expect(try a.attribute("i") == .int(5))
            #expect(try a.attribute("missing") == nil)
        }
        do {
            let store = try HDF5Store.open(at: file)
            let a = try FileArray<Int64, 2>.open(in: store, name: "fields/a")
            #expect(a.arrayDescription.dimensionNames == ["y", "x"])
            for (k, v) in values where k != "i" {
                #expect(try a.attribute(k) == v)
                #expect(try store.attribute(k) == v)
            }
        }
        let script = """
        import sys, h5py, numpy as np
        f = h5py.File(sys.argv[1], "r+")
        a = f["fields/a"]
        print(int(a[...].sum()), a.attrs["i"], a.attrs["s"], list(a.attrs["ss"]), list(a.attrs["ds"]), f.attrs["d"])
        g = f.create_dataset("from_py", data=np.arange(20, dtype="<f4").reshape(4, 5) / 4, chunks=(2, 2), compression="gzip")
        g.attrs["note"] = "written by h5py"
        g.attrs["n"] = np.int32(7)
        f.create_dataset("c8", data=np.zeros(3, dtype="<c8"))
        f["deep/er/x"] = np.arange(3, dtype="<i2")
        f.create_group("empty/group")
        """
        let out = try IOTestSupport.python(script, [file])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines)
                == "66 5 é units ['a', 'bc'] [np.float64(0.5), np.float64(1e-300), np.float64(-2.0)] 0.1")
        let store = try HDF5Store.open(at: file, writable: false)
        // Nested datasets are listed by path (groups, empty or not, are not arrays).
        #expect(try store.arrayNames() == ["c8", "deep/er/x", "fields/a", "from_py"])
        #expect(try FileArray<Int16, 1>.open(in: store, name: "deep/er/x").read(makeBox([0], [3])) == [0, 1, 2])
        let g = try FileArray<Float, 2>.open(in: store, name: "from_py")
        #expect(try g.read(g.domain) == (0..<20).map { Float($0) / 4 })
        #expect(g.arrayDescription.chunkShape == [2, 2])
        #expect(g.arrayDescription.compression == .deflate(level: 4))
        #expect(try g.attribute("note") == .string("written by h5py"))
        #expect(try g.attribute("n") == .int(7))
        #expect(throws: IOError.unsupported(path: file + ":/c8", feature: "an element type that is not a plain integer or float")) {
            _ = try store.openArray("c8")
        }
    }

    /// A growable leading (time) axis: append steps with the same box shape.
    @Test func growableLeadingAxis() throws {
        let dir = IOTestSupport.scratchDirectory("h5-grow")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try HDF5Store.create(at: dir + "/t.h5")
        let series = try FileArray<Double, 3>.create(in: store, name: "T", shape: Point(0, 3, 4),
                                                    options: .init(chunks: Point(1, 3, 4), growable: true, checksum: true))
        for step in 0..<5 {
            try series.resizeLeadingAxis(to: step + 1)
            try series.write(makeBox([step, 0, 0], [1, 3, 4]), from: (0..<12).map { Double(step * 100 + $0) })
        }
        #expect(series.shape.array == [5, 3, 4])
        #expect(throws: IOError.invalidArgument(name: "leading extent of \(dir)/t.h5:/T", value: "2",
                                               requirement: ">= the current 5 (arrays only grow)")) {
            try series.resizeLeadingAxis(to: 2)
        }
        let reopened = try FileArray<Double, 3>.open(in: HDF5Store.open(at: dir + "/t.h5", writable: false), name: "T")
        #expect(reopened.arrayDescription.growable && reopened.arrayDescription.checksum)
        #expect(try reopened.read(reopened.domain) == (0..<5).flatMap { s in (0..<12).map { Double(s * 100 + $0) } })
    }

    /// A truncated file, garbage, garbage behind an HDF5 signature, and a damaged chunk are all
    /// `.corrupt`, naming the file (or the dataset); the intact original still reads back.
    @Test func truncatedOrGarbageFilesAreCorrupt() throws {
        let dir = IOTestSupport.scratchDirectory("h5-trunc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/ok.h5"
        let values = (0..<4096).map { Double($0) * 0.5 }
        do {
            let store = try HDF5Store.create(at: file)
            let a = try FileArray<Double, 1>.create(in: store, name: "a", shape: Point(4096),
                                                   options: .init(chunks: Point(1024), checksum: true))
            try a.write(a.domain, from: values)
        }
        let whole = try _FileSystem.readFile(file)
        var g = SeededGenerator(seed: 8)
        let garbage = (0..<whole.count).map { _ in UInt8.random(in: 0...255, using: &g) }
        let cases: [(String, [UInt8])] = [
            ("truncated", Array(whole.prefix(whole.count / 2))), ("truncated by one byte", Array(whole.dropLast())),
            ("signature only", Array(whole.prefix(8))), ("garbage", garbage),
            ("garbage behind the signature", Array(whole.prefix(8)) + garbage.dropFirst(8)), ("empty", []),
        ]
        for (k, (label, bytes)) in cases.enumerated() {
            let path = dir + "/bad\(k).h5"
            try _FileSystem.writeFileAtomically(path, bytes, durable: false)
            do {
                let store = try HDF5Store.open(at: path, writable: false)
                _ = try FileArray<Double, 1>.open(in: store, name: "a").read(makeBox([0], [4096]))
                Issue.record("\(label): opened and read")
            } catch {
                guard case let .corrupt(p, _) = error else { Issue.record("\(label): \(error)"); continue }
                #expect(p == path, "\(label)")
            }
        }
        // Flip a byte inside chunk 2's data (its offset from h5py): Fletcher-32 catches it on read.
        let offset = try IOTestSupport.python("""
        import sys, h5py
        print(h5py.File(sys.argv[1], "r")["a"].id.get_chunk_info(2).byte_offset)
        """, [file]).trimmingCharacters(in: .whitespacesAndNewlines)
        var flipped = whole
        flipped[try #require(Int(offset)) + 100] ^= 0x10
        let damaged = dir + "/flipped.h5"
        try _FileSystem.writeFileAtomically(damaged, flipped, durable: false)
        let a = try FileArray<Double, 1>.open(in: HDF5Store.open(at: damaged, writable: false), name: "a")
        #expect(try a.read(makeBox([0], [1024])) == Array(values[0..<1024]))
        do {
            _ = try a.read(a.domain)
            Issue.record("a flipped byte went unnoticed")
        } catch {
            guard case let .corrupt(p, reason) = error else { Issue.record("\(error)"); return }
            #expect(p == damaged + ":/a" && reason.contains("H5Dread"))
        }
        #expect(try FileArray<Double, 1>.open(in: HDF5Store.open(at: file, writable: false), name: "a").read(makeBox([0], [4096])) == values)
    }

    /// A file under a regular file fails with ENOTDIR naming the path; a full disk (a child past
    /// its file-size limit) fails with a typed EFBIG error naming the dataset, the file written
    /// before is intact, and the child exits cleanly (status 0, no crash in HDF5's exit handler)
    /// with the data of the file it left open written.
    @Test func unwritablePathAndFullDisk() throws {
        let dir = IOTestSupport.scratchDirectory("h5-unwritable")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try _FileSystem.writeFileAtomically(dir + "/file", [1, 2, 3], durable: false)
        #expect(throws: IOError.system(call: "open", path: dir + "/file/x.h5", errno: ENOTDIR)) {
            _ = try HDF5Store.create(at: dir + "/file/x.h5")
        }
        #expect(throws: IOError.fileNotFound(path: dir + "/file/x.h5")) { _ = try HDF5Store.open(at: dir + "/file/x.h5") }

        let (full, outcome) = try runFullDiskSelfTest(format: "hdf5")
        defer { try? FileManager.default.removeItem(atPath: full) }
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("typed error: H5Dwrite(\(full)/big.h5:/b) failed with errno 27 (EFBIG"), "\(outcome.output)")
        expectFullDiskSurvivors(in: full)
    }

    /// The same in each of 2 ranks under `mpirun` (MPI started first, so that the exit passes
    /// HDF5's `MPI_Finalize` hook): every rank reports the typed error and exits cleanly.
    @Test(.enabled(if: MPIRun.mpirun != nil))
    func fullDiskUnderMPI() throws {
        let dir = IOTestSupport.scratchDirectory("full-hdf5-mpi")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try MPIRun.mpirun(ranks: 2, ["selftest", "full-disk", "--format", "hdf5", "--mpi", "--directory", dir], timeout: 90)
        #expect(outcome.status == 0, "\(outcome.output)")
        for rank in 0..<2 {
            #expect(outcome.output.contains("typed error: H5Dwrite(\(dir)/rank-\(rank)/big.h5:/b) failed with errno 27 (EFBIG"), "\(outcome.output)")
            expectFullDiskSurvivors(in: dir + "/rank-\(rank)")
        }
    }

    /// What the full-disk self-test wrote before its failed write: `intact.h5` (closed) and
    /// `open.h5` (left open until the process exited) read back exactly.
    private func expectFullDiskSurvivors(in directory: String) {
        let small = (0..<128).map { Double($0) * 0.5 }
        for (file, name) in [("intact.h5", "a"), ("open.h5", "c")] {
            #expect(throws: Never.self, "\(file)") {
                let array = try FileArray<Double, 1>.open(in: HDF5Store.open(at: directory + "/" + file, writable: false), name: name)
                #expect(try array.read(array.domain) == small, "\(file)")
            }
        }
    }

    /// Bad input gives typed errors naming the file, and never damages what was written.
    @Test func badInputIsTypedAndHarmless() throws {
        let dir = IOTestSupport.scratchDirectory("h5-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/b.h5"
        let store = try HDF5Store.create(at: file)
        let a = try FileArray<Int32, 2>.create(in: store, name: "a", shape: Point(6, 5), options: .init(chunks: Point(4, 4)))
        let values = (0..<30).map(Int32.init)
        try a.write(a.domain, from: values)
        let path = file + ":/a"
        #expect(throws: IOError.boxOutsideArray(path: path, lower: [0, 3], shape: [2, 3], arrayShape: [6, 5])) {
            try a.write(makeBox([0, 3], [2, 3]), from: [Int32](repeating: -1, count: 6))
        }
        #expect(throws: IOError.bufferSizeMismatch(path: path, expected: 4, got: 5)) {
            try a.write(makeBox([0, 0], [2, 2]), from: [1, 2, 3, 4, 5])
        }
        #expect(throws: IOError.elementTypeMismatch(path: path, expected: "int64", found: "int32")) {
            _ = try FileArray<Int64, 2>.open(in: store, name: "a")
        }
        #expect(throws: IOError.rankMismatch(path: path, expected: 1, found: 2)) {
            _ = try FileArray<Int32, 1>.open(in: store, name: "a")
        }
        #expect(throws: IOError.fileNotFound(path: file + ":/nope")) { _ = try store.openArray("nope") }
        #expect(throws: IOError.alreadyExists(path: path)) { _ = try FileArray<Int32, 2>.create(in: store, name: "a", shape: Point(1, 1)) }
        #expect(throws: IOError.unsupported(path: file + ":/z", feature: "zstd compression (use .deflate)")) {
            _ = try FileArray<Int32, 1>.create(in: store, name: "z", shape: Point(4), options: .init(compression: .zstd(level: 1)))
        }
        #expect(throws: IOError.fileNotFound(path: dir + "/missing.h5")) { _ = try HDF5Store.open(at: dir + "/missing.h5") }
        #expect(throws: IOError.fileNotFound(path: dir + "/no/such/dir/x.h5")) { _ = try HDF5Store.create(at: dir + "/no/such/dir/x.h5") }
        #expect(throws: IOError.alreadyExists(path: file)) { _ = try HDF5Store.create(at: file, overwrite: false) }
        try _FileSystem.writeFileAtomically(dir + "/text.h5", Array("not hdf5".utf8), durable: false)
        #expect(throws: IOError.corrupt(path: dir + "/text.h5", reason: "not an HDF5 file")) { _ = try HDF5Store.open(at: dir + "/text.h5") }
        #expect(try a.read(a.domain) == values, "failed calls changed the data")
        let readOnly = try FileArray<Int32, 2>.open(in: HDF5Store.open(at: file, writable: false), name: "a")
        #expect(throws: IOError.invalidArgument(name: "write to", value: path, requirement: "a store opened with writable: true")) {
            try readOnly.write(makeBox([0, 0], [1, 1]), from: [5])
        }
    }
}
