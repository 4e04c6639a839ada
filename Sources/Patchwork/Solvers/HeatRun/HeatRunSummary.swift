/// Where a running ``HeatRun`` stands, handed to its progress callback after every step.
///
/// ```swift
/// try HeatRun.run(options) { p in print("\(p.step)/\(p.lastStep), \(p.cellUpdatesPerSecond)") }
/// ```
public struct HeatProgress: Sendable {
    /// The step just completed.
    public var step: Int
    /// The step the run started from (0, or the checkpoint's).
    public var firstStep: Int
    /// The step the run ends at.
    public var lastStep: Int
    /// Seconds since stepping began.
    public var elapsed: Double
    /// Cells in the domain.
    public var cells: Int

    /// Fraction of the steps done, 0 … 1.
    public var fraction: Double {
        lastStep > firstStep ? Double(step - firstStep) / Double(lastStep - firstStep) : 1
    }
    /// Steps per second so far.
    public var stepsPerSecond: Double { elapsed > 0 ? Double(step - firstStep) / elapsed : 0 }
    /// Cell updates per second so far (all ranks).
    public var cellUpdatesPerSecond: Double { stepsPerSecond * Double(cells) }
    /// Estimated seconds to the end.
    public var remaining: Double {
        let rate = stepsPerSecond
        return rate > 0 ? Double(lastStep - step) / rate : 0
    }
}

/// The outcome of a ``HeatRun``: what ran, how fast, where the time went, and the self-check.
///
/// Figures are rank 0's (time, task seconds) or global (cells, errors). The compute, exchange and
/// I/O seconds are worker-seconds summed from the runtime's trace: the durations of the sweep
/// tasks, of the `"halo: …"` tasks and of the `"io: …"` tasks on rank 0's `workers` threads, so
/// their shares are of `seconds × workers`. Bytes per cell update count the
/// stencil's compulsory traffic: one read of the old value and one write of the new one,
/// 2 × 8 bytes in double precision.
public struct HeatRunSummary: Sendable {
    public var dimensions: Int
    public var size: Int
    public var boundary: FourierMode.Boundary
    public var alpha: Double
    public var wavenumber: Int
    /// Patches of the floor plan, and ranks.
    public var patches: Int
    public var ranks: Int
    /// Cells in the domain.
    public var cells: Int
    /// First and last step of this run (first > 0 after a restart).
    public var firstStep: Int
    public var lastStep: Int
    /// Whether `stopAfter` ended the run early.
    public var stopped: Bool
    /// Simulation time reached, `lastStep · Δt`.
    public var time: Double
    /// Worker threads of rank 0's dataflow graph.
    public var workers: Int
    /// Wall seconds of the stepping loop (snapshots and checkpoints included).
    public var seconds: Double
    /// Worker-seconds in sweep, halo-exchange and I/O tasks (rank 0).
    public var computeSeconds: Double
    public var exchangeSeconds: Double
    public var ioSeconds: Double
    /// Amplitudes at the last step: the scheme's `g^s` and the analytic solution's.
    public var discreteAmplitude: Double
    public var continuousAmplitude: Double
    /// max |u − analytic solution| over the domain, and the bound for the grid.
    public var maxError: Double
    public var errorBound: Double
    /// max |u − g^s · mode|: the deviation from the exact discrete solution (rounding only).
    public var discreteError: Double
    /// Snapshots and checkpoints written by this run, and pictures.
    public var snapshots: Int
    public var checkpoints: Int
    public var pictures: [String]
    /// The run's output directory, if any.
    public var output: String?

    /// Whether the error is within the bound.
    public var passed: Bool { maxError <= errorBound }
    /// Steps taken by this run.
    public var stepsTaken: Int { lastStep - firstStep }
    /// Cell updates per second over the stepping loop.
    public var cellUpdatesPerSecond: Double { seconds > 0 ? Double(cells) * Double(stepsTaken) / seconds : 0 }
    /// Bytes the stencil reads and writes per cell update.
    public static let bytesPerCellUpdate = 2 * MemoryLayout<Double>.stride
    /// Effective memory bandwidth of the stencil, bytes per second (over the whole loop).
    public var effectiveBandwidth: Double { cellUpdatesPerSecond * Double(Self.bytesPerCellUpdate) }
    /// Effective bandwidth per worker over the sweep tasks' time only.
    public var computeBandwidth: Double {
        computeSeconds > 0 ? Double(cells) * Double(stepsTaken) * Double(Self.bytesPerCellUpdate) / computeSeconds : 0
    }
}
