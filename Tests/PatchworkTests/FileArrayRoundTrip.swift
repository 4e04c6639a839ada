import Foundation
import Testing
@testable import Patchwork

/// One array written by ``fileArrayRoundTrips``, with its model (the expected content).
struct WrittenArray {
    let name: String
    let elementType: ElementType
    let shape: [Int]
    let bytes: [UInt8]
}

/// Creates `cases` random `N`-D arrays of `E` in `store` (random shapes, chunk shapes,
/// compression, checksums, fill values), writes random boxes, and checks every read against a
/// plain array model; then reopens each array and checks it whole. Returns what was written.
func fileArrayRoundTrips<E: TestElement, let N: Int>(
    _: E.Type, _: Box<N>.Type, store: some FileStore, compressions: [FileCompression],
    seed: UInt64, cases: Int
) throws -> [WrittenArray] {
    var g = SeededGenerator(seed: seed &+ UInt64(N) &* 1_000_003 &+ UInt64(E.elementType.code) &* 7919)
    let maxSide = [0, 300, 40, 12, 7][N]
    var written: [WrittenArray] = []
    for k in 0..<cases {
        let shape = (0..<N).map { _ in Int.random(in: 1...maxSide, using: &g) }
        let chunks = shape.map { s in Int.random(in: max(1, s / 3)...(s + 2), using: &g) }
        let fill: Double = Bool.random(using: &g) ? 0 : 7
        let name = "\(E.elementType)_\(N)d_\(k)"
        // Axis names of their own: arrays of one store share a dimension name only at one size.
        let options = FileArrayOptions<N>(
            chunks: Point(InlineArray { chunks[$0] }), compression: compressions.randomElement(using: &g)!,
            checksum: Bool.random(using: &g), dimensionNames: (0..<N).map { "\(name)_axis\($0)" }, fillValue: fill)
        let array = try FileArray<E, N>.create(in: store, name: name, shape: Point(InlineArray { shape[$0] }), options: options)
        var fillValue = [UInt8](repeating: 0, count: E.elementType.byteCount)
        fillValue.withUnsafeMutableBytes { E.elementType.store(fill, at: $0.baseAddress!) }
        var model = ArrayModel<E>(shape: shape, fill: fillValue.withUnsafeBytes { $0.load(as: E.self) })
        for _ in 0..<4 {
            let (lower, size) = randomBox(in: shape, using: &g)
            let data = (0..<size.reduce(1, *)).map { _ in E.random(using: &g) }
            try array.write(makeBox(lower, size), from: data)
            model.write(lower: lower, size: size, data)
        }
        #expect(sameBits(try array.read(array.domain), model.values), "\(name) shape \(shape) chunks \(chunks)")
        for _ in 0..<3 {
            let (lower, size) = randomBox(in: shape, using: &g)
            #expect(sameBits(try array.read(makeBox(lower, size)), model.read(lower: lower, size: size)),
                    "\(name) box \(lower) \(size)")
        }
        try array.flush(durable: false)
        let reopened = try FileArray<E, N>.open(in: store, name: name)
        #expect(reopened.shape.array == shape)
        #expect(reopened.arrayDescription.chunkShape.count == N)
        #expect(reopened.arrayDescription.dimensionNames == options.dimensionNames)
        #expect(reopened.arrayDescription.fillValue == fill)
        #expect(sameBits(try reopened.read(reopened.domain), model.values), "\(name) reopened")
        written.append(WrittenArray(name: name, elementType: E.elementType, shape: shape,
                                    bytes: model.values.withUnsafeBytes { Array($0) }))
    }
    return written
}

