import CPNG
import Foundation
import Testing
@testable import Patchwork

/// Decoders that do not share code with the writer: Python's standard library (zlib + struct, all
/// five PNG row filters) and libpng's simplified read API.
enum PNGReader {
    static let pythonDecoder = #"""
    import sys, zlib, struct
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'signature'
    pos, idat = 8, b''
    while pos < len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        crc, = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) & 0xffffffff == crc, 'crc'
        if kind == b'IHDR':
            w, h, depth, ctype, comp, filt, inter = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        elif kind == b'IEND':
            break
        pos += 12 + n
    assert depth == 8 and ctype == 2 and inter == 0, 'not 8-bit RGB non-interlaced'
    raw = zlib.decompress(idat)
    stride = 3 * w
    out, prev, p = bytearray(), bytearray(stride), 0
    for y in range(h):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b = prev[i]
            c = prev[i - 3] if i >= 3 else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255
        out += line
        prev = line
    print(w, h)
    print(out.hex())
    """#

    /// (width, height, RGB bytes) decoded by Python.
    static func python(_ path: String) throws -> (Int, Int, [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", pythonDecoder, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DecodeFailure(path: path) }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        let size = lines[0].split(separator: " ").map { Int($0)! }
        let hex: [UInt8] = lines.count > 1 ? Array(lines[1].utf8) : []
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var i = 0
        while i + 1 < hex.count {
            bytes.append(UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16)!)
            i += 2
        }
        return (size[0], size[1], bytes)
    }

    /// (width, height, RGB bytes) decoded by libpng's png_image API.
    static func libpng(_ path: String) throws -> (Int, Int, [UInt8]) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else { throw DecodeFailure(path: path) }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        guard png_image_finish_read(&image, nil, &pixels, 0, nil) != 0 else { throw DecodeFailure(path: path) }
        return (width, height, pixels)
    }

    struct DecodeFailure: Error { let path: String }
}

/// A fresh temporary directory per test.
func temporaryDirectory(_ name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("patchwork-\(name)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite struct PictureTests {
    /// The oracle for one value: the table entry by the documented formula, in plain arithmetic.
    func expectedColor(_ v: Double, _ map: ColorMap, _ lo: Double, _ hi: Double) -> ColorMap.RGB {
        if v.isNaN { return map.nanColor }
        if lo == hi { return map.colors[128] }
        let t = (v - lo) / (hi - lo)
        let k = t <= 0 ? 0 : t >= 1 ? 255 : Int((t * 255).rounded())
        return map.colors[k]
    }

    @Test func gradientPNGDecodesToTheColorMapExactly() throws {
        let dir = try temporaryDirectory("gradient")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let width = 256, height = 5
        let values = (0..<height).flatMap { _ in (0..<width).map(Double.init) }
        for map in [ColorMap.viridis, .blueWhiteRed, .grayscale] {
            let path = dir + "/gradient-\(map.name).png"
            try PNG.write(values: values, width: width, height: height, to: path, colorMap: map, range: 0...255)
            var expected = [UInt8]()
            for _ in 0..<height { for x in 0..<width { let c = map.colors[x]; expected += [c.red, c.green, c.blue] } }
            for decoded in [try PNGReader.python(path), try PNGReader.libpng(path)] {
                #expect(decoded.0 == width && decoded.1 == height)
                #expect(decoded.2 == expected, "\(map.name)")
            }
            #expect(!FileManager.default.fileExists(atPath: path + ".\(getpid()).partial"))
        }
    }

    @Test func randomFieldMatchesOracleWithAutomaticRange() throws {
        let dir = try temporaryDirectory("random")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededGenerator(seed: 7)
        for (c, (width, height)) in [(1, 1), (37, 23), (3, 64), (100, 1)].enumerated() {
            var values = (0..<(width * height)).map { _ in Double.random(in: -3...5, using: &rng) }
            if values.count > 4 { values[1] = .nan; values[2] = .infinity; values[3] = -.infinity }
            let finite = values.filter(\.isFinite)
            let lo = finite.min() ?? 0, hi = finite.max() ?? 1
            let picture = try Picture(values: values, width: width, height: height, colorMap: .blueWhiteRed)
            #expect(picture.range == lo...hi)
            for y in 0..<height {
                for x in 0..<width {
                    #expect(picture.pixel(x: x, y: y) == expectedColor(values[y * width + x], .blueWhiteRed, lo, hi), "case \(c) (\(x), \(y))")
                }
            }
            let path = dir + "/random-\(c).png"
            try PNG.write(picture, to: path, compressionLevel: c % 2 == 0 ? 9 : 0)
            let decoded = try PNGReader.python(path)
            #expect(decoded.0 == width && decoded.1 == height && decoded.2 == picture.rgb, "case \(c)")
        }
    }

    @Test func colorMapTablesAndEntries() throws {
        for map in [ColorMap.viridis, .blueWhiteRed, .grayscale] { #expect(map.colors.count == 256) }
        #expect(ColorMap.viridis.colors[0] == .init(68, 1, 84))
        #expect(ColorMap.viridis.colors[255] == .init(253, 231, 37))
        #expect(ColorMap.blueWhiteRed.colors[0] == .init(33, 102, 172))
        #expect(ColorMap.blueWhiteRed.colors[255] == .init(178, 24, 43))
        #expect(ColorMap.grayscale.colors.enumerated().allSatisfy { k, c in c == .init(UInt8(k), UInt8(k), UInt8(k)) })
        // Linear between control points: entry k of a two-point map is the rounded mix.
        let two = try ColorMap(name: "two", controlPoints: [(0, .init(10, 200, 0)), (1, .init(250, 0, 100))])
        for k in 0..<256 {
            let f = Double(k) / 255
            #expect(two.colors[k] == .init(UInt8((10 + 240 * f).rounded()), UInt8((200 - 200 * f).rounded()), UInt8((100 * f).rounded())))
        }
        // Diverging map: symmetric range puts 0 in the middle, nearly white.
        let mid = ColorMap.blueWhiteRed.color(for: 0, in: -1...1)
        #expect(mid.red >= 250 && mid.green >= 250 && mid.blue >= 250)
        // Entries: clamping, infinities, NaN, degenerate range.
        #expect(ColorMap.entry(for: -5, lower: 0, upper: 1) == 0)
        #expect(ColorMap.entry(for: 5, lower: 0, upper: 1) == 255)
        #expect(ColorMap.entry(for: .infinity, lower: 0, upper: 1) == 255)
        #expect(ColorMap.entry(for: -.infinity, lower: 0, upper: 1) == 0)
        #expect(ColorMap.entry(for: .nan, lower: 0, upper: 1) == nil)
        #expect(ColorMap.entry(for: 3, lower: 3, upper: 3) == 128)
        #expect(ColorMap.entry(for: 0.5, lower: -Double.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude) == 128)
        #expect(ColorMap.viridis.color(for: .nan, in: 0...1) == ColorMap.viridis.nanColor)
    }

    @Test func badColorMapsAreRejected() {
        let c = ColorMap.RGB(0, 0, 0)
        #expect(throws: PictureError.self) { try ColorMap(name: "one", controlPoints: [(0, c)]) }
        #expect(throws: PictureError.self) { try ColorMap(name: "order", controlPoints: [(0, c), (0.5, c), (0.5, c), (1, c)]) }
        #expect(throws: PictureError.self) { try ColorMap(name: "ends", controlPoints: [(0.1, c), (1, c)]) }
        #expect(throws: PictureError.self) { try ColorMap(name: "nan", controlPoints: [(0, c), (.nan, c), (1, c)]) }
    }

    @Test func slicesOfA3DField() throws {
        let shape = Point<3>(4, 5, 6)
        // u[i, j, k] = 100 i + 10 j + k, row-major.
        var field = [Double]()
        for i in 0..<4 { for j in 0..<5 { for k in 0..<6 { field.append(Double(100 * i + 10 * j + k)) } } }
        let range = 0.0...600
        for axis in 0..<3 {
            for index in 0..<shape[axis] {
                let picture = try Picture(slice: field, shape: shape, axis: axis, index: index, colorMap: .viridis, range: range)
                let rows = axis == 0 ? 1 : 0, columns = axis == 2 ? 1 : 2
                #expect(picture.height == shape[rows] && picture.width == shape[columns])
                for y in 0..<picture.height {
                    for x in 0..<picture.width {
                        var p = Point<3>.zero
                        p[axis] = index; p[rows] = y; p[columns] = x
                        let v = Double(100 * p[0] + 10 * p[1] + p[2])
                        #expect(picture.pixel(x: x, y: y) == expectedColor(v, .viridis, 0, 600))
                    }
                }
            }
        }
        for (axis, index) in [(3, 0), (-1, 0), (0, 4), (2, -1)] {
            #expect(throws: PictureError.invalidSlice(axis: axis, index: index, shape: [4, 5, 6], valueCount: 120)) {
                try Picture(slice: field, shape: shape, axis: axis, index: index)
            }
        }
        #expect(throws: PictureError.invalidSlice(axis: 0, index: 0, shape: [4, 5, 7], valueCount: 120)) {
            try Picture(slice: field, shape: [4, 5, 7], axis: 0, index: 0)
        }
        let dir = try temporaryDirectory("slice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try field.withUnsafeBufferPointer { buffer in
            try PNG.writeSlice(values: buffer, shape: shape, axis: 1, index: 2, to: dir + "/slice.png", range: range)
        }
        let decoded = try PNGReader.libpng(dir + "/slice.png")
        #expect(decoded.0 == 6 && decoded.1 == 4)
        #expect(decoded.2 == (try Picture(slice: field, shape: shape, axis: 1, index: 2, range: range)).rgb)
    }

    @Test func badInputGivesTypedErrorsAndKeepsExistingFiles() throws {
        let dir = try temporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/p.png"
        #expect(throws: PictureError.sizeMismatch(width: 3, height: 2, expected: 6, got: 5)) {
            try PNG.write(values: [1, 2, 3, 4, 5], width: 3, height: 2, to: path)
        }
        #expect(throws: PictureError.invalidSize(width: 0, height: 2)) { try PNG.write(values: [], width: 0, height: 2, to: path) }
        #expect(throws: PictureError.invalidSize(width: -3, height: -2)) { try PNG.write(values: [1, 2, 3, 4, 5, 6], width: -3, height: -2, to: path) }
        #expect(throws: PictureError.invalidSize(width: Int.max, height: 2)) { try PNG.write(values: [1], width: Int.max, height: 2, to: path) }
        #expect(throws: PictureError.invalidRange(lower: -.infinity, upper: 1)) {
            try PNG.write(values: [1], width: 1, height: 1, to: path, range: -.infinity...1)
        }
        #expect(throws: PictureError.sizeMismatch(width: 2, height: 2, expected: 12, got: 3)) { try Picture(rgb: [1, 2, 3], width: 2, height: 2) }
        #expect(!FileManager.default.fileExists(atPath: path))

        // Unwritable paths: a missing directory, a directory in place of the file, an empty path.
        do {
            try PNG.write(values: [1], width: 1, height: 1, to: dir + "/missing/p.png")
            Issue.record("expected an error")
        } catch {
            guard case let .cannotCreate(p, errno, _) = error else { Issue.record("got \(error)"); return }
            #expect(p == dir + "/missing/p.png" && errno == ENOENT)
        }
        try FileManager.default.createDirectory(atPath: dir + "/adir", withIntermediateDirectories: false)
        #expect { try PNG.write(values: [1], width: 1, height: 1, to: dir + "/adir") } throws: { error in
            if case .writeFailed(_, let e, _) = error as? PictureError { return e == EISDIR }
            return false
        }
        #expect(throws: PictureError.self) { try PNG.write(values: [1], width: 1, height: 1, to: "") }

        // libpng rejects an image wider than its limit (1,000,000): the setjmp path, no file left.
        try PNG.write(values: [1, 2], width: 2, height: 1, to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let wide = [Double](repeating: 0, count: 1_000_001)
        #expect { try PNG.write(values: wide, width: 1_000_001, height: 1, to: path) } throws: { error in
            guard case .encoderFailed(let p, let message) = error as? PictureError else { return false }
            return p == path && message.contains("IHDR")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
        #expect(PNG.libraryVersion.hasPrefix("1."))
    }

    /// Writes demo pictures into $PATCHWORK_PICTURE_DIR (when set) for looking at by eye.
    @Test func demoPictures() throws {
        guard let dir = ProcessInfo.processInfo.environment["PATCHWORK_PICTURE_DIR"] else { return }
        let n = 200
        var field = [Double](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                let u = Double(x) / Double(n) * 2 * .pi, v = Double(y) / Double(n) * 2 * .pi
                field[y * n + x] = sin(u) * sin(2 * v) + 0.3 * cos(3 * u + v)
            }
        }
        try PNG.write(values: field, width: n, height: n, to: dir + "/viridis.png")
        try PNG.write(values: field, width: n, height: n, to: dir + "/diverging.png", colorMap: .blueWhiteRed, range: -1.3...1.3)
        let gradient = (0..<40).flatMap { _ in (0..<256).map(Double.init) }
        try PNG.write(values: gradient, width: 256, height: 40, to: dir + "/gradient-viridis.png", range: 0...255)
        try PNG.write(values: gradient, width: 256, height: 40, to: dir + "/gradient-diverging.png", colorMap: .blueWhiteRed, range: 0...255)
    }
}
