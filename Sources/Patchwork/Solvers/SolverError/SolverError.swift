/// What went wrong setting up or advancing a solver; each case names the offending values.
///
/// ```swift
/// do { _ = try HeatSolver<Double>(floorPlan: plan, alpha: 0.5) }
/// catch .invalidParameter(let name, let value, let requirement) { print(name, value, requirement) }
/// ```
public enum SolverError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter outside its range (`value` printed as given).
    case invalidParameter(name: String, value: String, requirement: String)
    /// The floor plan or motion plan could not be built.
    case geometry(GeometryError)
    /// The arrays could not be built or swept.
    case array(ArrayError)
    /// A halo exchange failed.
    case exchange(ExchangeError)
    /// A distributed check or collective failed.
    case distributed(DistributedError)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement): "\(name) = \(value): must be \(requirement)"
        case let .geometry(e): "geometry: \(e)"
        case let .array(e): "arrays: \(e)"
        case let .exchange(e): "exchange: \(e)"
        case let .distributed(e): "distributed: \(e)"
        }
    }
}
