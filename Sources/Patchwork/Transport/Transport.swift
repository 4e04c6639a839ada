/// How bytes reach another rank: non-blocking, tagged, per-peer byte messages.
///
/// The halo exchange posts its receives, packs, posts its sends, then tests for completion while
/// other work runs. ``MPICommunicator`` implements it across processes and ``LoopbackTransport``
/// between logical ranks of one process.
///
/// ```swift
/// let recv = try transport.receive(into: inbox, from: left, tag: 7)
/// let send = try transport.send(UnsafeRawBufferPointer(outbox), to: right, tag: 7)
/// try transport.waitAll([recv, send])
/// ```
///
/// Semantics: messages between one pair of ranks with one tag arrive in the order sent. A receive
/// completes successfully only when the message has exactly the buffer's size; otherwise its
/// completion carries ``TransportError/messageSizeMismatch(peer:tag:expected:received:)``. Buffers
/// must stay valid, and a send buffer unchanged, until the request completes. A request is reported
/// complete exactly once; afterwards it is no longer known to the transport. Implementations are
/// safe to call from several threads.
///
/// - Complexity: posting is O(1); ``testSome(_:completions:)`` is O(number of requests).
public protocol Transport: AnyObject, Sendable {
    /// This rank, in `0..<size`.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }

    /// Posts a receive of exactly `buffer.count` bytes from `peer` with `tag`.
    func receive(
        into buffer: UnsafeMutableRawBufferPointer, from peer: Int, tag: Int
    ) throws(TransportError) -> TransportRequest

    /// Posts a send of `buffer` to `peer` with `tag`.
    func send(
        _ buffer: UnsafeRawBufferPointer, to peer: Int, tag: Int
    ) throws(TransportError) -> TransportRequest

    /// Tests `requests` without blocking and appends one ``TransportCompletion`` for each that has
    /// completed (successfully or not) to `completions`. Completed requests are forgotten. Throws
    /// only when a request is not outstanding or the transport itself fails.
    func testSome(
        _ requests: [TransportRequest], completions: inout [TransportCompletion]
    ) throws(TransportError)
}

/// A handle on one posted send or receive of a ``Transport``; a plain value, cheap to copy.
public struct TransportRequest: Hashable, Sendable, CustomStringConvertible {
    /// The transport's slot for the request.
    public let slot: Int
    /// Distinguishes successive requests that reuse one slot.
    public let generation: Int

    @inlinable
    public init(slot: Int, generation: Int) {
        self.slot = slot
        self.generation = generation
    }

    public var description: String { "request \(slot).\(generation)" }
}

/// One completed request reported by ``Transport/testSome(_:completions:)``.
public struct TransportCompletion: Sendable, Equatable {
    /// The position of the request in the array that was tested.
    public var index: Int
    /// Why the message failed, or nil when it succeeded.
    public var error: TransportError?

    @inlinable
    public init(index: Int, error: TransportError?) {
        self.index = index
        self.error = error
    }
}
