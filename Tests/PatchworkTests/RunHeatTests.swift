import Foundation
import Testing
@_spi(Testing) @testable import Patchwork

/// `HeatRun` (the engine of `patchwork run heat`) at small sizes: the error norm against the
/// analytic solution, a plain-array model of the scheme as oracle, restarts bit for bit, bad
/// options; and the built binary's exit codes and messages.
@Suite struct RunHeatTests {
    static func options(_ label: String, dims: Int = 2, size: Int = 40, steps: Int = 30) -> HeatRunOptions {
        var o = HeatRunOptions()
        o.dimensions = dims
        o.size = size
        o.maxExtent = dims == 2 ? 13 : 7
        o.steps = steps
        o.snapshotEvery = 10
        o.checkpointEvery = 10
        o.output = IOTestSupport.scratchDirectory("heat-\(label)")
        return o
    }

    /// The final checkpoint's field as a dense row-major array of the domain.
    static func finalField(_ output: String, dims: Int, size: Int) throws -> [Double] {
        let checkpoint = try #require(try Checkpoint.newest(in: HeatRun.checkpointPath(in: output)))
        if dims == 2 {
            let plan = try Decomposition(blocks: try Box<2>(lower: [0, 0], upper: [size, size]), counts: [1, 1], ranks: 1)
            let u = try PatchArray<Double, 2>(decomposition: plan)
            try checkpoint.read("u", into: u)
            return Box<2>.cellsOf(size: size).map { u[$0] }
        } else {
            let plan = try Decomposition(blocks: try Box<3>(lower: [0, 0, 0], upper: [size, size, size]), counts: [1, 1, 1], ranks: 1)
            let u = try PatchArray<Double, 3>(decomposition: plan)
            try checkpoint.read("u", into: u)
            return Box<3>.cellsOf(size: size).map { u[$0] }
        }
    }

    @Test("2-D periodic demo at a small size: error within the bound, scheme exact to rounding")
    func small2D() throws {
        let o = Self.options("2d")
        let s = try HeatRun.run(o)
        #expect(s.passed)
        #expect(s.maxError <= s.errorBound)
        #expect(s.maxError > 0.25 * s.errorBound)   // the bound is tight, not vacuous
        #expect(s.discreteError < 1e-13)
        #expect(s.lastStep == 30 && s.firstStep == 0 && s.snapshots == 4 && s.checkpoints == 3)
        #expect(s.patches > 4)
        #expect(FileManager.default.fileExists(atPath: o.output! + "/heat.png"))
    }

    @Test("3-D fixed boundaries in HDF5: error within the bound")
    func small3DFixed() throws {
        var o = Self.options("3d", dims: 3, size: 14, steps: 20)
        o.boundary = .fixed
        o.format = .hdf5
        o.wavenumber = 2
        let s = try HeatRun.run(o)
        #expect(s.passed && s.discreteError < 1e-13)
        #expect(FileManager.default.fileExists(atPath: o.output! + "/snapshots.h5"))
    }

    @Test("the scheme equals a plain-array model, bit for bit (periodic and fixed)")
    func matchesPlainModel() throws {
        for boundary in FourierMode.Boundary.allCases {
            var o = Self.options("model-\(boundary)", size: 23, steps: 17)
            o.boundary = boundary
            o.maxExtent = 6
            o.checkpointEvery = 17
            o.wavenumber = 2
            _ = try HeatRun.run(o)
            let got = try Self.finalField(o.output!, dims: 2, size: 23)
            // The model: a dense array with a ring of ghosts, periodic copies or zeros.
            let n = 23, alpha = 0.2
            let mode = FourierMode(dimensions: 2, size: n, wavenumber: 2, boundary: boundary, alpha: alpha)
            var u = (0..<(n * n)).map { mode.value(at: [$0 / n, $0 % n]) }
            func at(_ x: Int, _ y: Int) -> Double {
                if boundary == .periodic { return u[((x + n) % n) * n + (y + n) % n] }
                return (0..<n).contains(x) && (0..<n).contains(y) ? u[x * n + y] : 0
            }
            for _ in 0..<17 {
                var v = u
                for x in 0..<n {
                    for y in 0..<n {
                        v[x * n + y] = (1 - 4 * alpha) * at(x, y) + alpha * (at(x, y - 1) + at(x, y + 1) + at(x - 1, y) + at(x + 1, y))
                    }
                }
                u = v
            }
            #expect(got == u, "\(boundary)")
        }
    }

