/// What went wrong while moving bytes between ranks: each case names the offending values.
///
/// Thrown by every ``Transport`` operation and by ``MPICommunicator``'s collectives. A failed MPI
/// call keeps the MPI error class and the library's own message.
///
/// ```swift
/// do { try comm.waitAll(requests) }
/// catch .messageSizeMismatch(let peer, let tag, let expected, let received) { ... }
/// ```
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An MPI function returned an error code; `message` is MPI's own description of it.
    case mpi(function: String, code: Int32, message: String)
    /// A message whose size differs from the receive buffer's. `received` is nil when the message
    /// was longer than the buffer (MPI truncated it and does not say by how much).
    case messageSizeMismatch(peer: Int, tag: Int, expected: Int, received: Int?)
    /// A rank (peer, root) outside `0..<size`.
    case invalidRank(name: String, rank: Int, size: Int)
    /// A message tag outside `0...upperBound`.
    case invalidTag(tag: Int, upperBound: Int)
    /// A message or collective too large for one MPI call (counts are 32-bit).
    case messageTooLarge(bytes: Int, limit: Int)
    /// A request that is not outstanding on this transport: already completed, or made elsewhere.
    case unknownRequest(slot: Int, generation: Int)
    /// A logical rank count that must be positive was not.
    case invalidSize(Int)
    /// Some rank reported failure to ``MPICommunicator/agreeOnSuccess(_:)``: `firstRank` is the
    /// lowest failing rank, `failingRanks` how many failed.
    case failedOnRanks(firstRank: Int, failingRanks: Int)
    /// MPI was finalized already; it cannot be initialized again in this process.
    case finalized
    /// A peer did not publish or consume a shared-memory message within `seconds`.
    case timedOut(peer: Int, seconds: Double)

    public var description: String {
        switch self {
        case let .mpi(function, code, message):
            "\(function) failed with MPI error \(code): \(message)"
        case let .messageSizeMismatch(peer, tag, expected, received?):
            "message from rank \(peer) with tag \(tag) has \(received) bytes, expected \(expected)"
        case let .messageSizeMismatch(peer, tag, expected, nil):
            "message from rank \(peer) with tag \(tag) is longer than the \(expected) bytes expected"
        case let .invalidRank(name, rank, size):
            "\(name) rank \(rank) is outside 0..<\(size)"
        case let .invalidTag(tag, upperBound):
            "message tag \(tag) is outside 0...\(upperBound)"
        case let .messageTooLarge(bytes, limit):
            "\(bytes) bytes exceed the limit of \(limit) bytes for one message"
        case let .unknownRequest(slot, generation):
            "request \(slot).\(generation) is not outstanding (already completed, or from another transport)"
        case let .invalidSize(size):
            "invalid rank count \(size): must be positive"
        case let .failedOnRanks(firstRank, failingRanks):
            "\(failingRanks) rank\(failingRanks == 1 ? "" : "s") failed, the first being rank \(firstRank)"
        case .finalized:
            "MPI was finalized already and cannot be initialized again"
        case let .timedOut(peer, seconds):
            "rank \(peer) did not answer within \(seconds) s"
        }
    }
}
