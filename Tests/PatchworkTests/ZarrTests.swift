import Foundation
import Testing
@testable import Patchwork

@Suite struct ZarrTests {
    /// Every element type, rank 1...4, random shapes, chunks (edge chunks padded), boxes, codecs;
    /// then zarr-python reads every array and returns exactly the same bytes.
    @Test func roundTripsAndZarrPythonReadsThem() throws {
        let dir = IOTestSupport.scratchDirectory("zarr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ZarrStore.create(at: dir + "/store.zarr")
        let written = try allFileArrayRoundTrips(store: store, compressions: [.none, .zstd(level: 1), .zstd(level: 5)], cases: 2)
        #expect(written.count == 80)
        #expect(try store.arrayNames() == written.map(\.name).sorted())
        try checkWithPython(written, path: dir + "/store.zarr", imports: "import zarr",
                            opener: "zarr.open_group(path, mode=\"r\")[name]")
        try checkWithXarray(written, path: dir + "/store.zarr", opener: "xr.open_zarr(path, consolidated=False)")
    }

    /// xarray names the axes from `dimension_names` and reads the attributes.
    @Test func xarrayReadsDimensionNamesAndAttributes() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-xr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ZarrStore.create(at: dir + "/run.zarr")
        try store.setAttribute("title", .string("Patchwork test"))
        let t = try FileArray<Double, 3>.create(
            in: store, name: "T", shape: Point(2, 5, 7),
            options: .init(chunks: Point(1, 4, 4), compression: .zstd(level: 3), checksum: true,
                           dimensionNames: ["time", "y", "x"]))
        let values = (0..<70).map { Double($0) * 0.5 - 3 }
        try t.write(t.domain, from: values)
        try t.setAttribute("units", .string("K"))
        try t.setAttribute("step", .int(12))
        let script = """
        import sys, xarray as xr
        ds = xr.open_zarr(sys.argv[1], consolidated=False)
        v = ds["T"]
        print(",".join(v.dims), v.dtype, v.values.tobytes().hex(), v.attrs["units"], v.attrs["step"], ds.attrs["title"])
        """
        let out = try IOTestSupport.python(script, [dir + "/run.zarr"])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "time,y,x float64 \(hex(values)) K 12 Patchwork test")
    }

    /// Patchwork reads arrays that zarr-python wrote (its default zstd codec, partial edge chunks).
    @Test func readsWhatZarrPythonWrote() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-py")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = """
        import sys, zarr, numpy as np
        g = zarr.open_group(sys.argv[1], mode="w")
        a = g.create_array("a", shape=(13, 9), chunks=(5, 4), dtype="int32", dimension_names=("y", "x"))
        a[...] = np.arange(13 * 9, dtype="int32").reshape(13, 9) * 3 - 100
        b = g.create_array("b", shape=(10,), chunks=(4,), dtype="float64", compressors=None, fill_value=2.5)
        b[2:7] = np.linspace(0, 1, 5)
        a.attrs["answer"] = 42
        """
        _ = try IOTestSupport.python(script, [dir + "/py.zarr"])
        let store = try ZarrStore.open(at: dir + "/py.zarr")
        #expect(try store.arrayNames() == ["a", "b"])
        let a = try FileArray<Int32, 2>.open(in: store, name: "a")
        #expect(try a.read(a.domain) == (0..<117).map { Int32($0) * 3 - 100 })
        #expect(a.arrayDescription.dimensionNames == ["y", "x"])
        #expect(try a.attribute("answer") == .int(42))
        let b = try FileArray<Double, 1>.open(in: store, name: "b")
        #expect(try b.read(b.domain) == [2.5, 2.5, 0, 0.25, 0.5, 0.75, 1, 2.5, 2.5, 2.5])
    }

    @Test func metadataIsZarrV3() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-meta")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try ZarrArray.create(at: dir + "/a.zarr", FileArrayDescription(
            elementType: .float32, shape: [10, 3], chunkShape: [4, 3], compression: .zstd(level: 2), checksum: true,
            dimensionNames: ["y", "x"], fillValue: .nan))
        let json = try #require(JSON.parse(try _FileSystem.readFile(dir + "/a.zarr/zarr.json")))
        #expect(json["zarr_format"] == .int(3))
        #expect(json["node_type"] == .string("array"))
        #expect(json["data_type"] == .string("float32"))
        #expect(json["shape"] == .array([.int(10), .int(3)]))
        #expect(json["chunk_key_encoding"]?["configuration"]?["separator"] == .string("/"))
        #expect(json["fill_value"] == .string("NaN"))
        #expect(json["codecs"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["bytes", "zstd", "crc32c"])
        // An edge chunk is stored full-size: 4×3 floats, zstd frame recording 48 bytes, then a CRC.
        try FileArray<Float, 2>(a).write(makeBox([8, 0], [2, 3]), from: [Float](repeating: 1, count: 6))
        let chunk = try _FileSystem.readFile(dir + "/a.zarr/c/2/0")
        let body = Array(chunk.dropLast(4))
        #expect(CRC32C.checksum(body) == chunk.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) })
        var decoded = [UInt8](repeating: 0, count: 48)
        try body.withUnsafeBytes { src in try decoded.withUnsafeMutableBytes { try _Zstd.decompress(src, into: $0, path: "c/2/0") } }
        let floats = decoded.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats.prefix(6).allSatisfy { $0 == 1 } && floats.suffix(6).allSatisfy(\.isNaN))
        // Growing the leading axis rewrites the shape.
        let b = try ZarrArray.create(at: dir + "/b.zarr", FileArrayDescription(elementType: .int64, shape: [0, 4], chunkShape: [1, 4], growable: true))
        try b.resizeLeadingAxis(to: 3)
        #expect(try ZarrArray.open(at: dir + "/b.zarr").arrayDescription.shape == [3, 4])
    }

    @Test func attributesRoundTrip() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-attr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ZarrStore.create(at: dir + "/s.zarr")
        let a = try FileArray<UInt8, 1>.create(in: store, name: "group/mask", shape: Point(5))
        let values: [(String, FileAttribute)] = [
            ("i", .int(-3)), ("d", .double(0.1)), ("s", .string("é \"quoted\"\n")), ("is", .ints([1, 2, 3])),
            ("ds", .doubles([0.5, 1e-300, -2])), ("ss", .strings(["a", "b"])),
        ]
        for (k, v) in values { try a.setAttribute(k, v); try store.setAttribute(k, v) }
        let reopened = try FileArray<UInt8, 1>.open(in: ZarrStore.open(at: dir + "/s.zarr"), name: "group/mask")
        let store2 = try ZarrStore.open(at: dir + "/s.zarr")
        for (k, v) in values {
            #expect(try reopened.attribute(k) == v)
            #expect(try store2.attribute(k) == v)
        }
        #expect(try reopened.attribute("missing") == nil)
        #expect(try store2.arrayNames() == ["group/mask"])
    }

    /// A zstd chunk cut short, emptied or replaced by garbage is `.corrupt`, naming the chunk
    /// file; the other chunks still read back exactly.
    @Test func truncatedOrGarbageChunksAreCorrupt() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-trunc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ZarrStore.create(at: dir + "/s.zarr")
        let a = try FileArray<Double, 1>.create(in: store, name: "z", shape: Point(64),
                                               options: .init(chunks: Point(32), compression: .zstd(level: 3)))
        let values = (0..<64).map { Double($0) * 1.5 - 7 }
        try a.write(a.domain, from: values)
        let chunk = dir + "/s.zarr/z/c/0"
        let whole = try _FileSystem.readFile(chunk)
        var g = SeededGenerator(seed: 6)
        let damaged: [(String, [UInt8])] = [
            ("half", Array(whole.prefix(whole.count / 2))), ("all but one byte", Array(whole.dropLast())),
            ("three bytes", Array(whole.prefix(3))), ("empty", []),
            ("garbage", (0..<whole.count).map { _ in UInt8.random(in: 0...255, using: &g) }),
        ]
        for (label, bytes) in damaged {
            try _FileSystem.writeFileAtomically(chunk, bytes, durable: false)
            do {
                _ = try a.read(a.domain)
                Issue.record("\(label): a damaged chunk was read")
            } catch {
                guard case let .corrupt(path, reason) = error else { Issue.record("\(label): \(error)"); continue }
                #expect(path == chunk && reason.contains("zstd"), "\(label): \(reason)")
            }
            #expect(try a.read(makeBox([32], [32])) == Array(values[32...]), "\(label): the intact chunk changed")
        }
    }

    /// A store under a regular file fails with ENOTDIR naming the path; a full disk (a child
    /// past its file-size limit) fails with a typed EFBIG error naming the chunk, the array
    /// written before is intact and the failed chunk left nothing behind.
    @Test func unwritablePathAndFullDisk() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-unwritable")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try _FileSystem.writeFileAtomically(dir + "/file", [1, 2, 3], durable: false)
        #expect(throws: IOError.system(call: "mkdir", path: dir + "/file/s.zarr", errno: ENOTDIR)) {
            _ = try ZarrStore.create(at: dir + "/file/s.zarr")
        }
        let store = try ZarrStore.create(at: dir + "/s.zarr")
        #expect(throws: IOError.system(call: "mkdir", path: dir + "/s.zarr/zarr.json/a", errno: ENOTDIR)) {
            _ = try ZarrArray.create(at: dir + "/s.zarr/zarr.json/a", FileArrayDescription(elementType: .int8, shape: [2]))
        }
        #expect(try store.arrayNames() == [])

        let (full, outcome) = try runFullDiskSelfTest(format: "zarr")
        defer { try? FileManager.default.removeItem(atPath: full) }
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("typed error: write(\(full)/s.zarr/b/c/0.partial) failed with errno 27 (EFBIG"), "\(outcome.output)")
        let reopened = try ZarrStore.open(at: full + "/s.zarr")
        let a = try FileArray<Double, 1>.open(in: reopened, name: "a")
        #expect(try a.read(a.domain) == (0..<128).map { Double($0) * 0.5 })
        let b = try FileArray<Double, 1>.open(in: reopened, name: "b")
        #expect(try b.read(b.domain).allSatisfy { $0 == 0 }, "the failed chunk left data behind")
        #expect(try _FileSystem.list(full + "/s.zarr/b/c").isEmpty, "a partial chunk file was left")
    }

    /// Bad input gives typed errors naming the file, and never damages what was written.
    @Test func badInputIsTypedAndHarmless() throws {
        let dir = IOTestSupport.scratchDirectory("zarr-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ZarrStore.create(at: dir + "/s.zarr")
        let a = try FileArray<Double, 2>.create(in: store, name: "a", shape: Point(6, 5),
                                               options: .init(chunks: Point(4, 4), checksum: true))
        let values = (0..<30).map(Double.init)
        try a.write(a.domain, from: values)
        let path = dir + "/s.zarr/a"
        #expect(throws: IOError.boxOutsideArray(path: path, lower: [4, 0], shape: [3, 5], arrayShape: [6, 5])) {
            try a.write(makeBox([4, 0], [3, 5]), from: [Double](repeating: -1, count: 15))
        }
        #expect(throws: IOError.boxOutsideArray(path: path, lower: [-1, 0], shape: [1, 1], arrayShape: [6, 5])) {
            _ = try a.read(makeBox([-1, 0], [1, 1]))
        }
        #expect(throws: IOError.bufferSizeMismatch(path: path, expected: 4, got: 3)) {
            try a.write(makeBox([0, 0], [2, 2]), from: [1, 2, 3])
        }
        #expect(throws: IOError.elementTypeMismatch(path: path, expected: "float32", found: "float64")) {
            _ = try FileArray<Float, 2>.open(in: store, name: "a")
        }
        #expect(throws: IOError.rankMismatch(path: path, expected: 3, found: 2)) {
            _ = try FileArray<Double, 3>.open(in: store, name: "a")
        }
        #expect(throws: IOError.fileNotFound(path: dir + "/s.zarr/nope/zarr.json")) {
            _ = try FileArray<Double, 2>.open(in: store, name: "nope")
        }
        #expect(throws: IOError.fileNotFound(path: dir + "/missing.zarr/zarr.json")) { _ = try ZarrStore.open(at: dir + "/missing.zarr") }
        #expect(throws: IOError.alreadyExists(path: path)) { _ = try FileArray<Double, 2>.create(in: store, name: "a", shape: Point(1, 1)) }
        #expect(throws: IOError.unsupported(path: dir + "/s.zarr/d", feature: "deflate compression (use .zstd)")) {
            _ = try FileArray<Double, 1>.create(in: store, name: "d", shape: Point(4), options: .init(compression: .deflate(level: 1)))
        }
        #expect(throws: IOError.invalidArgument(name: "resize of \(path)", value: "9", requirement: "on a growable array")) {
            try a.resizeLeadingAxis(to: 9)
        }
        #expect(try a.read(a.domain) == values, "failed calls changed the data")

        // A flipped byte in a chunk is caught by its CRC32C.
        let chunk = dir + "/s.zarr/a/c/1/0"
        var bytes = try _FileSystem.readFile(chunk)
        bytes[5] ^= 0x40
        try _FileSystem.writeFileAtomically(chunk, bytes, durable: false)
        do {
            _ = try a.read(a.domain)
            Issue.record("corruption went unnoticed")
        } catch {
            guard case let .checksumMismatch(p, stored, computed) = error else { Issue.record("\(error)"); return }
            #expect(p == chunk && stored != computed)
        }
        // A truncated raw chunk is corrupt, not silently short.
        let raw = try FileArray<Int32, 1>.create(in: store, name: "raw", shape: Point(8), options: .init(chunks: Point(4)))
        try raw.write(raw.domain, from: (0..<8).map(Int32.init))
        try _FileSystem.writeFileAtomically(dir + "/s.zarr/raw/c/1", [1, 2, 3], durable: false)
        #expect(throws: IOError.corrupt(path: dir + "/s.zarr/raw/c/1", reason: "chunk holds 3 bytes, expected 16")) {
            _ = try raw.read(raw.domain)
        }
        // Corrupt metadata.
        try _FileSystem.writeFileAtomically(dir + "/s.zarr/raw/zarr.json", Array("{\"zarr_format\": 3,".utf8), durable: false)
        #expect(throws: IOError.corrupt(path: dir + "/s.zarr/raw/zarr.json", reason: "not valid JSON")) {
            _ = try FileArray<Int32, 1>.open(in: store, name: "raw")
        }
    }
}
