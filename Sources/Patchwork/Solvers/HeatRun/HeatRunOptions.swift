/// Everything that describes one run of ``HeatRun``: the problem (dimensions, size, boundary,
/// mode), the floor plan, the schedule of snapshots, checkpoints and pictures, and where output
/// goes.
///
/// ```swift
/// var options = HeatRunOptions()          // the 2-D demo
/// options.size = 128
/// options.steps = 200
/// options.output = "/tmp/heat"
/// options.overwrite = true
/// let summary = try HeatRun.run(options)
/// ```
///
/// ``validate()`` names the first bad option and its accepted values; ``HeatRun/run(_:communicator:progress:)``
/// calls it first. A value type with no cost of its own.
public struct HeatRunOptions: Sendable, Equatable {
    /// File format of snapshots and checkpoints.
    public typealias Format = CheckpointFormat

    /// 2 or 3.
    public var dimensions = 2
    /// Cells per axis (the domain is a square or a cube).
    public var size = 1000
    /// The largest patch extent of the recursive bisection (250: 16 patches of the demo's
    /// 1000² cells, about 80 tasks a step with the exchange's copies; every task costs a few
    /// microseconds of scheduling, so small patches make a step overhead-bound).
    public var maxExtent = 250
    /// The number of steps to reach (counted from step 0, also after a restart).
    public var steps = 9000
    /// The diffusion number `Δt / h²`; nil: 0.2 in 2-D, 0.15 in 3-D. Stable up to `1/(2N)`.
    public var alpha: Double? = nil
    /// Waves (periodic) or half-waves (fixed) of the initial mode per axis.
    public var wavenumber = 3
    /// The boundary condition.
    public var boundary: FourierMode.Boundary = .periodic
    /// The directory for snapshots, checkpoints and pictures; nil: nothing is written.
    public var output: String? = "heat-output"
    /// A snapshot every this many steps (0: none).
    public var snapshotEvery = 1125
    /// Snapshot and checkpoint format.
    public var format: Format = .zarr
    /// A checkpoint every this many steps (0: none); the last step is always checkpointed when
    /// checkpoints are on.
    public var checkpointEvery = 2250
    /// How many checkpoints to keep.
    public var keepCheckpoints = 2
    /// Resume from the newest valid checkpoint in `output`.
    public var restart = false
    /// Replace what an earlier run left in `output`, and existing `trace` and `picture` files
    /// (without it they are ``HeatRunError/fileExists(name:path:)``).
    public var overwrite = false
    /// The final picture's path; nil: `output/heat.png` (none without `output`); "" : none.
    public var picture: String? = nil
    /// A picture at every snapshot too (`output/pictures/step-<n>.png`).
    public var pictureEverySnapshot = false
    /// Worker threads of this rank's dataflow graph; nil: the processors divided by the ranks
    /// (at least 1).
    public var workers: Int? = nil
    /// Where to write the Chrome trace of the runtime's tasks; nil: none. Its directory must exist
    /// and be writable (checked before the run).
    public var trace: String? = nil
    /// Stop after this step as if the process had been killed (no final checkpoint): for tests
    /// of restarts. nil: run to ``steps``.
    public var stopAfter: Int? = nil
    /// For tests of the failure path only: the halo exchange that precedes this step is left
    /// out, so its sweeps read stale ghosts and the self-check fails
    /// (``HeatRunError/verificationFailed(error:bound:step:)``, exit status 2 in the CLI's hidden
    /// `--inject-fault skip-exchange-at-step=K`). nil: no fault.
    @_spi(Testing) public var skipExchangeAtStep: Int? = nil

    public init() {}

    /// The diffusion number used.
    public var effectiveAlpha: Double { alpha ?? (dimensions == 2 ? 0.2 : 0.15) }

    /// Throws ``HeatRunError/invalidOption(name:value:accepted:)`` for the first bad option.
    public func validate() throws(HeatRunError) {
        func bad(_ name: String, _ value: Any, _ accepted: String) -> HeatRunError {
            .invalidOption(name: name, value: "\(value)", accepted: accepted)
        }
        guard dimensions == 2 || dimensions == 3 else { throw bad("--dims", dimensions, "2 or 3") }
        guard size >= 4, size <= 1 << 20 else { throw bad("--size", size, "an integer from 4 to 1048576") }
        guard maxExtent >= 2 else { throw bad("--max-extent", maxExtent, "an integer of at least 2") }
        guard steps >= 0 else { throw bad("--steps", steps, "a non-negative integer") }
        let limit = 1 / Double(2 * dimensions)
        guard effectiveAlpha > 0, effectiveAlpha <= limit else {
            throw bad("--alpha", effectiveAlpha, "a number in (0, \(limit)] (stability of the explicit scheme in \(dimensions)-D)")
        }
        let maxWave = boundary == .periodic ? size / 2 : size
        guard wavenumber >= 1, wavenumber <= maxWave else {
            throw bad("--wavenumber", wavenumber, "an integer from 1 to \(maxWave) for \(size) cells with \(boundary) boundaries")
        }
        guard snapshotEvery >= 0 else { throw bad("--snapshot-every", snapshotEvery, "a non-negative integer (0: no snapshots)") }
        guard checkpointEvery >= 0 else { throw bad("--checkpoint-every", checkpointEvery, "a non-negative integer (0: no checkpoints)") }
        guard keepCheckpoints >= 1 else { throw bad("--keep-checkpoints", keepCheckpoints, "an integer of at least 1") }
        if let workers, !(1...1024).contains(workers) { throw bad("--workers", workers, "an integer from 1 to 1024") }
        if let stopAfter, stopAfter < 0 { throw bad("--stop-after", stopAfter, "a non-negative integer") }
        if let skip = skipExchangeAtStep, skip < 1 {
            throw bad("--inject-fault", "skip-exchange-at-step=\(skip)", "skip-exchange-at-step=K with K ≥ 1 (a fault for tests)")
        }
        if output == nil || output == "" {
            if snapshotEvery > 0 || checkpointEvery > 0 || restart || pictureEverySnapshot {
                throw bad("--output", "", "a directory (snapshots, checkpoints, restarts and snapshot pictures need one)")
            }
        }
        let cells = Double(size) * (dimensions == 3 ? Double(size) * Double(size) : Double(size))
        guard cells <= Double(1 << 33) else { throw bad("--size", size, "at most 2^33 cells in all (\(Int(cells)) asked)") }
    }
}
