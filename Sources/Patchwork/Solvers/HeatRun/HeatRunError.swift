/// What went wrong in ``HeatRun``: a bad option, output in the way, a restart without a usable
/// checkpoint, a failed self-check, or an error of a lower layer; each case names the offending
/// values and reads as a complete message.
///
/// ```swift
/// do { _ = try HeatRun.run(options) }
/// catch .outputExists(let path) { print("\(path) exists: pass --overwrite") }
/// ```
public enum HeatRunError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option outside its accepted values.
    case invalidOption(name: String, value: String, accepted: String)
    /// The output directory exists and is not empty, and neither `overwrite` nor `restart` was given.
    case outputExists(path: String)
    /// A file named by option `name` (`--trace`, `--picture`) exists and `overwrite` was not given.
    case fileExists(name: String, path: String)
    /// `restart` found no valid checkpoint in `path`.
    case noCheckpoint(path: String)
    /// The checkpoint was written by a run with another value of `name`.
    case restartMismatch(name: String, checkpoint: String, requested: String)
    /// The checkpoint is at or beyond the last step asked for.
    case nothingToDo(checkpointStep: Int, steps: Int)
    /// The error norm against the analytic solution exceeds the bound for the grid.
    case verificationFailed(error: Double, bound: Double, step: Int)
    case geometry(GeometryError)
    case array(ArrayError)
    case exchange(ExchangeError)
    case io(IOError)
    case picture(PictureError)
    case distributed(DistributedError)
    /// The task runtime failed (a task threw: a sweep, a halo message, an output phase).
    case dataflow(DataflowError)

    public var description: String {
        switch self {
        case let .invalidOption(name, value, accepted): "invalid value '\(value)' for \(name): expected \(accepted)"
        case let .outputExists(path): "the output directory \(path) exists and is not empty: pass --overwrite to replace it, or --restart to continue it"
        case let .fileExists(name, path): "\(name): \(path) exists: pass --overwrite to replace it"
        case let .noCheckpoint(path): "--restart: no valid checkpoint in \(path)"
        case let .restartMismatch(name, checkpoint, requested):
            "--restart: the checkpoint was written with \(name) \(checkpoint), this run asks for \(requested)"
        case let .nothingToDo(step, steps): "--restart: the newest checkpoint is at step \(step), not before --steps \(steps)"
        case let .verificationFailed(error, bound, step):
            "verification failed at step \(step): max error \(error) exceeds the bound \(bound) for this grid"
        case let .geometry(e): "floor plan: \(e)"
        case let .array(e): "arrays: \(e)"
        case let .exchange(e): "halo exchange: \(e)"
        case let .io(e): "I/O: \(e)"
        case let .picture(e): "picture: \(e)"
        case let .distributed(e): "distributed: \(e)"
        case let .dataflow(e): "tasks: \(e)"
        }
    }
}