    @Test("a run stopped after a checkpoint and restarted (onto another floor plan) ends bit for bit equal")
    func restartIsBitForBit() throws {
        for dims in [2, 3] {
            let size = dims == 2 ? 40 : 12
            let whole = Self.options("whole\(dims)", dims: dims, size: size, steps: 30)
            let first = try HeatRun.run(whole)
            #expect(first.passed)

            var interrupted = Self.options("cut\(dims)", dims: dims, size: size, steps: 30)
            interrupted.stopAfter = 17
            let stopped = try HeatRun.run(interrupted)
            #expect(stopped.stopped && stopped.lastStep == 17 && stopped.checkpoints == 1)

            var resumed = interrupted
            resumed.stopAfter = nil
            resumed.restart = true
            resumed.maxExtent += 3   // restarts read onto any floor plan
            let second = try HeatRun.run(resumed)
            #expect(second.firstStep == 10 && second.lastStep == 30)
            let a = try Self.finalField(whole.output!, dims: dims, size: size)
            let b = try Self.finalField(resumed.output!, dims: dims, size: size)
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
            #expect(second.maxError == first.maxError)

            // The snapshot series was trimmed to the checkpoint and continued: same steps.
            let store = try ZarrStore.open(at: HeatRun.snapshotPath(in: resumed.output!, format: .zarr))
            guard case let .ints(steps)? = try store.openArray("u").attribute("step") else { Issue.record("no steps"); continue }
            #expect(steps == [0, 10, 20, 30])
        }
    }

    @Test("bad options name the option and the accepted values")
    func badOptions() throws {
        func expectInvalid(_ name: String, _ change: (inout HeatRunOptions) -> Void) {
            var o = HeatRunOptions()
            change(&o)
            #expect(throws: HeatRunError.self) { try o.validate() }
            do { try o.validate() } catch {
                guard case let .invalidOption(n, _, accepted) = error else { Issue.record("\(error)"); return }
                #expect(n == name)
                #expect(!accepted.isEmpty)
            }
        }
        expectInvalid("--dims") { $0.dimensions = 4 }
        expectInvalid("--size") { $0.size = -5 }
        expectInvalid("--size") { $0.size = 2 }
        expectInvalid("--steps") { $0.steps = -1 }
        expectInvalid("--max-extent") { $0.maxExtent = 0 }
        expectInvalid("--alpha") { $0.alpha = 0.3 }
        expectInvalid("--alpha") { $0.dimensions = 3; $0.alpha = 0.2 }
        expectInvalid("--alpha") { $0.alpha = -0.1 }
        expectInvalid("--wavenumber") { $0.wavenumber = 0 }
        expectInvalid("--wavenumber") { $0.size = 10; $0.wavenumber = 6 }
        expectInvalid("--snapshot-every") { $0.snapshotEvery = -2 }
        expectInvalid("--checkpoint-every") { $0.checkpointEvery = -2 }
        expectInvalid("--keep-checkpoints") { $0.keepCheckpoints = 0 }
        expectInvalid("--output") { $0.output = nil }
        var fine = HeatRunOptions()
        fine.output = nil
        fine.snapshotEvery = 0
        fine.checkpointEvery = 0
        #expect(throws: Never.self) { try fine.validate() }
    }

    @Test("existing output needs overwrite; restart needs a checkpoint; a restart must match the run")
    func outputRules() throws {
        var o = Self.options("rules", size: 16, steps: 10)
        _ = try HeatRun.run(o)
        #expect(throws: HeatRunError.outputExists(path: o.output!)) { try HeatRun.run(o) }
        o.overwrite = true
        #expect(try HeatRun.run(o).passed)

        var mismatch = o
        mismatch.restart = true
        mismatch.wavenumber = 2
        #expect(throws: HeatRunError.restartMismatch(name: "--wavenumber", checkpoint: "3", requested: "2")) { try HeatRun.run(mismatch) }
        mismatch.wavenumber = o.wavenumber
        mismatch.format = .hdf5
        #expect(throws: HeatRunError.restartMismatch(name: "--format", checkpoint: "zarr", requested: "hdf5")) { try HeatRun.run(mismatch) }
        #expect(!FileManager.default.fileExists(atPath: HeatRun.snapshotPath(in: o.output!, format: .hdf5)))

        var empty = Self.options("empty", size: 16, steps: 10)
        empty.restart = true
        #expect(throws: HeatRunError.noCheckpoint(path: HeatRun.checkpointPath(in: empty.output!))) { try HeatRun.run(empty) }
    }

