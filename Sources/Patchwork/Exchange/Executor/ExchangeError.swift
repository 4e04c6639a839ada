/// What went wrong building or running an exchange; each case names the offending values.
public enum ExchangeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `start()` was called while the previous exchange had not finished.
    case alreadyInFlight
    /// `finish()` was called with no exchange in flight.
    case notStarted
    /// A quantity's floor plan, rank or ghost width does not fit the plan or the other quantities.
    case quantityMismatch(quantity: Int, reason: String)
    /// A move reaches outside the storage of its patch (the ghost width is too small for the plan).
    case moveOutsidePatch(move: String, patch: Int, allocated: String)
    /// The plan was built for another floor plan than the arrays' (`role` says which: the floor
    /// plan of a halo fill, or the source or destination of a copy); both are described by patch
    /// count and geometry fingerprint.
    case planMismatch(role: String, plan: String, arrays: String)
    /// The transport's rank or size does not match the quantities' floor plan.
    case transportMismatch(transportRank: Int, transportSize: Int, arrayRank: Int, rankCount: Int)
    /// A message failed.
    case transport(TransportError)

    public var description: String {
        switch self {
        case .alreadyInFlight: "start() called while an exchange is still in flight; call finish() first"
        case .notStarted: "finish() called with no exchange in flight"
        case let .quantityMismatch(q, reason): "quantity \(q): \(reason)"
        case let .moveOutsidePatch(move, patch, allocated):
            "move \(move) reaches outside patch \(patch) (allocated \(allocated)): ghost width too small for the plan"
        case let .planMismatch(role, plan, arrays):
            "the motion plan was built for a \(role) of \(plan), but the arrays' has \(arrays)"
        case let .transportMismatch(tr, ts, ar, rc):
            "transport is rank \(tr) of \(ts) but the arrays are rank \(ar) of a \(rc)-rank floor plan"
        case let .transport(e): "transport: \(e)"
        }
    }
}
