import ArgumentParser
import Foundation
import Patchwork

/// `patchwork bench dataflow`: per-task cost of the dataflow runtime (no dependencies; a 1-D
/// stencil pattern with 3 reads + 1 write per task), its METG (minimum effective task granularity
/// at 50 % efficiency), and a 2-D heat solver on 16 patches, dataflow against bulk-synchronous.
/// The OpenMP peer (`Benchmarks/C/omp_depend_overhead.c`, gcc -O2 -fopenmp, libgomp) runs in the
/// same process tree with the same number of threads and tasks, best of the same number of runs;
/// ratios are Patchwork / OpenMP, and `heat_dataflow_vs_bsp` is dataflow time / BSP time.
struct DataflowBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataflow",
        abstract: "Dataflow runtime: per-task overhead and METG against OpenMP depend, heat solver dataflow vs BSP."
    )

    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Worker threads (and OpenMP threads).") var workers = 2
    @Option(help: "Tasks for the per-task overhead figures.") var tasks = 1_000_000
    @Option(help: "Heat solver time steps (1000: about 0.1 s per version; 200 steps take 17 ms, within scheduling noise).") var steps = 1000
    @Option(help: "Heat solver patch side (16 patches of side × side cells).") var side = 96
    @Option(help: "Path of the OpenMP peer's C source (default: found from the repository).") var peerSource: String?
    @Option(help: "Runs of each figure on each side (Patchwork and OpenMP); the best counts.") var repeats = 3
    @Option(help: "Only one part (for profiling).") var only: Part?

    /// The parts `--only` can run alone.
    enum Part: String, CaseIterable, ExpressibleByArgument {
        case nodeps, stencil, stencilTraced = "stencil-traced", replayed, heat, heatIrregular = "heat-irregular"
    }

    func run() throws {
        var out: [String: Any] = ["workers": workers, "tasks": tasks]
        if let only {
            let t: Double
            switch only {
            case .heat, .heatIrregular:
                let heat = try DataflowBenchmarks.heat(workers: workers, steps: steps, side: side, irregular: only == .heatIrregular)
                print("{\"heat_dataflow_s\": \(heat.dataflow), \"heat_bsp_s\": \(heat.bsp), \"heat_replayed_s\": \(heat.replayed), \"heat_dataflow_vs_bsp\": \(heat.dataflow / heat.bsp), \"heat_replayed_vs_bsp\": \(heat.replayed / heat.bsp), \"equal\": \(heat.equal)}")
                return
            case .nodeps: t = try DataflowBenchmarks.noDependencies(workers: workers, tasks: tasks)
            case .stencil: t = try DataflowBenchmarks.stencil(workers: workers, tasks: tasks)
            case .stencilTraced: t = try DataflowBenchmarks.stencil(workers: workers, tasks: tasks, automaticTracing: true)
            case .replayed: t = try DataflowBenchmarks.stencilReplayed(workers: workers, tasks: tasks)
            }
            print("{\"\(only.rawValue)_us_per_task\": \(t)}")
            return
        }

        // Both sides: best of `repeats` runs of the same number of tasks (the machine is shared
        // and noisy); the METG is the smallest of `repeats` sweeps on each side.
        let nodeps = (0..<repeats).map { _ in try! DataflowBenchmarks.noDependencies(workers: workers, tasks: tasks) }.min()!
        let stencil = (0..<repeats).map { _ in try! DataflowBenchmarks.stencil(workers: workers, tasks: tasks) }.min()!
        let replayed = (0..<repeats).map { _ in try! DataflowBenchmarks.stencilReplayed(workers: workers, tasks: tasks) }.min()!
        let traced = (0..<repeats).map { _ in try! DataflowBenchmarks.stencil(workers: workers, tasks: tasks, automaticTracing: true) }.min()!
        out["us_per_task_nodeps"] = nodeps
        out["us_per_task_stencil_4deps"] = stencil
        out["us_per_task_stencil_4deps_autotraced"] = traced
        out["autotraced"] = "the same stencil tasks submitted one by one to a graph with automaticTracing: the runtime finds the repeated steps and derives their dependencies from one repetition"
        out["us_per_task_stencil_4deps_replayed"] = replayed
        out["replayed"] = "the same stencil tasks recorded once (two steps, \(2 * Row.width) tasks) and replayed \(tasks / (2 * Row.width)) times (DataflowGraph.record/replay); result checked against a plain loop"
        out["repeats"] = repeats

        let grains: [Double] = [200, 100, 50, 20, 10, 5, 2, 1]
        var metg: Double?
        var bestSweep: [(Double, (tasks: Int, wall: Double))] = []
        for _ in 0..<repeats {
            let sweep = grains.map { g in (g, try! DataflowBenchmarks.stencilWall(workers: workers, grainMicroseconds: g)) }
            if let m = DataflowBenchmarks.metg(sweep, workers: workers), metg == nil || m < metg! { metg = m; bestSweep = sweep }
            if bestSweep.isEmpty { bestSweep = sweep }
        }
        out["metg50_us"] = metg ?? NSNull()
        let peak = bestSweep.map { $0.0 * Double($0.1.tasks) / $0.1.wall }.max() ?? 1
        out["metg_sweep"] = bestSweep.map { ["grain_us": $0.0, "tasks": $0.1.tasks, "wall_s": $0.1.wall,
                                              "efficiency_vs_workers": $0.0 * 1e-6 * Double($0.1.tasks) / (Double(workers) * $0.1.wall),
                                              "efficiency_vs_peak": $0.0 * Double($0.1.tasks) / $0.1.wall / peak] }

        let heat = try DataflowBenchmarks.heat(workers: workers, steps: steps, side: side)
        out["heat_dataflow_s"] = heat.dataflow
        out["heat_bsp_s"] = heat.bsp
        out["heat_dataflow_vs_bsp"] = heat.dataflow / heat.bsp
        out["heat_replayed_s"] = heat.replayed
        out["heat_replayed_vs_bsp"] = heat.replayed / heat.bsp
        out["heat_results_equal"] = heat.equal
        out["heat"] = "16 patches of \(side)x\(side), \(steps) steps, Jacobi 5-point, halo copy tasks, both versions submitted by one root task, best of 5 interleaved runs; heat_dataflow_vs_bsp = dataflow time / bsp time (<= 1: dataflow not slower); heat_replayed_vs_bsp: the dataflow tasks of two steps recorded once and replayed"
        let irregular = try DataflowBenchmarks.heat(workers: workers, steps: steps, side: side, irregular: true)
        out["heat_irregular_dataflow_s"] = irregular.dataflow
        out["heat_irregular_bsp_s"] = irregular.bsp
        out["heat_irregular_dataflow_vs_bsp"] = irregular.dataflow / irregular.bsp
        out["heat_irregular_replayed_vs_bsp"] = irregular.replayed / irregular.bsp
        out["heat_irregular_results_equal"] = irregular.equal
        out["heat_irregular"] = "the same on 4x4 patches cut at \(DataflowBenchmarks.cuts(side: side, irregular: true)) per axis (areas differ up to 12x); the same ratio (dataflow / bsp)"

        // The OpenMP peer under libgomp's default wait policy (as users run it) and both explicit
        // ones, the same task count and up to the same number of runs as ours; the best completed
        // run of any policy is the reference. Active (spinning) threads are fastest on an idle
        // machine and pathological on a loaded one; passive threads grow superlinearly with the
        // task count (1,000,000 stencil tasks may not finish): a run past its time limit is
        // dropped, and the policy is not run again.
        let source = peerSource ?? DataflowBenchmarks.findPeerSource()
        var runs: [String: [[String: Any]]] = [:]
        if let source {
            for policy in ["default", "active", "passive"] {
                var done: [[String: Any]] = []
                for _ in 0..<repeats {
                    guard let run = DataflowBenchmarks.runPeer(source: source, threads: workers, tasks: tasks, grains: grains, waitPolicy: policy) else { break }
                    done.append(run)
                }
                runs[policy] = done
            }
        }
        let peerRuns = runs.values.flatMap { $0 }
        if !peerRuns.isEmpty {
            out["omp_runs"] = runs.mapValues { $0.count }   // per wait policy; fewer than `repeats` when one timed out
            let best = { (key: String) -> Double in peerRuns.map { $0[key] as! Double }.min()! }
            out["omp_tasks"] = tasks
            out["omp_us_per_task_nodeps"] = best("us_per_task_nodeps")
            out["omp_us_per_task_stencil_4deps"] = best("us_per_task_stencil_4deps")
            out["ratio_nodeps_vs_omp"] = nodeps / best("us_per_task_nodeps")
            out["ratio_stencil_vs_omp"] = stencil / best("us_per_task_stencil_4deps")
            out["ratio_stencil_replayed_vs_omp"] = replayed / best("us_per_task_stencil_4deps")
            out["ratio_stencil_autotraced_vs_omp"] = traced / best("us_per_task_stencil_4deps")
            let ompSweep = { (p: [String: Any]) -> [(Double, (tasks: Int, wall: Double))] in
                (p["metg"] as! [[String: Any]]).map { ($0["grain_us"] as! Double, (tasks: $0["tasks"] as! Int, wall: $0["wall_s"] as! Double)) }
            }
            let ompMetg = peerRuns.compactMap { DataflowBenchmarks.metg(ompSweep($0), workers: workers) }.min()
            out["omp_metg50_us"] = ompMetg ?? NSNull()
            if let ompMetg, let metg { out["ratio_metg_vs_omp"] = metg / ompMetg }
        } else {
            out["omp"] = "peer unavailable (gcc -fopenmp failed, source not found, or every run past its time limit)"
        }
        out["reference"] = "OpenMP tasks with depend clauses (libgomp, the best run of its default wait policy, OMP_WAIT_POLICY=active and passive), same pattern, same thread count, same task count, up to the same number of runs, same process tree; ratios = Patchwork / OpenMP (<= 0.5 is the target for the stencil); METG of MPI in Task Bench (SC'20): 4.6 us"

        if json {
            let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in out.keys.sorted() { print("\(key): \(out[key]!)") }
        }
    }
}