    @Test("an existing trace or picture file outside the output directory is replaced only with overwrite")
    func outsideFilesNeedOverwrite() throws {
        let outside = IOTestSupport.scratchDirectory("heat-outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let trace = outside + "/trace.json", picture = outside + "/final.png"
        for path in [trace, picture] { #expect(FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))) }
        var o = Self.options("outside", size: 16, steps: 4)
        o.trace = trace
        #expect(throws: HeatRunError.fileExists(name: "--trace", path: trace)) { try HeatRun.run(o) }
        o.trace = nil
        o.picture = picture
        #expect(throws: HeatRunError.fileExists(name: "--picture", path: picture)) { try HeatRun.run(o) }
        // Nothing was written, not even into the output directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: o.output!).isEmpty)
        for path in [trace, picture] { #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8)) }
        #expect(HeatRunError.fileExists(name: "--trace", path: trace).description.contains("--overwrite"))

        o.trace = trace
        o.overwrite = true
        #expect(try HeatRun.run(o).passed)
        #expect(FileManager.default.contents(atPath: picture)?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))

        // A file whose directory is missing, is a file, or is the output directory to be made.
        o.trace = outside + "/missing/trace.json"
        #expect(throws: HeatRunError.invalidOption(name: "--trace", value: o.trace!,
            accepted: "a file in an existing writable directory (\(outside)/missing does not exist)")) { try HeatRun.run(o) }
        o.trace = nil
        o.picture = trace + "/final.png"
        #expect(throws: HeatRunError.invalidOption(name: "--picture", value: o.picture!,
            accepted: "a file in an existing writable directory (\(trace) is not a directory)")) { try HeatRun.run(o) }
        o.picture = outside
        #expect(throws: HeatRunError.invalidOption(name: "--picture", value: outside,
            accepted: "a file path (this is a directory)")) { try HeatRun.run(o) }
        var fresh = Self.options("outside-fresh", size: 16, steps: 4)
        fresh.output = outside + "/new/out"
        fresh.picture = outside + "/new/out/final.png"
        #expect(try HeatRun.run(fresh).pictures == [fresh.picture!])
        #expect(_HeatDriver<2>.parentDirectory(of: "a.png") == "." && _HeatDriver<2>.parentDirectory(of: "/a.png") == "/")
        #expect(_HeatDriver<2>.parentDirectory(of: "x//y/a.png") == "x//y" && _HeatDriver<2>.parentDirectory(of: "out/") == ".")
        let json = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: trace)))
        #expect((json as? [String: Any])?["traceEvents"] != nil)
    }

    @Test("a skipped halo exchange fails the self-check with verificationFailed; the same run without it passes")
    func injectedFaultFailsVerification() throws {
        // A fine grid for the mode (wavenumber 1 on 32 cells): the bound is tight, ghosts two
        // steps stale put the field off the scheme's exact solution by ~α·(1 − g²)·u.
        var o = Self.options("fault", size: 32, steps: 10)
        o.maxExtent = 10
        o.wavenumber = 1
        o.skipExchangeAtStep = 9
        let summary = try HeatRun.runWithoutVerdict(o)
        #expect(!summary.passed && summary.maxError > 4 * summary.errorBound, "\(summary.maxError) vs \(summary.errorBound)")
        #expect(summary.discreteError > 1e-3)
        o.overwrite = true
        #expect(throws: HeatRunError.verificationFailed(error: summary.maxError, bound: summary.errorBound, step: 10)) {
            try HeatRun.run(o)
        }
        o.skipExchangeAtStep = nil
        #expect(try HeatRun.run(o).passed)
        o.skipExchangeAtStep = 0
        #expect(throws: HeatRunError.invalidOption(name: "--inject-fault", value: "skip-exchange-at-step=0",
                                                   accepted: "skip-exchange-at-step=K with K ≥ 1 (a fault for tests)")) { try o.validate() }
    }

    @Test("patchwork run heat: a failed self-check exits 2 with its message")
    func cliVerificationFailure() throws {
        let dir = IOTestSupport.scratchDirectory("cli-fault") + "/out"
        let failed = try Self.patchwork(["run", "heat", "--size", "32", "--steps", "10", "--max-extent", "10", "--wavenumber", "1", "--output", dir,
                                         "--inject-fault", "skip-exchange-at-step=9"])
        #expect(failed.status == 2, "\(failed.output)")
        for expected in ["FAILED", "Error: verification failed at step 10: max error", "exceeds the bound"] {
            #expect(failed.output.contains(expected), "\(expected) in \(failed.output)")
        }
        let badFault = try Self.patchwork(["run", "heat", "--size", "16", "--steps", "10", "--output", dir + "2",
                                           "--inject-fault", "skip-the-exchange"])
        #expect(badFault.status == 64 && badFault.output.contains("--inject-fault"), "\(badFault.output)")
    }

    @Test("the error bound: tight on correct runs, far below a wrong answer")
    func errorBound() {
        let mode = FourierMode(dimensions: 2, size: 256, wavenumber: 2, boundary: .periodic, alpha: 0.2)
        let steps = 2000
        let gap = abs(mode.discreteAmplitude(after: steps) - mode.continuousAmplitude(after: steps))
        #expect(mode.errorBound(after: steps) >= 2 * gap && mode.errorBound(after: steps) < 2 * gap + 1e-10)
        // A run that, say, skipped the halo exchange once would be off by O(amplitude · α).
        #expect(mode.errorBound(after: steps) < 0.01 * mode.continuousAmplitude(after: steps))
        #expect(mode.discreteFactor < 1 && mode.discreteFactor > 0)
        let fixed = FourierMode(dimensions: 3, size: 9, wavenumber: 1, boundary: .fixed, alpha: 0.1)
        #expect(abs(fixed.value(at: [4, 4, 4]) - 1) < 1e-15)   // the crest in the middle
        #expect(fixed.crestIndex == 4)
    }

    @Test("the runtime's trace: task seconds per kind and the Chrome trace of every task")
    func trace() throws {
        var o = Self.options("trace", size: 24, steps: 12)
        o.trace = IOTestSupport.scratchDirectory("heat-trace-file") + "/trace.json"
        o.workers = 2
        let s = try HeatRun.run(o)
        #expect(s.workers == 2)
        #expect(s.computeSeconds > 0 && s.exchangeSeconds > 0 && s.ioSeconds > 0)
        #expect(s.computeSeconds + s.exchangeSeconds + s.ioSeconds <= s.seconds * Double(s.workers) * 1.01)
        let data = try #require(FileManager.default.contents(atPath: o.trace!))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(json["traceEvents"] as? [[String: Any]])
        let names = events.compactMap { $0["name"] as? String }
        #expect(names.filter { $0 == "sweep" }.count == 12 * s.patches)
        #expect(names.contains { $0.hasPrefix("halo: ") })
        #expect(names.contains("io: snapshot") && names.contains("io: checkpoint"))
        #expect(events.allSatisfy { $0["ph"] as? String == "X" && $0["ts"] != nil && $0["dur"] != nil && $0["pid"] != nil && $0["tid"] != nil })
    }

    @Test("the same run on 1, 2 and 3 workers ends bit for bit equal")
    func workersAgree() throws {
        var fields: [[Double]] = []
        for workers in 1...3 {
            var o = Self.options("workers-\(workers)", size: 26, steps: 9)
            o.workers = workers
            o.maxExtent = 7
            _ = try HeatRun.run(o)
            fields.append(try Self.finalField(o.output!, dims: 2, size: 26))
        }
        #expect(fields[0].map(\.bitPattern) == fields[1].map(\.bitPattern))
        #expect(fields[0].map(\.bitPattern) == fields[2].map(\.bitPattern))
    }

    // MARK: The command-line tool

    static func patchwork(_ arguments: [String]) throws -> ProcessRunner.Outcome {
        try ProcessRunner.run(try MPIRun.patchwork(), arguments, timeout: 60)
    }

    @Test("patchwork run heat: a small run passes, prints the summary, refuses to overwrite")
    func cliRun() throws {
        let dir = IOTestSupport.scratchDirectory("cli") + "/out"
        let args = ["run", "heat", "--size", "32", "--steps", "20", "--max-extent", "10", "--output", dir]
        let ok = try Self.patchwork(args)
        #expect(ok.status == 0, "\(ok.output)")
        for expected in ["summary", "cell updates/s", "GB/s", "compute", "exchange", "I/O", "PASSED", "step 20/20"] {
            #expect(ok.output.contains(expected), "\(expected) in \(ok.output)")
        }
        #expect(!ok.output.contains("\r") && ok.output.contains("(100%)"))   // plain lines when not a terminal
        let again = try Self.patchwork(args)
        #expect(again.status == 64)
        #expect(again.output.contains("--overwrite"))
        let otherFormat = try Self.patchwork(args + ["--restart", "--steps", "30", "--format", "hdf5"])
        #expect(otherFormat.status == 64)
        #expect(otherFormat.output.contains("written with --format zarr, this run asks for hdf5"), "\(otherFormat.output)")
        let restarted = try Self.patchwork(args + ["--restart", "--steps", "30"])
        #expect(restarted.status == 0, "\(restarted.output)")
        #expect(restarted.output.contains("steps 20 → 30"))
    }

    @Test("patchwork run heat: bad options exit 64 naming the option and accepted values")
    func cliBadOptions() throws {
        let dir = IOTestSupport.scratchDirectory("cli-bad")
        let cases: [([String], [String])] = [
            (["--format", "netcdf"], ["--format", "zarr", "hdf5"]),
            (["--size=-5"], ["--size", "-5"]),
            (["--size", "-5"], ["--size", "-5", "an integer from 4 to 1048576"]),
            (["--steps", "-1"], ["--steps", "-1", "a non-negative integer"]),
            (["--alpha", "-0.1"], ["--alpha", "-0.1", "a number in (0, 0.25]"]),
            (["--workers", "0"], ["--workers", "'0'", "an integer from 1 to 1024"]),
            (["--workers", "-2"], ["--workers", "'-2'", "an integer from 1 to 1024"]),
            (["--keep-checkpoints", "-1"], ["--keep-checkpoints", "at least 1"]),
            (["--stop-after", "-3"], ["--stop-after", "'-3'", "a non-negative integer"]),
            (["--stop-after", "soon"], ["--stop-after", "soon"]),
            (["--stop-after"], ["--stop-after"]),
            (["--dims", "5"], ["--dims", "2 or 3"]),
            (["--boundary", "open"], ["--boundary", "periodic", "fixed"]),
            (["--snapshot-every=-1"], ["--snapshot-every"]),
            (["--restart", "--output", dir + "/nothing"], ["no valid checkpoint"]),
            (["--trace", dir + "/missing/t.json"], ["--trace", dir + "/missing does not exist", "writable directory"]),
            (["--picture", dir + "/missing/p.png"], ["--picture", dir + "/missing does not exist"]),
        ]
        for (arguments, expected) in cases {
            let outcome = try Self.patchwork(["run", "heat", "--size", "16", "--steps", "2", "--output", dir + "/o"] + arguments)
            #expect(outcome.status == 64, "\(arguments): \(outcome.output)")
            #expect(!outcome.output.contains("summary"), "\(arguments) fails before the run: \(outcome.output)")
            for text in expected { #expect(outcome.output.contains(text), "\(arguments): \(text) in \(outcome.output)") }
        }
    }

    @Test("under mpirun with 3 ranks the result equals the single-rank run bit for bit")
    func cliMPI() throws {
        try #require(MPIRun.mpirun != nil, "mpirun is not installed (CI installs Open MPI)")
        let base = IOTestSupport.scratchDirectory("cli-mpi")
        let args = ["run", "heat", "--size", "30", "--steps", "12", "--max-extent", "8", "--checkpoint-every", "6",
                    "--snapshot-every", "6", "--boundary", "fixed"]
        let one = try Self.patchwork(args + ["--output", base + "/one"])
        #expect(one.status == 0, "\(one.output)")
        let three = try MPIRun.mpirun(ranks: 3, args + ["--output", base + "/three"], timeout: 90)
        #expect(three.status == 0, "\(three.output)")
        #expect(three.output.contains("3 ranks") && three.output.contains("PASSED"))
        let a = try Self.finalField(base + "/one", dims: 2, size: 30)
        let b = try Self.finalField(base + "/three", dims: 2, size: 30)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    }
}

