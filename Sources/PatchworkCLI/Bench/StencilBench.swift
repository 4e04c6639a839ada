import ArgumentParser
import Foundation
import Patchwork

/// `patchwork bench stencil --json`: the 3-D 7-point Jacobi sweep on an n³ box of doubles with one
/// ghost cell, in Swift (`Stencil.jacobi7` on two `Patch<Double, 3>`) and in C
/// (`Benchmarks/C/stencil7.c`, compiled here with `gcc -O3 -march=native` and run as a
/// subprocess). Bytes per sweep: 2 × 8 × n³ (read + write) for both. `repeats` interleaved rounds,
/// each allocating fresh arrays and timing each of `iterations` sweeps; the best sweep of each
/// side is reported (robust to load from other processes); `ratio` = Swift / C. `swift_raw_loop_GBps` (a diagnostic) is the same
/// sweep as a plain pointer loop in this process, separating library overhead from code generation.
struct StencilBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stencil",
        abstract: "3-D 7-point Jacobi sweep: Swift vs the same loop in C (gcc -O3 -march=native)."
    )

    @Option(help: "Cells per axis of the interior.") var size = 256
    @Option(help: "Sweeps per timed run.") var iterations = 10
    @Option(help: "Timed rounds (Swift, plain loop, C); the best of each is reported.") var repeats = 8
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        guard size >= 1, iterations >= 1, repeats >= 1 else {
            throw ValidationError("size, iterations and repeats must be at least 1")
        }
        // `repeats` rounds of [plain loop, Swift, C], each run `iterations` sweeps; the best of each
        // is reported. Fine interleaving makes load from other processes hit all alike, and every
        // round allocates and initialises fresh arrays, as the C process does (reused arrays were
        // measurably slower after a C process had run: page placement, not code).
        let binary = compileC()
        var swiftGBps = 0.0, rawGBps = 0.0, cGBps: Double? = nil, cChecksum: Double? = nil
        var swiftChecksum = 0.0
        for round in 0..<repeats {
            if round > 0 {
                let plain = try SwiftSweeps(size: size)
                rawGBps = max(rawGBps, plain.runRaw(iterations: iterations))
            }
            let swift = try SwiftSweeps(size: size)
            swiftGBps = max(swiftGBps, try swift.run(iterations: iterations))
            if round == 0 {
                // After `iterations` sweeps from the initial data, as the C program sums.
                swiftChecksum = swift.checksum()
                rawGBps = try SwiftSweeps(size: size).runRaw(iterations: iterations)
            }
            if let binary, let c = runC(binary, repeats: 1) {
                cGBps = max(cGBps ?? 0, c.gbps)
                cChecksum = cChecksum ?? c.checksum
            }
        }
        binary.map { try? FileManager.default.removeItem(at: $0.deletingLastPathComponent()) }
        let ratio = cGBps.map { swiftGBps / $0 }
        let match = cChecksum.map { $0 == swiftChecksum || abs($0 - swiftChecksum) <= 1e-12 * abs(swiftChecksum) }
        func number(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "null" }
        if json {
            print("""
            {"benchmark": "stencil", "kernel": "jacobi7", "element": "float64", "size": \(size), "ghost_width": 1, \
            "iterations": \(iterations), "repeats": \(repeats), "bytes_per_sweep": \(2 * 8 * size * size * size), \
            "swift_GBps": \(number(swiftGBps)), "swift_raw_loop_GBps": \(number(rawGBps)), "c_GBps": \(number(cGBps)), "ratio": \(number(ratio)), \
            "checksums_match": \(match.map { String($0) } ?? "null"), "c_compiler": "gcc -O3 -march=native", \
            "c_note": \(cGBps == nil ? "\"gcc or Benchmarks/C/stencil7.c not available\"" : "null")}
            """)
        } else {
            print("jacobi7 \(size)^3 doubles, \(iterations) sweeps, best of \(repeats)")
            print("  Swift: \(number(swiftGBps)) GB/s")
            print("  C:     \(number(cGBps)) GB/s")
            print("  ratio: \(number(ratio))  checksums match: \(match.map { String($0) } ?? "n/a")")
        }
    }

    /// The Swift side: two `Patch<Double, 3>` initialised exactly as the C program (a[i] =
    /// (i mod 7) / 4 over the whole allocation, b = 0).
    struct SwiftSweeps {
        let a: Patch<Double, 3>, b: Patch<Double, 3>
        let size: Int

        init(size: Int) throws {
            let box = try Box<3>(lower: .zero, upper: Point(repeating: size))
            a = try Patch<Double, 3>(box: box, ghostWidth: 1)
            b = try Patch<Double, 3>(box: box, ghostWidth: 1)
            self.size = size
            a.withUnsafeMutableBufferPointer { buffer in
                for i in buffer.indices { buffer[i] = Double(i % 7) * 0.25 }
            }
        }

        /// Runs `iterations` sweeps (a → b, b → a, …), timing each, and returns the best GB/s.
        func run(iterations: Int) throws -> Double {
            var best = 0.0
            for k in 0..<iterations {
                let start = ContinuousClock.now
                if k % 2 == 0 { try Stencil.jacobi7(from: a, to: b) } else { try Stencil.jacobi7(from: b, to: a) }
                best = max(best, rate(since: start))
            }
            return best
        }

        /// GB/s of one sweep that started at `start`.
        func rate(since start: ContinuousClock.Instant) -> Double {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return 2.0 * 8.0 * Double(size * size * size) / seconds / 1e9
        }

        /// The same sweeps as a plain pointer loop over the storage (a diagnostic: library
        /// overhead vs code generation), returning the best GB/s.
        func runRaw(iterations: Int) -> Double {
            let n = size, m = size + 2, sy = m, sz = m * m
            return a.withUnsafeMutableBufferPointer { pa in
                b.withUnsafeMutableBufferPointer { pb in
                    var best = 0.0
                    for k in 0..<iterations {
                        let start = ContinuousClock.now
                        let src = k % 2 == 0 ? pa.baseAddress! : pb.baseAddress!
                        let dst = k % 2 == 0 ? pb.baseAddress! : pa.baseAddress!
                        for z in 1...n {
                            for y in 1...n {
                                let s = src + (z * sz + y * sy + 1), d = dst + (z * sz + y * sy + 1)
                                for i in 0..<n {
                                    d[i] = 0.0 * s[i] + (1.0 / 6.0) * (s[i &- 1] + s[i &+ 1] + s[i &- sy] + s[i &+ sy] + s[i &- sz] + s[i &+ sz])
                                }
                            }
                        }
                        best = max(best, rate(since: start))
                    }
                    return best
                }
            }
        }

        /// The sum of all elements of both arrays, in storage order (as the C program sums).
        func checksum() -> Double {
            var sum = 0.0
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    for i in pa.indices { sum += pa[i] + pb[i] }
                }
            }
            return sum
        }
    }

    /// Compiles the C reference into a temporary folder; nil when gcc or the source is missing.
    func compileC() -> URL? {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            root.appendingPathComponent("Benchmarks/C/stencil7.c"),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Benchmarks/C/stencil7.c"),
        ]
        guard let source = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else { return nil }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("patchwork-stencil-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let binary = directory.appendingPathComponent("stencil7")
        guard let (status, _) = execute(["gcc", "-O3", "-march=native", "-o", binary.path, source.path]), status == 0 else {
            try? FileManager.default.removeItem(at: directory)
            return nil
        }
        return binary
    }

    /// Runs the C reference (`repeats` runs of `iterations` sweeps, its best); nil when it fails.
    func runC(_ binary: URL, repeats: Int) -> (gbps: Double, checksum: Double)? {
        guard let (status, output) = execute([binary.path, String(size), String(iterations), String(repeats)]), status == 0,
              let data = output.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let gbps = (object["GBps"] as? NSNumber)?.doubleValue,
              let checksum = (object["checksum"] as? NSNumber)?.doubleValue
        else { return nil }
        return (gbps, checksum)
    }

    /// Runs a command found on PATH; nil when it cannot be started.
    func execute(_ arguments: [String]) -> (Int32, String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