/// The measurements of ``DataflowBench``.
enum DataflowBenchmarks {
    /// µs per task for `tasks` tasks without accesses, submitted from inside a root task.
    static func noDependencies(workers: Int, tasks: Int) throws -> Double {
        let graph = try DataflowGraph(workers: workers)
        let sink = UnsafeMutableBufferPointer<Double>.allocate(capacity: tasks)
        defer { sink.deallocate() }
        sink.initialize(repeating: 0)
        let s = UnsafeSendable(sink.baseAddress!)
        let start = DispatchTime.now().uptimeNanoseconds
        try graph.submit(name: "root") {
            for i in 0..<tasks {
                try graph.submit(name: "t") { s.value[i] = 1 }
            }
        }
        try graph.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
        precondition(sink.allSatisfy { $0 == 1 })
        return elapsed / Double(tasks)
    }

    /// µs per task of the stencil pattern (3 reads + 1 write per task) with trivial kernels.
    static func stencil(workers: Int, tasks: Int, automaticTracing: Bool = false) throws -> Double {
        let steps = tasks / Row.width
        let wall = try stencilRun(workers: workers, steps: steps, grain: 0, automaticTracing: automaticTracing)
        return wall * 1e6 / Double(steps * Row.width)
    }

    /// Wall time of the stencil pattern with kernels spinning `grainMicroseconds`, with enough
    /// tasks for about 50 ms of work per worker.
    static func stencilWall(workers: Int, grainMicroseconds: Double) throws -> (tasks: Int, wall: Double) {
        let tasks = Swift.max(4 * Row.width, Int(0.05 * Double(workers) / (grainMicroseconds * 1e-6)))
        let steps = (tasks + Row.width - 1) / Row.width
        let wall = try stencilRun(workers: workers, steps: steps, grain: grainMicroseconds * 1e-6)
        return (steps * Row.width, wall)
    }