extension RunHeatTests {
    @Test("under mpirun: stopped on 3 ranks, restarted on 2, ends bit for bit equal to one uninterrupted rank")
    func cliMPIRestart() throws {
        try #require(MPIRun.mpirun != nil, "mpirun is not installed (CI installs Open MPI)")
        let base = IOTestSupport.scratchDirectory("cli-mpi-restart")
        let args = ["run", "heat", "--size", "30", "--steps", "12", "--max-extent", "8", "--checkpoint-every", "3",
                    "--snapshot-every", "3", "--wavenumber", "2"]
        let one = try Self.patchwork(args + ["--output", base + "/one"])
        #expect(one.status == 0, "\(one.output)")
        let cut = try MPIRun.mpirun(ranks: 3, args + ["--output", base + "/cut", "--stop-after", "7"], timeout: 90)
        #expect(cut.status == 0, "\(cut.output)")
        #expect(cut.output.contains("3 ranks") && cut.output.contains("steps 0 → 7 (stopped early)"), "\(cut.output)")
        let resumed = try MPIRun.mpirun(ranks: 2, args + ["--output", base + "/cut", "--restart"], timeout: 90)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("2 ranks") && resumed.output.contains("steps 6 → 12") && resumed.output.contains("PASSED"),
                "\(resumed.output)")
        let a = try Self.finalField(base + "/one", dims: 2, size: 30)
        let b = try Self.finalField(base + "/cut", dims: 2, size: 30)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        let store = try ZarrStore.open(at: HeatRun.snapshotPath(in: base + "/cut", format: .zarr))
        guard case let .ints(steps)? = try store.openArray("u").attribute("step") else { Issue.record("no steps"); return }
        #expect(steps == [0, 3, 6, 9, 12])
    }
}

