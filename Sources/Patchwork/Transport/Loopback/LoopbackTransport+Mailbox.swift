
/// A receive buffer held by the mailbox until a message arrives (the poster keeps it valid).
internal struct _LoopbackBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer?
    let count: Int

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress
        count = buffer.count
    }
}

/// Bytes of a message sent before its receive was posted, held by the mailbox (which owns the
/// allocation and reuses it for later messages).
internal struct _LoopbackStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let capacity: Int
}

/// The shared state of a ``LoopbackTransport`` group: queued messages, posted receives and the
/// state of every request, under one lock.
///
/// Steady state allocates nothing: a message whose receive is posted is copied straight into the
/// receive buffer; one that arrives first is copied into storage taken from a free list that
/// delivered messages return to; the queues and request tables keep their capacity.
internal final class _LoopbackMailbox: Sendable {
    struct Key: Hashable {
        let source: Int
        let destination: Int
        let tag: Int
    }

    struct PostedReceive {
        let id: Int
        let source: Int
        let tag: Int
        let buffer: _LoopbackBuffer
    }

    /// A message waiting for its receive: `count` bytes at the start of `storage`.
    struct QueuedMessage {
        let key: Key
        let storage: _LoopbackStorage
        let count: Int
    }

    enum Outcome {
        case pending
        case finished(TransportError?)
    }

    struct State {
        /// Messages sent before a matching receive was posted, oldest first.
        var queued: [QueuedMessage] = []
        /// Storage of delivered messages, ready for the next queued one.
        var spare: [_LoopbackStorage] = []
        /// Receives waiting for a message, per destination rank, oldest first.
        var posted: [[PostedReceive]]
        /// Per rank: the outcome of each outstanding request.
        var requests: [[Int: Outcome]]
        var nextID = 0
    }

    let state: _Lock<State>

    init(size: Int) {
        state = _Lock(
            State(posted: Array(repeating: [], count: size), requests: Array(repeating: [:], count: size)))
    }

    deinit {
        state.withLock { state in
            for m in state.queued { m.storage.base.deallocate() }
            for s in state.spare { s.base.deallocate() }
        }
    }

    func postSend(_ bytes: UnsafeRawBufferPointer, from source: Int, to destination: Int, tag: Int) -> TransportRequest {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.requests[source][id] = .finished(nil)  // eager: the bytes are copied already
            if let match = state.posted[destination].firstIndex(where: { $0.source == source && $0.tag == tag }) {
                let receive = state.posted[destination].remove(at: match)
                state.requests[destination][receive.id] = .finished(
                    Self.deliver(bytes, into: receive.buffer, from: source, tag: tag))
            } else {
                let storage = Self.storage(for: bytes.count, from: &state.spare)
                if let from = bytes.baseAddress, bytes.count > 0 {
                    storage.base.copyMemory(from: from, byteCount: bytes.count)
                }
                state.queued.append(QueuedMessage(
                    key: Key(source: source, destination: destination, tag: tag), storage: storage, count: bytes.count))
            }
            return TransportRequest(slot: id, generation: 0)
        }
    }

    func postReceive(
        _ buffer: _LoopbackBuffer, at destination: Int, from source: Int, tag: Int
    ) -> TransportRequest {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            let key = Key(source: source, destination: destination, tag: tag)
            if let match = state.queued.firstIndex(where: { $0.key == key }) {
                let message = state.queued.remove(at: match)
                state.requests[destination][id] = .finished(Self.deliver(
                    UnsafeRawBufferPointer(start: message.storage.base, count: message.count), into: buffer, from: source, tag: tag))
                state.spare.append(message.storage)
            } else {
                state.requests[destination][id] = .pending
                state.posted[destination].append(
                    PostedReceive(id: id, source: source, tag: tag, buffer: buffer))
            }
            return TransportRequest(slot: id, generation: 0)
        }
    }

    func testSome(
        _ requests: [TransportRequest], at rank: Int, completions: inout [TransportCompletion]
    ) throws(TransportError) {
        let failure: TransportError? = state.withLock { state in
            for (position, request) in requests.enumerated() {
                guard request.generation == 0, state.requests[rank][request.slot] != nil,
                    !requests[..<position].contains(request)
                else { return .unknownRequest(slot: request.slot, generation: request.generation) }
            }
            for (position, request) in requests.enumerated() {
                if case .finished(let error) = state.requests[rank][request.slot] {
                    completions.append(TransportCompletion(index: position, error: error))
                    state.requests[rank][request.slot] = nil
                }
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// The number of requests of `rank` not yet reported complete.
    func outstanding(at rank: Int) -> Int {
        state.withLock { $0.requests[rank].count }
    }

    /// The number of message buffers the mailbox holds (queued or spare): bounded by the most
    /// messages ever queued at once.
    var storageCount: Int {
        state.withLock { $0.queued.count + $0.spare.count }
    }

    /// Spare storage of at least `count` bytes (the smallest that fits), or new storage.
    private static func storage(for count: Int, from spare: inout [_LoopbackStorage]) -> _LoopbackStorage {
        var best: Int? = nil
        for (i, s) in spare.enumerated() where s.capacity >= count && (best.map { s.capacity < spare[$0].capacity } ?? true) {
            best = i
        }
        if let best { return spare.remove(at: best) }
        return _LoopbackStorage(base: .allocate(byteCount: max(count, 1), alignment: 16), capacity: max(count, 1))
    }

    /// Copies a message into a receive buffer, or says why it does not fit.
    private static func deliver(
        _ bytes: UnsafeRawBufferPointer, into buffer: _LoopbackBuffer, from source: Int, tag: Int
    ) -> TransportError? {
        guard bytes.count == buffer.count else {
            return .messageSizeMismatch(peer: source, tag: tag, expected: buffer.count, received: bytes.count)
        }
        if let base = buffer.base, let from = bytes.baseAddress, bytes.count > 0 {
            base.copyMemory(from: from, byteCount: bytes.count)
        }
        return nil
    }
}