    /// µs per task of the stencil pattern recorded once (two steps: one from each row to the
    /// other) and replayed: the same tasks and dependencies, the analysis done once.
    static func stencilReplayed(workers: Int, tasks: Int) throws -> Double {
        let graph = try DataflowGraph(workers: workers)
        let rows = [Row(), Row()]
        for i in 0..<Row.width { rows[0].cells[i] = Double(i) }
        let twoSteps = try graph.record(name: "two steps") {
            for t in 0..<2 { try submitStep(t, of: rows, to: graph, grainNanoseconds: 0) }
        }
        let replays = Swift.max(1, tasks / (2 * Row.width))
        let start = DispatchTime.now().uptimeNanoseconds
        try graph.submit(name: "root") {
            for _ in 0..<replays { try graph.replay(twoSteps) }
        }
        try graph.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
        precondition(rows[0].values == stencilLoop(steps: 2 * replays), "replayed stencil differs from the loop")
        return elapsed / Double(replays * 2 * Row.width)
    }

    static func stencilRun(workers: Int, steps: Int, grain: Double, automaticTracing: Bool = false) throws -> Double {
        let graph = try DataflowGraph(workers: workers, automaticTracing: automaticTracing)
        let rows = [Row(), Row()]
        for i in 0..<Row.width { rows[0].cells[i] = Double(i) }
        let grainNanoseconds = UInt64(grain * 1e9)
        let start = DispatchTime.now().uptimeNanoseconds
        try graph.submit(name: "root") {
            for t in 0..<steps { try submitStep(t, of: rows, to: graph, grainNanoseconds: grainNanoseconds) }
        }
        try graph.wait()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if automaticTracing {
            // Most tasks took their dependencies from the trace, and the result is the plain loop's.
            precondition(graph.counters.tasksTraced > steps * Row.width / 2, "automatic tracing did not cover the stencil")
            if grain == 0 { precondition(rows[steps % 2].values == stencilLoop(steps: steps), "traced stencil differs from the loop") }
        }
        return wall
    }

