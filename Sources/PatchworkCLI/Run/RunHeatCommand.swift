import ArgumentParser
import Foundation
@_spi(Testing) import Patchwork

extension CheckpointFormat: ExpressibleByArgument {}
extension FourierMode.Boundary: ExpressibleByArgument {}

/// `patchwork run heat`: the explicit heat equation on a bisected floor plan, with snapshots,
/// checkpoints and restart, a progress bar, a picture, a phase summary, and a check against the
/// exact decay of a Fourier mode (exit status 2 when the error exceeds its bound). With no
/// options: a 2-D demo of about ten seconds writing into ./heat-output. Under `mpirun` every
/// rank owns its part of the floor plan.
struct RunHeatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heat",
        abstract: "Explicit heat equation on an irregular floor plan, checked against its exact solution.",
        discussion: """
            The initial condition is a Fourier mode (sines in every axis); the run prints the error \
            against the analytic solution and fails with exit status 2 when it exceeds the \
            discretisation error expected for the grid. Under mpirun each rank owns part of the \
            floor plan. Exit status 64 for bad options, 1 for other failures.
            """
    )

    // Numbers take the next argument whatever it looks like, so that `--size -5` reaches the
    // validation (naming the accepted values) instead of reading as a missing value.
    @Option(parsing: .unconditional, help: "Number of dimensions: 2 or 3.") var dims = 2
    @Option(parsing: .unconditional, help: "Cells per axis (default: 1000 in 2-D, 160 in 3-D).") var size: Int?
    @Option(parsing: .unconditional, help: "Largest patch extent of the recursive bisection (default: 250 in 2-D, 48 in 3-D).") var maxExtent: Int?
    @Option(parsing: .unconditional, help: "Steps to run, counted from step 0 (default: 9000 in 2-D, 800 in 3-D).") var steps: Int?
    @Option(parsing: .unconditional, help: "Diffusion number Δt/h² (default: 0.2 in 2-D, 0.15 in 3-D; stable up to 1/(2·dims)).") var alpha: Double?
    @Option(parsing: .unconditional, help: "Waves (periodic) or half-waves (fixed) of the initial mode per axis (default: 3 in 2-D, 1 in 3-D).") var wavenumber: Int?
    @Option(help: "Boundary condition: periodic or fixed (Dirichlet 0).") var boundary: FourierMode.Boundary = .periodic
    @Option(help: "Output directory for snapshots, checkpoints and pictures.") var output = "heat-output"
    @Option(parsing: .unconditional, help: "A snapshot every K steps (0: none; default: steps / 8).") var snapshotEvery: Int?
    @Option(help: "Snapshot and checkpoint format: zarr or hdf5.") var format: CheckpointFormat = .zarr
    @Option(parsing: .unconditional, help: "A checkpoint every M steps (0: none; default: steps / 4).") var checkpointEvery: Int?
    @Option(parsing: .unconditional, help: "Checkpoints to keep.") var keepCheckpoints = 2
    @Flag(help: "Resume from the newest valid checkpoint in the output directory.") var restart = false
    @Flag(help: "Replace the results of an earlier run in the output directory, and existing --trace and --picture files.") var overwrite = false
    @Option(help: "PNG of the final field (a slice in 3-D); default: <output>/heat.png; '' for none. Its directory must exist (or be the output directory).") var picture: String?
    @Flag(help: "Also write a PNG at every snapshot (<output>/pictures/).") var pictureEverySnapshot = false
    @Option(parsing: .unconditional, help: "Worker threads per rank (default: processors / ranks).") var workers: Int?
    @Option(help: "Write the Chrome trace (JSON) of the runtime's tasks to this file, in an existing writable directory.") var trace: String?
    @Option(parsing: .unconditional, help: .hidden) var stopAfter: Int?
    /// Test-only: `skip-exchange-at-step=K` leaves out the halo exchange before step K, so that
    /// the self-check fails (exit status 2).
    @Option(help: .hidden) var injectFault: InjectedFault?

    /// The library options these flags describe.
    func options() -> HeatRunOptions {
        var o = HeatRunOptions()
        o.dimensions = dims
        o.size = size ?? (dims == 3 ? 160 : 1000)
        o.maxExtent = maxExtent ?? (dims == 3 ? 48 : 250)
        o.steps = steps ?? (dims == 3 ? 800 : 9000)
        o.alpha = alpha
        o.wavenumber = wavenumber ?? (dims == 3 ? 1 : 3)
        o.boundary = boundary
        o.output = output.isEmpty ? nil : output
        o.snapshotEvery = snapshotEvery ?? max(o.steps / 8, 1)
        o.format = format
        o.checkpointEvery = checkpointEvery ?? max(o.steps / 4, 1)
        o.keepCheckpoints = keepCheckpoints
        o.restart = restart
        o.overwrite = overwrite
        o.picture = picture
        o.pictureEverySnapshot = pictureEverySnapshot
        o.workers = workers
        o.trace = trace
        o.stopAfter = stopAfter
        o.skipExchangeAtStep = injectFault?.skipExchangeAtStep
        return o
    }

    func validate() throws {
        do { try options().validate() } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let options = options()
        let communicator = try Self.worldIfLaunchedByMPI()
        let rank = communicator?.rank ?? 0
        let ranks = communicator?.size ?? 1
        let speaker = rank == 0
        if speaker {
            let shape = Array(repeating: "\(options.size)", count: options.dimensions).joined(separator: "×")
            print("patchwork run heat: \(options.dimensions)-D, \(shape) cells, \(options.boundary) boundaries, "
                  + "mode \(options.wavenumber), α = \(options.effectiveAlpha), \(options.steps) steps, "
                  + "\(ranks) rank\(ranks == 1 ? "" : "s")\(options.restart ? ", restarting" : "") → \(options.output ?? "-")")
        }
        // Under mpirun the ranks write to a pty whatever the final destination: plain lines there.
        let bar = ProgressDisplay(terminal: isatty(STDOUT_FILENO) == 1 && ranks == 1)
        let summary: HeatRunSummary
        do {
            summary = try HeatRun.runWithoutVerdict(options, communicator: communicator,
                                                    progress: speaker ? { bar.update($0) } : nil)
        } catch {
            bar.finish()
            if speaker { FileHandle.standardError.write(Data("Error: \(error)\n".utf8)) }
            throw ExitCode(error.isBadInput ? 64 : 1)
        }
        bar.finish()
        if speaker { print(Self.describe(summary, trace: options.trace)) }
        if !summary.passed {
            if speaker {
                FileHandle.standardError.write(Data("Error: \(HeatRunError.verificationFailed(error: summary.maxError, bound: summary.errorBound, step: summary.lastStep))\n".utf8))
            }
            throw ExitCode(2)
        }
    }

    /// The MPI world when started by mpirun with more than one rank; nil otherwise (no MPI
    /// initialisation for a plain run).
    static func worldIfLaunchedByMPI() throws -> MPICommunicator? {
        let env = ProcessInfo.processInfo.environment
        guard let size = Int(env["OMPI_COMM_WORLD_SIZE"] ?? env["PMI_SIZE"] ?? ""), size > 1 else { return nil }
        return try MPICommunicator.world()
    }

    /// The end-of-run summary.
    static func describe(_ s: HeatRunSummary, trace: String?) -> String {
        // Task seconds are worker-seconds: shares of the workers' time over the loop.
        let total = max(s.seconds * Double(s.workers), 1e-9)
        func share(_ x: Double) -> String { String(format: "%.1f %%", 100 * x / total) }
        let other = max(0, total - s.computeSeconds - s.exchangeSeconds - s.ioSeconds)
        var lines: [String] = []
        lines.append("summary")
        lines.append(String(format: "  run          steps %d → %d%@ on %d patches, %d rank%@; t = %.6g",
                            s.firstStep, s.lastStep, s.stopped ? " (stopped early)" : "", s.patches, s.ranks,
                            s.ranks == 1 ? "" : "s", s.time))
        lines.append(String(format: "  time         %.2f s × %d worker%@ (runtime trace): compute %@, exchange %@, I/O %@, idle and scheduling %@",
                            s.seconds, s.workers, s.workers == 1 ? "" : "s", share(s.computeSeconds), share(s.exchangeSeconds),
                            share(s.ioSeconds), share(other)))
        lines.append(String(format: "  throughput   %.1f M cell updates/s (%.1f M/s per worker during sweeps)",
                            s.cellUpdatesPerSecond / 1e6,
                            s.computeSeconds > 0 ? Double(s.cells) * Double(s.stepsTaken) / s.computeSeconds / 1e6 : 0))
        lines.append(String(format: "  bandwidth    %.2f GB/s effective, %.2f GB/s per worker during sweeps (%d B read + written per cell update)",
                            s.effectiveBandwidth / 1e9, s.computeBandwidth / 1e9, HeatRunSummary.bytesPerCellUpdate))
        lines.append(String(format: "  output       %d snapshots, %d checkpoints%@", s.snapshots, s.checkpoints,
                            s.pictures.isEmpty ? "" : ", pictures: " + (s.pictures.count > 2 ? "\(s.pictures.count) (last \(s.pictures.last!))" : s.pictures.joined(separator: ", "))))
        if let trace { lines.append("  trace        \(trace)") }
        lines.append(String(format: "  amplitude    %.9f (scheme %.9f, analytic %.9f)",
                            s.discreteAmplitude, s.discreteAmplitude, s.continuousAmplitude))
        lines.append(String(format: "  error        max |u − analytic| = %.3e, bound %.3e: %@; max |u − scheme's exact| = %.3e",
                            s.maxError, s.errorBound, s.passed ? "PASSED" : "FAILED", s.discreteError))
        return lines.joined(separator: "\n")
    }
}

/// The fault the hidden `--inject-fault` option plants, for tests of the verification failure:
/// `skip-exchange-at-step=K`.
struct InjectedFault: ExpressibleByArgument {
    var skipExchangeAtStep: Int

    init?(argument: String) {
        let prefix = "skip-exchange-at-step="
        guard argument.hasPrefix(prefix), let step = Int(argument.dropFirst(prefix.count)) else { return nil }
        skipExchangeAtStep = step
    }
}

extension HeatRunError {
    /// Errors the user fixes by changing the command line.
    var isBadInput: Bool {
        switch self {
        case .invalidOption, .outputExists, .fileExists, .noCheckpoint, .restartMismatch, .nothingToDo: true
        default: false
        }
    }
}
