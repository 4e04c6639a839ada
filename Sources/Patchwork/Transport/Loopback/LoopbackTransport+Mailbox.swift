
/// A receive buffer held by the mailbox until a message arrives (the poster keeps it valid).
internal struct _LoopbackBuffer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer?
    let count: Int

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        base = buffer.baseAddress
        count = buffer.count
    }
}

/// The shared state of a ``LoopbackTransport`` group: queued messages, posted receives and the
/// state of every request, under one lock.
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

    enum Outcome {
        case pending
        case finished(TransportError?)
    }

    struct State {
        /// Messages sent before a matching receive was posted, oldest first.
        var queued: [Key: [[UInt8]]] = [:]
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

    func postSend(_ bytes: [UInt8], from source: Int, to destination: Int, tag: Int) -> TransportRequest {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.requests[source][id] = .finished(nil)  // eager: the bytes are copied already
            if let match = state.posted[destination].firstIndex(where: { $0.source == source && $0.tag == tag }) {
                let receive = state.posted[destination].remove(at: match)
                state.requests[destination][receive.id] = .finished(
                    Self.deliver(bytes, into: receive.buffer, from: source, tag: tag))
            } else {
                state.queued[Key(source: source, destination: destination, tag: tag), default: []].append(bytes)
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
            if var messages = state.queued[key], !messages.isEmpty {
                let bytes = messages.removeFirst()
                state.queued[key] = messages.isEmpty ? nil : messages
                state.requests[destination][id] = .finished(
                    Self.deliver(bytes, into: buffer, from: source, tag: tag))
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
        let result: Result<[TransportCompletion], TransportError> = state.withLock { state in
            var seen = Set<Int>()
            for request in requests {
                guard request.generation == 0, state.requests[rank][request.slot] != nil,
                    seen.insert(request.slot).inserted
                else { return .failure(.unknownRequest(slot: request.slot, generation: request.generation)) }
            }
            var found: [TransportCompletion] = []
            for (position, request) in requests.enumerated() {
                if case .finished(let error) = state.requests[rank][request.slot] {
                    found.append(TransportCompletion(index: position, error: error))
                    state.requests[rank][request.slot] = nil
                }
            }
            return .success(found)
        }
        completions.append(contentsOf: try result.get())
    }

    /// The number of requests of `rank` not yet reported complete.
    func outstanding(at rank: Int) -> Int {
        state.withLock { $0.requests[rank].count }
    }

    /// Copies a message into a receive buffer, or says why it does not fit.
    private static func deliver(
        _ bytes: [UInt8], into buffer: _LoopbackBuffer, from source: Int, tag: Int
    ) -> TransportError? {
        guard bytes.count == buffer.count else {
            return .messageSizeMismatch(peer: source, tag: tag, expected: buffer.count, received: bytes.count)
        }
        if let base = buffer.base, !bytes.isEmpty {
            bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        }
        return nil
    }
}