    /// The cells after `steps` steps of the stencil pattern in a plain loop (the oracle).
    static func stencilLoop(steps: Int) -> [Double] {
        var cells = (0..<Row.width).map(Double.init)
        for _ in 0..<steps {
            let old = cells
            for i in 0..<Row.width { cells[i] = (old[Swift.max(i - 1, 0)] + old[i] + old[Swift.min(i + 1, Row.width - 1)]) / 3 }
        }
        return cells
    }

    /// Submits (or, while recording, records) the tasks of step `t`: cell i of the other row
    /// from cells i−1, i, i+1 of row `t % 2`, spinning `grainNanoseconds` first.
    static func submitStep(_ t: Int, of rows: [Row], to graph: DataflowGraph, grainNanoseconds: UInt64) throws {
        let prev = rows[t % 2], next = rows[(t + 1) % 2]
        for i in 0..<Row.width {
            let l = Swift.max(i - 1, 0), r = Swift.min(i + 1, Row.width - 1)
            try graph.submit(
                name: "cell", .read(prev, Box1(uncheckedLower: [l], upper: [r + 1])),
                .write(next, Box1(uncheckedLower: [i], upper: [i + 1]))
            ) { src, dst in
                if grainNanoseconds > 0 { spin(nanoseconds: grainNanoseconds) }
                dst.cells[i] = (src.cells[l] + src.cells[i] + src.cells[r]) / 3
            }
        }
    }