/// Round trips of every element type (all ten) and rank 1...4 in `store`.
func allFileArrayRoundTrips(store: some FileStore, compressions: [FileCompression], cases: Int) throws -> [WrittenArray] {
    var all: [WrittenArray] = []
    func each<let N: Int>(_ box: Box<N>.Type) throws {
        all += try fileArrayRoundTrips(Float.self, box, store: store, compressions: compressions, seed: 1, cases: cases)
        all += try fileArrayRoundTrips(Double.self, box, store: store, compressions: compressions, seed: 2, cases: cases)
        all += try fileArrayRoundTrips(Int32.self, box, store: store, compressions: compressions, seed: 3, cases: cases)
        all += try fileArrayRoundTrips(Int64.self, box, store: store, compressions: compressions, seed: 4, cases: cases)
        all += try fileArrayRoundTrips(UInt8.self, box, store: store, compressions: compressions, seed: 5, cases: cases)
        all += try fileArrayRoundTrips(Int8.self, box, store: store, compressions: compressions, seed: 6, cases: cases)
        all += try fileArrayRoundTrips(Int16.self, box, store: store, compressions: compressions, seed: 7, cases: cases)
        all += try fileArrayRoundTrips(UInt16.self, box, store: store, compressions: compressions, seed: 8, cases: cases)
        all += try fileArrayRoundTrips(UInt32.self, box, store: store, compressions: compressions, seed: 9, cases: cases)
        all += try fileArrayRoundTrips(UInt64.self, box, store: store, compressions: compressions, seed: 10, cases: cases)
    }
    try each(Box<1>.self)
    try each(Box<2>.self)
    try each(Box<3>.self)
    try each(Box<4>.self)
    return all
}

/// Has Python dump each array of `written` (opened with `opener`, a Python expression over
/// `path` and `name`) to a raw little-endian file and compares the bytes, dtype and shape exactly.
func checkWithPython(_ written: [WrittenArray], path: String, imports: String, opener: String) throws {
    let out = IOTestSupport.scratchDirectory("py")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let script = """
    import sys, numpy as np
    \(imports)
    path, out = sys.argv[1], sys.argv[2]
    for name in sys.argv[3:]:
        a = np.asarray(\(opener)[...])
        open(out + "/" + name + ".bin", "wb").write(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes())
        print(name, a.dtype.name, ",".join(map(str, a.shape)))
    """
    let output = try IOTestSupport.python(script, [path, out] + written.map(\.name))
    let lines = output.split(separator: "\n").map(String.init)
    #expect(lines.count == written.count)
    for (w, line) in zip(written, lines) {
        #expect(line == "\(w.name) \(w.elementType.name) \(w.shape.map(String.init).joined(separator: ","))")
        let bytes = FileManager.default.contents(atPath: out + "/" + w.name + ".bin").map { [UInt8]($0) }
        let same = bytes == w.bytes
        #expect(same, "\(w.name): Python read other values")
    }
}

/// Has xarray open the store once (`opener`: a Python expression over `path` giving a Dataset)
/// and dump each array of `written` (`ds[name].values.tobytes()`, little-endian) and its dims;
/// compares the bytes exactly, and the dims with the axis names ``fileArrayRoundTrips`` gave.
func checkWithXarray(_ written: [WrittenArray], path: String, opener: String) throws {
    let out = IOTestSupport.scratchDirectory("xr")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let script = """
    import sys, numpy as np, xarray as xr
    path, out = sys.argv[1], sys.argv[2]
    ds = \(opener)
    for name in sys.argv[3:]:
        v = ds[name]
        open(out + "/" + name + ".bin", "wb").write(v.values.astype(v.dtype.newbyteorder("<")).tobytes())
        print(name, v.dtype.name, ",".join(v.dims))
    """
    let output = try IOTestSupport.python(script, [path, out] + written.map(\.name))
    let lines = output.split(separator: "\n").map(String.init)
    #expect(lines.count == written.count)
    for (w, line) in zip(written, lines) {
        let dims = (0..<w.shape.count).map { "\(w.name)_axis\($0)" }.joined(separator: ",")
        #expect(line == "\(w.name) \(w.elementType.name) \(dims)")
        let bytes = FileManager.default.contents(atPath: out + "/" + w.name + ".bin").map { [UInt8]($0) }
        #expect(bytes == w.bytes, "\(w.name): xarray read other values")
    }
}
