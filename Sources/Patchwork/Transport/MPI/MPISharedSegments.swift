internal import CMPI

/// One shared-memory segment per rank of a communicator whose ranks all run on one node
/// (MPI-3 `MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)` + `MPI_Win_allocate_shared`): every rank
/// can read and write every rank's segment directly.
///
/// Semantics: built collectively by ``MPICommunicator/sharedSegments(bytes:)``; nil when the ranks
/// span several nodes. Freed collectively by ``free()``, never by `deinit` (`MPI_Win_free` is
/// collective, and a rank that drops its exchange early must not hang the others): segments not
/// freed stay mapped until the process ends. Cost: one collective split and one collective
/// allocation per call.
internal final class _MPISharedSegments: @unchecked Sendable {
    /// The base address of every rank's segment, in rank order.
    let bases: [UnsafeMutableRawPointer]
    /// The byte size of every rank's segment.
    let sizes: [Int]
    private var window: MPI_Win?
    private var node: MPI_Comm?

    init(bases: [UnsafeMutableRawPointer], sizes: [Int], window: MPI_Win?, node: MPI_Comm?) {
        self.bases = bases
        self.sizes = sizes
        self.window = window
        self.node = node
    }

    /// Collectively unmaps the segments (`MPI_Win_free`, then frees the node communicator); the
    /// base addresses are invalid afterwards.
    func free() throws(TransportError) {
        try _MPI.call("MPI_Win_free") { MPI_Win_free(&window) }
        try _MPI.call("MPI_Comm_free") { MPI_Comm_free(&node) }
    }
}

extension MPICommunicator {
    /// Collectively allocates `bytes` of shared memory on this rank (each rank may ask for a
    /// different size) and maps every rank's segment; nil on every rank when the ranks do not
    /// all share one node. The corresponding MPI functions are `MPI_Comm_split_type`,
    /// `MPI_Win_allocate_shared` and `MPI_Win_shared_query`.
    func sharedSegments(bytes: Int) throws(TransportError) -> _MPISharedSegments? {
        let comm = comm
        var node: MPI_Comm? = cmpi_comm_null()
        try _MPI.call("MPI_Comm_split_type") {
            MPI_Comm_split_type(comm, cmpi_comm_type_shared(), Int32(rank), cmpi_info_null(), &node)
        }
        var nodeSize: Int32 = 0
        try _MPI.call("MPI_Comm_size") { MPI_Comm_size(node, &nodeSize) }
        guard Int(nodeSize) == size else {
            _ = _MPI.raw { MPI_Comm_free(&node) }
            return nil
        }
        var base: UnsafeMutableRawPointer? = nil
        var window: MPI_Win? = cmpi_win_null()
        // Sizes in whole cache lines keep every rank's segment 64-byte aligned when MPI lays
        // them out contiguously.
        let rounded = max(64, (bytes + 63) / 64 * 64)
        try _MPI.call("MPI_Win_allocate_shared") {
            MPI_Win_allocate_shared(MPI_Aint(rounded), 1, cmpi_info_null(), node, &base, &window)
        }
        var bases: [UnsafeMutableRawPointer] = []
        var sizes: [Int] = []
        for r in 0..<size {
            var segmentSize: MPI_Aint = 0
            var unit: Int32 = 0
            var pointer: UnsafeMutableRawPointer? = nil
            try _MPI.call("MPI_Win_shared_query") { MPI_Win_shared_query(window, Int32(r), &segmentSize, &unit, &pointer) }
            guard let pointer else { throw .mpi(function: "MPI_Win_shared_query", code: -1, message: "no segment for rank \(r)") }
            bases.append(pointer)
            sizes.append(Int(segmentSize))
        }
        return _MPISharedSegments(bases: bases, sizes: sizes, window: window, node: node)
    }
}

/// An acquire load of a flag in shared memory (not inlined: also a compiler barrier).
@usableFromInline
func _sharedFlagLoad(_ p: UnsafeMutablePointer<UInt64>) -> UInt64 { cmpi_load_acquire(p) }

/// A release store of a flag in shared memory.
@usableFromInline
func _sharedFlagStore(_ p: UnsafeMutablePointer<UInt64>, _ value: UInt64) { cmpi_store_release(p, value) }