    /// METG(50 %): the task granularity (wall × workers / tasks) at the 50 % efficiency crossing,
    /// interpolated in log space between the two grains that bracket it. Efficiency is measured,
    /// as in Task Bench, against the peak the system reaches — here the useful work rate of the
    /// largest grain — so that a machine shared with other jobs does not count as overhead.
    static func metg(_ sweep: [(Double, (tasks: Int, wall: Double))], workers: Int) -> Double? {
        let peak = sweep.map { $0.0 * Double($0.1.tasks) / $0.1.wall }.max() ?? 1
        let points = sweep.map { (grain, r) -> (granularity: Double, efficiency: Double) in
            let granularity = r.wall * Double(workers) / Double(r.tasks) * 1e6
            return (granularity, grain * Double(r.tasks) / r.wall / peak)
        }.sorted { $0.granularity > $1.granularity }
        guard let firstBelow = points.firstIndex(where: { $0.efficiency < 0.5 }) else { return points.last?.granularity }
        if firstBelow == 0 { return nil }
        let a = points[firstBelow - 1], b = points[firstBelow]
        let f = (a.efficiency - 0.5) / (a.efficiency - b.efficiency)
        return exp(log(a.granularity) + f * (log(b.granularity) - log(a.granularity)))
    }

    static func spin(nanoseconds: UInt64) {
        let end = DispatchTime.now().uptimeNanoseconds + nanoseconds
        while DispatchTime.now().uptimeNanoseconds < end {}
    }

    /// The repository's copy of the OpenMP peer, found from this source file's location or the
    /// working directory.
    static func findPeerSource() -> String? {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [root.appendingPathComponent("Benchmarks/C/omp_depend_overhead.c").path,
                          FileManager.default.currentDirectoryPath + "/Benchmarks/C/omp_depend_overhead.c"]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// Compiles (gcc -O2 -fopenmp) and runs the peer; its JSON output, or nil.
    /// `waitPolicy`: "active", "passive", or "default" (OMP_WAIT_POLICY unset, as users run it).
    static func runPeer(source: String, threads: Int, tasks: Int, grains: [Double], waitPolicy: String) -> [String: Any]? {
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("patchwork-omp-depend-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: binary) }
        guard shell("/usr/bin/env", ["gcc", "-O2", "-fopenmp", source, "-o", binary], environment: [:]) != nil else { return nil }
        var env = ["OMP_NUM_THREADS": String(threads)]
        env["OMP_WAIT_POLICY"] = waitPolicy == "default" ? "" : waitPolicy  // "": unset
        // 30 s plus 20 µs per task: ten times what a healthy run takes.
        let limit = 30 + Double(tasks) * 20e-6
        guard let output = shell(binary, [String(tasks)] + grains.map { String($0) }, environment: env, timeout: limit),
              let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        else { return nil }
        return object
    }

    /// Runs `path`; its standard output, or nil when it failed or ran past `timeout` seconds
    /// (libgomp now and then takes minutes on a loaded machine: such a run is dropped). A variable
    /// of `environment` with an empty value is removed from the inherited environment.
    static func shell(_ path: String, _ arguments: [String], environment: [String: String], timeout: Double = 120) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.filter {
            !($0.value.isEmpty && environment[$0.key] != nil)
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return process.terminationStatus == 0 && process.terminationReason == .exit ? String(decoding: data, as: UTF8.self) : nil
    }
}

/// A pointer that tasks may share (the benchmark orders its uses itself).
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A row of 64 doubles: the resource of the stencil pattern.
final class Row: DataflowResource, @unchecked Sendable {
    static let width = 64
    let cells = UnsafeMutablePointer<Double>.allocate(capacity: Row.width)
    init() { cells.initialize(repeating: 0, count: Row.width) }
    deinit { cells.deallocate() }
    /// The cells, copied.
    var values: [Double] { Array(UnsafeBufferPointer(start: cells, count: Row.width)) }

    struct ReadView { let cells: UnsafePointer<Double> }
    struct WriteView { let cells: UnsafeMutablePointer<Double> }
    var dataflowBounds: Box1 { Box1(uncheckedLower: [0], upper: [Row.width]) }
    func makeReadView(_ region: Box1) -> ReadView { ReadView(cells: UnsafePointer(cells)) }
    func makeWriteView(_ region: Box1) -> WriteView { WriteView(cells: cells) }
}
