internal import CMPI

extension MPICommunicator {
    /// Posts a receive of exactly `buffer.count` bytes from `peer` with `tag`.
    /// The corresponding MPI function is `MPI_Irecv`.
    ///
    /// - Throws: ``TransportError/invalidRank(name:rank:size:)``,
    ///   ``TransportError/invalidTag(tag:upperBound:)``, ``TransportError/messageTooLarge(bytes:limit:)``.
    public func receive(
        into buffer: UnsafeMutableRawBufferPointer, from peer: Int, tag: Int
    ) throws(TransportError) -> TransportRequest {
        let (peer32, tag32, count) = try validate(peer: peer, tag: tag, bytes: buffer.count)
        if peer == rank {
            return Self.selfRequest(selfMessages.postReceive(_LoopbackBuffer(buffer), at: 0, from: 0, tag: tag))
        }
        let comm = comm
        var handle = _MPIRequestHandle(raw: cmpi_request_null())
        try _MPI.call("MPI_Irecv") {
            MPI_Irecv(buffer.baseAddress, count, cmpi_byte(), peer32, tag32, comm, &handle.raw)
        }
        return requests.withLock {
            $0.insert(handle, isReceive: true, peer: peer32, tag: tag32, bytes: buffer.count)
        }
    }

    /// Posts a send of `buffer` to `peer` with `tag`. The corresponding MPI function is `MPI_Isend`.
    ///
    /// - Throws: ``TransportError/invalidRank(name:rank:size:)``,
    ///   ``TransportError/invalidTag(tag:upperBound:)``, ``TransportError/messageTooLarge(bytes:limit:)``.
    public func send(
        _ buffer: UnsafeRawBufferPointer, to peer: Int, tag: Int
    ) throws(TransportError) -> TransportRequest {
        let (peer32, tag32, count) = try validate(peer: peer, tag: tag, bytes: buffer.count)
        if peer == rank {
            return Self.selfRequest(selfMessages.postSend(buffer, from: 0, to: 0, tag: tag))
        }
        let comm = comm
        var handle = _MPIRequestHandle(raw: cmpi_request_null())
        try _MPI.call("MPI_Isend") {
            MPI_Isend(buffer.baseAddress, count, cmpi_byte(), peer32, tag32, comm, &handle.raw)
        }
        return requests.withLock {
            $0.insert(handle, isReceive: false, peer: peer32, tag: tag32, bytes: buffer.count)
        }
    }

    /// Tests `requests` without blocking and reports those completed, with a size check on
    /// receives. The corresponding MPI function is `MPI_Testsome`.
    public func testSome(
        _ requests: [TransportRequest], completions: inout [TransportCompletion]
    ) throws(TransportError) {
        guard requests.contains(where: { $0.slot < 0 }) else {
            try self.requests.withLock { (table) throws(TransportError) in
                try table.testSome(requests, into: &completions)
            }
            return
        }
        // Some messages are to this rank itself: test those in the mailbox, the rest with MPI.
        var positions: [Int] = []
        var subset: [TransportRequest] = []
        var found: [TransportCompletion] = []
        for (position, request) in requests.enumerated() where request.slot >= 0 {
            positions.append(position)
            subset.append(request)
        }
        if !subset.isEmpty {
            try self.requests.withLock { (table) throws(TransportError) in
                try table.testSome(subset, into: &found)
            }
            for completion in found {
                completions.append(TransportCompletion(index: positions[completion.index], error: completion.error))
            }
        }
        positions.removeAll(keepingCapacity: true)
        subset.removeAll(keepingCapacity: true)
        found.removeAll(keepingCapacity: true)
        for (position, request) in requests.enumerated() where request.slot < 0 {
            positions.append(position)
            subset.append(TransportRequest(slot: -request.slot - 1, generation: request.generation))
        }
        do throws(TransportError) {
            try selfMessages.testSome(subset, at: 0, completions: &found)
        } catch .unknownRequest(let slot, let generation) {
            throw .unknownRequest(slot: -slot - 1, generation: generation)
        }
        for completion in found {
            completions.append(TransportCompletion(index: positions[completion.index], error: completion.error))
        }
    }

    /// A mailbox request as this communicator's (negative slot: a message to itself).
    private static func selfRequest(_ request: TransportRequest) -> TransportRequest {
        TransportRequest(slot: -request.slot - 1, generation: request.generation)
    }

    /// The number of posted requests not yet reported complete.
    public var outstandingRequests: Int {
        requests.withLock { $0.outstanding } + selfMessages.outstanding(at: 0)
    }

    private func validate(
        peer: Int, tag: Int, bytes: Int
    ) throws(TransportError) -> (Int32, Int32, Int32) {
        guard peer >= 0, peer < size else { throw .invalidRank(name: "peer", rank: peer, size: size) }
        guard tag >= 0, tag <= tagUpperBound else {
            throw .invalidTag(tag: tag, upperBound: tagUpperBound)
        }
        return (Int32(peer), Int32(tag), try _MPI.count(bytes))
    }
}
