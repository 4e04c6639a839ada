import Foundation
import Synchronization
import Testing
@testable import Patchwork

/// Helpers shared by the IO tests: scratch directories, a seeded generator, an element model
/// (plain flat array) for oracles, and the `.venv-tools` Python that reads files back.
enum IOTestSupport {
    /// The repository root (two levels above this file's folder).
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent(); url.deleteLastPathComponent(); url.deleteLastPathComponent()
        return url.path
    }()

    /// A fresh empty directory under the system temporary directory, removed with everything in
    /// it when the test process exits.
    static func scratchDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "patchwork-io-\(label)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        scratchDirectories.withLock { made in
            if made.isEmpty { atexit { IOTestSupport.removeScratchDirectories() } }
            made.append(path)
        }
        return path
    }

    /// The scratch directories made so far in this process.
    private static let scratchDirectories = Mutex<[String]>([])

    private static func removeScratchDirectories() {
        for path in scratchDirectories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }

    struct PythonMissing: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `script` with the `.venv-tools` Python and returns its standard output; throws when
    /// the venv is missing (run scripts/setup.sh) or the script fails.
    static func python(_ script: String, _ arguments: [String] = []) throws -> String {
        let python = repositoryRoot + "/.venv-tools/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PythonMissing(description: "\(python) is missing: run scripts/setup.sh to create the Python venv with h5py, zarr and xarray")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonMissing(description: "python failed (\(process.terminationStatus)): \(String(decoding: error, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// An element the tests can make at random and compare bit for bit.
protocol TestElement: PatchElement {
    static func random(using g: inout SeededGenerator) -> Self
}
extension Float: TestElement { static func random(using g: inout SeededGenerator) -> Float { Float.random(in: -1000...1000, using: &g) } }
extension Double: TestElement { static func random(using g: inout SeededGenerator) -> Double { Double.random(in: -1e6...1e6, using: &g) } }
extension Int32: TestElement { static func random(using g: inout SeededGenerator) -> Int32 { Int32.random(in: .min ... .max, using: &g) } }
extension Int64: TestElement { static func random(using g: inout SeededGenerator) -> Int64 { Int64.random(in: .min ... .max, using: &g) } }
extension Int8: TestElement { static func random(using g: inout SeededGenerator) -> Int8 { Int8.random(in: .min ... .max, using: &g) } }
extension Int16: TestElement { static func random(using g: inout SeededGenerator) -> Int16 { Int16.random(in: .min ... .max, using: &g) } }
extension UInt8: TestElement { static func random(using g: inout SeededGenerator) -> UInt8 { UInt8.random(in: 0 ... .max, using: &g) } }
extension UInt16: TestElement { static func random(using g: inout SeededGenerator) -> UInt16 { UInt16.random(in: 0 ... .max, using: &g) } }
extension UInt32: TestElement { static func random(using g: inout SeededGenerator) -> UInt32 { UInt32.random(in: 0 ... .max, using: &g) } }
extension UInt64: TestElement { static func random(using g: inout SeededGenerator) -> UInt64 { UInt64.random(in: 0 ... .max, using: &g) } }

/// A plain row-major array model: the oracle for file arrays.
struct ArrayModel<Element: TestElement> {
    var shape: [Int]
    var values: [Element]

    init(shape: [Int], fill: Element) {
        self.shape = shape
        values = Array(repeating: fill, count: shape.reduce(1, *))
    }

    /// Linear index of a point (row-major).
    func index(_ p: [Int]) -> Int {
        var i = 0
        for a in 0..<shape.count { i = i * shape[a] + p[a] }
        return i
    }

    /// Every point of the box `[lower, lower + size)`, row-major.
    static func points(lower: [Int], size: [Int]) -> [[Int]] {
        if size.contains(where: { $0 <= 0 }) { return [] }
        var result: [[Int]] = []
        var p = lower
        while true {
            result.append(p)
            var a = size.count - 1
            while a >= 0 {
                p[a] += 1
                if p[a] < lower[a] + size[a] { break }
                p[a] = lower[a]; a -= 1
            }
            if a < 0 { return result }
        }
    }

    mutating func write(lower: [Int], size: [Int], _ data: [Element]) {
        for (k, p) in Self.points(lower: lower, size: size).enumerated() { values[index(p)] = data[k] }
    }

    func read(lower: [Int], size: [Int]) -> [Element] {
        Self.points(lower: lower, size: size).map { values[index($0)] }
    }
}

/// A random box inside `shape` (possibly empty along no axis), lower corner and size.
func randomBox(in shape: [Int], using g: inout SeededGenerator) -> (lower: [Int], size: [Int]) {
    var lower: [Int] = [], size: [Int] = []
    for s in shape {
        let a = Int.random(in: 0..<s, using: &g), b = Int.random(in: 0..<s, using: &g)
        lower.append(min(a, b)); size.append(max(a, b) - min(a, b) + 1)
    }
    return (lower, size)
}

func makeBox<let N: Int>(_ lower: [Int], _ size: [Int]) -> Box<N> {
    Box(uncheckedLower: Point(InlineArray { lower[$0] }), upper: Point(InlineArray { lower[$0] + size[$0] }))
}

/// Bit-for-bit equality of two element arrays.
func sameBits<E: PatchElement>(_ a: [E], _ b: [E]) -> Bool {
    a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
}

/// The little-endian bytes of `values` in hexadecimal, as NumPy's `tobytes().hex()` prints them.
func hex<E: PatchElement>(_ values: [E]) -> String {
    values.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
}

/// Runs `patchwork selftest full-disk --format FORMAT` in a child process whose file-size limit
/// makes the disk "full"; returns the fresh directory it wrote into and its outcome.
func runFullDiskSelfTest(format: String) throws -> (directory: String, outcome: ProcessRunner.Outcome) {
    let dir = IOTestSupport.scratchDirectory("full-\(format)")
    let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["selftest", "full-disk", "--format", format, "--directory", dir], timeout: 60)
    return (dir, outcome)
}
