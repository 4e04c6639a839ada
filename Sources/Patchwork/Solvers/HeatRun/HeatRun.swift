/// An explicit heat-equation run that shows the whole library: a recursively bisected floor plan,
/// halo exchange from one cached plan run as dataflow tasks, a `(2N+1)`-point stencil, snapshots,
/// checkpoints with restart, pictures, the runtime's trace, and a check against the exact
/// solution of a Fourier mode.
/// `patchwork run heat` is a thin command-line front end to it.
///
/// ```swift
/// var options = HeatRunOptions()
/// options.dimensions = 3
/// options.size = 64
/// options.steps = 100
/// options.output = "/tmp/heat3d"
/// options.overwrite = true
/// let summary = try HeatRun.run(options) { p in print(p.step) }
/// print(summary.maxError, summary.errorBound, summary.passed)
/// ```
///
/// Semantics:
/// - The domain is `[0, size)^N`, cut by ``Decomposition/init(bisecting:maxExtent:ranks:assignment:periodic:)``
///   into patches of at most `maxExtent` cells per axis; with a `communicator` of `size > 1` each
///   rank owns the patches the bisection assigns it (contiguous ranges) and exchanges halos with
///   its peers; the result is bit for bit the same as on one rank.
/// - Each step fills the ghosts (periodic: from the opposite side; fixed: ghost cells outside the
///   domain stay 0) and applies `u ← (1 − 2Nα) u + α Σ neighbours`. Both run on a
///   ``DataflowGraph`` per rank (`workers` threads): each step submits the halo exchange as tasks
///   (``DataflowGraph/submit(_:name:)``) and one sweep task per patch reading the patch grown by
///   its ghosts; a sweep waits only for the tasks that fill its own ghosts, so work overlaps the
///   exchange (and its messages under MPI) without any synchronisation written here. Output
///   phases wait for the graph, then run as tasks too.
/// - Snapshots (`output/snapshots.zarr` or `.h5`, quantity `u`, a leading time axis) at every
///   multiple of `snapshotEvery`, step 0 included; checkpoints (`output/checkpoints/ckpt-<step>`)
///   at every multiple of `checkpointEvery` and at the last step, keeping the newest
///   `keepCheckpoints`. Rank 0 writes the snapshots, from a gather; every rank writes its own
///   patches of a checkpoint (``CheckpointWriter`` on the communicator). A restart reads the newest valid
///   checkpoint onto the current floor plan, drops the snapshots taken after it, and continues:
///   the final field equals an uninterrupted run's bit for bit.
/// - At the end the error norm `max |u − exact|` against the analytic solution is compared with
///   ``FourierMode/errorBound(after:)``; ``HeatRunError/verificationFailed(error:bound:step:)``
///   is thrown (after the summary's outputs are written) when it is exceeded.
///
/// - Timing: the runtime's trace gives the summary's compute / exchange / I/O worker-seconds (sweep
///   tasks, `"halo: …"` tasks, `"io: …"` tasks) and, with `trace`, the Chrome trace of every task
///   (``DataflowGraph/writeChromeTrace(to:)``; under MPI rank 0 merges the ranks' tasks into one
///   file). Keeping every task for the file costs about 100 bytes per task.
///
/// Collective under MPI: every rank calls it with the same options; a failure on one rank (a
/// file error on rank 0, say) is agreed on by all, so none waits forever. Not thread-safe.
///
/// - Complexity: O(cells / ranks) per step plus one halo exchange; O(cells) on rank 0 per
///   snapshot, checkpoint or picture.
public enum HeatRun {
    /// Runs `options` (on every rank of `communicator` when given), calling `progress` on rank 0
    /// after every step; returns the summary (on every rank, with global error norms).
    public static func run(
        _ options: HeatRunOptions, communicator: (any CollectiveTransport)? = nil,
        progress: ((HeatProgress) -> Void)? = nil
    ) throws(HeatRunError) -> HeatRunSummary {
        try options.validate()
        let summary: HeatRunSummary
        switch options.dimensions {
        case 2: summary = try _HeatDriver<2>(options: options, communicator: communicator).run(progress: progress)
        default: summary = try _HeatDriver<3>(options: options, communicator: communicator).run(progress: progress)
        }
        guard summary.passed else {
            throw .verificationFailed(error: summary.maxError, bound: summary.errorBound, step: summary.lastStep)
        }
        return summary
    }

    /// Runs as ``run(_:communicator:progress:)`` but returns the summary even when the
    /// verification fails (check ``HeatRunSummary/passed``).
    public static func runWithoutVerdict(
        _ options: HeatRunOptions, communicator: (any CollectiveTransport)? = nil,
        progress: ((HeatProgress) -> Void)? = nil
    ) throws(HeatRunError) -> HeatRunSummary {
        try options.validate()
        switch options.dimensions {
        case 2: return try _HeatDriver<2>(options: options, communicator: communicator).run(progress: progress)
        default: return try _HeatDriver<3>(options: options, communicator: communicator).run(progress: progress)
        }
    }

    /// The snapshot store's path in `output` for `format`.
    public static func snapshotPath(in output: String, format: HeatRunOptions.Format) -> String {
        output + (format == .zarr ? "/snapshots.zarr" : "/snapshots.h5")
    }

    /// The checkpoint directory in `output`.
    public static func checkpointPath(in output: String) -> String { output + "/checkpoints" }
}
