import CMPI

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
        try self.requests.withLock { (table) throws(TransportError) in
            try table.testSome(requests, into: &completions)
        }
    }

    /// The number of posted requests not yet reported complete.
    public var outstandingRequests: Int { requests.withLock { $0.outstanding } }

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