/// Outputs of `patchwork run heat` no other test looks at: the pictures at every snapshot, the
/// 3-D slice, the progress bar on a terminal, the trace through the CLI and merged across ranks.
extension RunHeatTests {
    /// The width and height in a PNG's IHDR chunk, after checking the signature; nil when `path`
    /// is not a PNG.
    static func pngSize(_ path: String) -> (width: Int, height: Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 24 else { return nil }
        let bytes = [UInt8](data.prefix(24))
        guard bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[12..<16] == Array("IHDR".utf8)[...],
              bytes[8..<12] == [0, 0, 0, 13] else { return nil }
        func be(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be(16), be(20))
    }

    /// Patches per rank of the floor plan `patchwork run heat` cuts (the oracle for task counts).
    static func patchesPerRank(size: Int, maxExtent: Int, ranks: Int) throws -> [Int] {
        let plan = try Decomposition(bisecting: try Box<2>(lower: [0, 0], upper: [size, size]), maxExtent: maxExtent,
                                     ranks: ranks, periodic: [true, true])
        return (0..<ranks).map { plan.patches(ownedBy: $0).count }
    }

    /// The task events of a Chrome trace file.
    static func traceEvents(_ path: String) throws -> [[String: Any]] {
        let data = try #require(FileManager.default.contents(atPath: path), "no trace at \(path)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["traceEvents"] as? [[String: Any]])
    }

