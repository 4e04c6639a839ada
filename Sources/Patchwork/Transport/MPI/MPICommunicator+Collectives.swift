import CMPI

extension MPICommunicator {
    /// Combines `value` across all ranks; every rank gets the result.
    /// The corresponding MPI function is `MPI_Allreduce`.
    public func allReduce<T: ReductionElement>(
        _ value: T, _ operation: ReductionOperation
    ) throws(TransportError) -> T {
        var input = value
        var output = value
        let comm = comm
        try _MPI.call("MPI_Allreduce") {
            MPI_Allreduce(&input, &output, 1, T.reductionKind.datatype, operation.op, comm)
        }
        return output
    }

    /// Combines `values` element-wise across all ranks (every rank passes the same count); every
    /// rank gets the result. The corresponding MPI function is `MPI_Allreduce` with `MPI_IN_PLACE`.
    ///
    /// - Complexity: O(count) memory for the result, plus MPI's cost.
    public func allReduce<T: ReductionElement>(
        _ values: [T], _ operation: ReductionOperation
    ) throws(TransportError) -> [T] {
        guard !values.isEmpty else { return values }
        var result = values
        let count = try _MPI.count(values.count)
        let comm = comm
        let code = result.withUnsafeMutableBytes { bytes in
            _MPI.raw {
                MPI_Allreduce(
                    cmpi_in_place(), bytes.baseAddress, count, T.reductionKind.datatype, operation.op,
                    comm)
            }
        }
        try _MPI.check("MPI_Allreduce", code)
        return result
    }

    /// Copies `root`'s `value` to every rank. The corresponding MPI function is `MPI_Bcast`.
    public func broadcast<T: BitwiseCopyable>(_ value: T, root: Int) throws(TransportError) -> T {
        var array = [value]
        try broadcast(&array, root: root)
        return array[0]
    }

    /// Replaces `values` on every rank by `root`'s (the count too, so other ranks may pass any
    /// array). The corresponding MPI function is `MPI_Bcast` (once for the count, once for data).
    ///
    /// - Throws: ``TransportError/invalidRank(name:rank:size:)`` for a bad root,
    ///   ``TransportError/messageTooLarge(bytes:limit:)`` beyond 2 GiB.
    public func broadcast<T: BitwiseCopyable>(_ values: inout [T], root: Int) throws(TransportError) {
        let root32 = try checkRoot(root)
        let comm = comm
        var count = Int64(values.count)
        try _MPI.call("MPI_Bcast") { MPI_Bcast(&count, 1, cmpi_int64_t(), root32, comm) }
        let bytes = try _MPI.count(Int(count) * MemoryLayout<T>.stride)
        if rank != root {
            values = [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
                // Zero the storage so an MPI failure leaves defined bytes.
                UnsafeMutableRawBufferPointer(buffer).initializeMemory(as: UInt8.self, repeating: 0)
                initialized = Int(count)
            }
        }
        guard bytes > 0 else { return }
        let code = values.withUnsafeMutableBytes { raw in
            _MPI.raw { MPI_Bcast(raw.baseAddress, bytes, cmpi_byte(), root32, comm) }
        }
        try _MPI.check("MPI_Bcast", code)
    }

    /// Collects every rank's `values` (of any length) on `root`, in rank order; other ranks get an
    /// empty array. The corresponding MPI functions are `MPI_Gather` (counts) and `MPI_Gatherv`.
    ///
    /// - Complexity: O(total size) on the root.
    public func gather<T: BitwiseCopyable>(
        _ values: [T], root: Int
    ) throws(TransportError) -> [[T]] {
        let root32 = try checkRoot(root)
        let comm = comm
        var myBytes = try _MPI.count(values.count * MemoryLayout<T>.stride)
        var counts = [Int32](repeating: 0, count: rank == root ? size : 1)
        try _MPI.call("MPI_Gather") {
            MPI_Gather(&myBytes, 1, cmpi_int32_t(), &counts, 1, cmpi_int32_t(), root32, comm)
        }
        let (displacements, total) = rank == root ? try layout(counts) : ([0], 0)
        var gathered = [UInt8](repeating: 0, count: Swift.max(total, 1))
        let code = values.withUnsafeBytes { mine in
            _MPI.raw {
                MPI_Gatherv(
                    mine.baseAddress, myBytes, cmpi_byte(), &gathered, &counts, displacements,
                    cmpi_byte(), root32, comm)
            }
        }
        try _MPI.check("MPI_Gatherv", code)
        return rank == root ? split(gathered, counts: counts, displacements: displacements) : []
    }

    /// Collects every rank's `values` (of any length) on every rank, in rank order.
    /// The corresponding MPI functions are `MPI_Allgather` (counts) and `MPI_Allgatherv`.
    ///
    /// - Complexity: O(total size) on every rank.
    public func allGather<T: BitwiseCopyable>(_ values: [T]) throws(TransportError) -> [[T]] {
        let comm = comm
        var myBytes = try _MPI.count(values.count * MemoryLayout<T>.stride)
        var counts = [Int32](repeating: 0, count: size)
        try _MPI.call("MPI_Allgather") {
            MPI_Allgather(&myBytes, 1, cmpi_int32_t(), &counts, 1, cmpi_int32_t(), comm)
        }
        let (displacements, total) = try layout(counts)
        var gathered = [UInt8](repeating: 0, count: Swift.max(total, 1))
        let code = values.withUnsafeBytes { mine in
            _MPI.raw {
                MPI_Allgatherv(
                    mine.baseAddress, myBytes, cmpi_byte(), &gathered, &counts, displacements,
                    cmpi_byte(), comm)
            }
        }
        try _MPI.check("MPI_Allgatherv", code)
        return split(gathered, counts: counts, displacements: displacements)
    }

    private func checkRoot(_ root: Int) throws(TransportError) -> Int32 {
        guard root >= 0, root < size else { throw .invalidRank(name: "root", rank: root, size: size) }
        return Int32(root)
    }

    /// Displacements of consecutive blocks of `counts` bytes, and their total (which must fit 32 bits).
    private func layout(_ counts: [Int32]) throws(TransportError) -> ([Int32], Int) {
        var displacements = [Int32](repeating: 0, count: counts.count)
        var total = 0
        for (i, count) in counts.enumerated() {
            displacements[i] = try _MPI.count(total)
            total += Int(count)
        }
        _ = try _MPI.count(total)
        return (displacements, total)
    }

    private func split<T: BitwiseCopyable>(
        _ bytes: [UInt8], counts: [Int32], displacements: [Int32]
    ) -> [[T]] {
        bytes.withUnsafeBytes { raw in
            counts.indices.map { i in
                let n = Int(counts[i]) / MemoryLayout<T>.stride
                return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                    if n > 0 {
                        UnsafeMutableRawBufferPointer(buffer).copyMemory(
                            from: UnsafeRawBufferPointer(
                                rebasing: raw[Int(displacements[i])..<Int(displacements[i]) + Int(counts[i])]))
                    }
                    initialized = n
                }
            }
        }
    }
}
