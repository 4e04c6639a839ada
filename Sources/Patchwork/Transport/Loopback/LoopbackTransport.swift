
/// Logical ranks inside one process that exchange messages through a shared mailbox: a
/// ``Transport`` for testing exchanges without MPI (and for running them on one process).
///
/// ```swift
/// let ranks = try LoopbackTransport.group(size: 4)
/// // Each rank (on its own thread, or all driven by one) posts receives and sends:
/// let r = try ranks[1].receive(into: inbox, from: 0, tag: 5)
/// let s = try ranks[0].send(UnsafeRawBufferPointer(outbox), to: 1, tag: 5)
/// try ranks[0].waitAll([s]); try ranks[1].waitAll([r])
/// ```
///
/// Semantics: sends are eager — the bytes are copied into the mailbox (or straight into a matching
/// posted receive) when posted, so a send completes at once and its buffer may be reused.
/// A receive completes when a message from its peer with its tag is there; messages between one
/// pair with one tag are matched in the order sent, as in MPI. A message whose size differs from
/// the receive buffer's completes the receive with
/// ``TransportError/messageSizeMismatch(peer:tag:expected:received:)`` and copies nothing.
/// Thread-safe: one lock guards the mailbox. A rank that waits for a message no one sends waits
/// forever, as with MPI.
///
/// - Complexity: a send copies its bytes once (twice when no receive is posted yet); matching is
///   linear in the number of posted receives of the destination rank (or of queued messages).
///   After the first exchanges nothing is allocated: queued messages use storage the mailbox
///   reuses, and polls append to the caller's completion array.
public final class LoopbackTransport: Transport, Sendable {
    /// This logical rank.
    public let rank: Int
    /// The number of logical ranks in the group.
    public let size: Int
    let mailbox: _LoopbackMailbox

    init(rank: Int, size: Int, mailbox: _LoopbackMailbox) {
        self.rank = rank
        self.size = size
        self.mailbox = mailbox
    }

    /// Makes `size` logical ranks sharing one mailbox; element `i` is rank `i`.
    ///
    /// - Throws: ``TransportError/invalidSize(_:)`` when `size < 1`.
    public static func group(size: Int) throws(TransportError) -> [LoopbackTransport] {
        guard size >= 1 else { throw .invalidSize(size) }
        let mailbox = _LoopbackMailbox(size: size)
        return (0..<size).map { LoopbackTransport(rank: $0, size: size, mailbox: mailbox) }
    }

    /// Posts a receive of exactly `buffer.count` bytes from `peer` with `tag`.
    ///
    /// - Throws: ``TransportError/invalidRank(name:rank:size:)``, ``TransportError/invalidTag(tag:upperBound:)``.
    public func receive(
        into buffer: UnsafeMutableRawBufferPointer, from peer: Int, tag: Int
    ) throws(TransportError) -> TransportRequest {
        try validate(peer: peer, tag: tag)
        return mailbox.postReceive(
            _LoopbackBuffer(buffer), at: rank, from: peer, tag: tag)
    }

    /// Posts a send of `buffer` to `peer` with `tag`; the bytes are copied before it returns.
    ///
    /// - Throws: ``TransportError/invalidRank(name:rank:size:)``, ``TransportError/invalidTag(tag:upperBound:)``.
    public func send(
        _ buffer: UnsafeRawBufferPointer, to peer: Int, tag: Int
    ) throws(TransportError) -> TransportRequest {
        try validate(peer: peer, tag: tag)
        return mailbox.postSend(buffer, from: rank, to: peer, tag: tag)
    }

    /// Reports the requests among `requests` that have completed, and forgets them.
    public func testSome(
        _ requests: [TransportRequest], completions: inout [TransportCompletion]
    ) throws(TransportError) {
        try mailbox.testSome(requests, at: rank, completions: &completions)
    }

    private func validate(peer: Int, tag: Int) throws(TransportError) {
        guard peer >= 0, peer < size else { throw .invalidRank(name: "peer", rank: peer, size: size) }
        guard tag >= 0, tag <= Int(Int32.max) else { throw .invalidTag(tag: tag, upperBound: Int(Int32.max)) }
    }
}