    @Test("--picture-every-snapshot: one PNG of the field's size per snapshot, and the final one")
    func picturesEverySnapshot() throws {
        var o = Self.options("pictures", size: 20, steps: 6)
        o.snapshotEvery = 2
        o.pictureEverySnapshot = true
        let s = try HeatRun.run(o)
        let dir = o.output! + "/pictures"
        let expected = [0, 2, 4, 6].map { dir + "/step-0000000\($0).png" }
        #expect(s.pictures == expected + [o.output! + "/heat.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == expected.map { String($0.split(separator: "/").last!) })
        for path in s.pictures {
            let size = Self.pngSize(path)
            #expect(size?.width == 20 && size?.height == 20, "\(path): \(String(describing: size))")
        }
        // Snapshot pictures share one colour range, so the decay shows: the first and last differ.
        #expect(FileManager.default.contents(atPath: expected[0]) != FileManager.default.contents(atPath: expected[3]))
    }

    @Test("3-D: the final picture is a size × size slice")
    func picture3D() throws {
        var o = Self.options("picture3d", dims: 3, size: 10, steps: 4)
        o.picture = IOTestSupport.scratchDirectory("heat-picture3d-file") + "/slice.png"
        o.snapshotEvery = 0
        o.checkpointEvery = 0
        let s = try HeatRun.run(o)
        #expect(s.pictures == [o.picture!])
        let size = Self.pngSize(o.picture!)
        #expect(size?.width == 10 && size?.height == 10, "\(String(describing: size))")
    }

    @Test("on a terminal the progress is a redrawn bar (under script(1)'s pseudo-terminal)")
    func progressBarOnTerminal() throws {
        let script = try #require(ProcessRunner.which("script"), "script(1) (util-linux) is not installed")
        let dir = IOTestSupport.scratchDirectory("cli-tty") + "/out"
        let command = ([try MPIRun.patchwork(), "run", "heat", "--size", "32", "--steps", "40", "--max-extent", "10", "--output", dir])
            .map { "'" + $0 + "'" }.joined(separator: " ")
        let outcome = try ProcessRunner.run(script, ["-qfec", command, "/dev/null"], timeout: 60)
        #expect(outcome.status == 0, "\(outcome.output)")
        let bars = outcome.output.components(separatedBy: "\r  [").dropFirst()
        #expect(!bars.isEmpty, "no bar in \(outcome.output)")
        #expect(bars.contains { $0.hasPrefix(String(repeating: "█", count: 30) + "] step 40/40 100%") }, "\(outcome.output)")
        #expect(bars.allSatisfy { $0.contains("steps/s") && $0.contains("ETA") })
        #expect(bars.contains { $0.contains("·") })   // an unfinished bar was drawn first
        #expect(!outcome.output.contains("(100%)"))   // no plain progress lines on a terminal
        #expect(outcome.output.contains("PASSED"))
    }

    @Test("patchwork run heat --trace: every task in the Chrome trace, one sweep per patch and step")
    func cliTrace() throws {
        let base = IOTestSupport.scratchDirectory("cli-trace")
        let trace = base + "/trace.json"
        let outcome = try Self.patchwork(["run", "heat", "--size", "24", "--steps", "6", "--max-extent", "7",
                                          "--output", base + "/out", "--trace", trace])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("trace        \(trace)"))
        let events = try Self.traceEvents(trace)
        let patches = try Self.patchesPerRank(size: 24, maxExtent: 7, ranks: 1)[0]
        #expect(events.filter { $0["name"] as? String == "sweep" }.count == 6 * patches)
        #expect(events.contains { ($0["name"] as? String)?.hasPrefix("halo") == true })
        #expect(events.contains { $0["name"] as? String == "io: snapshot" })
        #expect(events.allSatisfy { ($0["tid"] as? Int).map { $0 < 1000 } == true })
    }

    @Test("under mpirun with 2 ranks --trace merges both ranks' tasks into one file")
    func cliTraceMPI() throws {
        try #require(MPIRun.mpirun != nil, "mpirun is not installed (CI installs Open MPI)")
        let base = IOTestSupport.scratchDirectory("cli-trace-mpi")
        let trace = base + "/trace.json"
        let outcome = try MPIRun.mpirun(ranks: 2, ["run", "heat", "--size", "24", "--steps", "6", "--max-extent", "7",
                                                   "--output", base + "/out", "--trace", trace], timeout: 90)
        #expect(outcome.status == 0, "\(outcome.output)")
        let events = try Self.traceEvents(trace)
        let perRank = try Self.patchesPerRank(size: 24, maxExtent: 7, ranks: 2)
        #expect(perRank.allSatisfy { $0 > 0 })
        for rank in 0..<2 {
            let mine = events.filter { ($0["tid"] as? Int).map { $0 / 1000 == rank } == true }
            #expect(mine.filter { $0["name"] as? String == "sweep" }.count == 6 * perRank[rank], "rank \(rank)")
            #expect(mine.contains { ($0["name"] as? String)?.hasPrefix("halo") == true }, "rank \(rank)")
        }
        #expect(events.allSatisfy { ($0["tid"] as? Int).map { $0 / 1000 < 2 } == true })
    }
}

extension Box {
    /// Every cell of `[0, size)^N`, row-major.
    static func cellsOf(size: Int) -> [Point<N>] {
        Array(try! Box(lower: .zero, upper: Point(repeating: size)).cells)
    }
}
