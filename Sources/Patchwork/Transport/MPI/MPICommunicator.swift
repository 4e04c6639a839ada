internal import CMPI

/// A group of MPI ranks that exchange messages: Patchwork's distributed ``Transport``, plus the
/// collectives (barrier, all-reduce, broadcast, gather) that replicated metadata needs.
///
/// ```swift
/// let comm = try MPICommunicator.world()          // MPI_Init_thread on first use
/// let total = try comm.allReduce(localSum, .sum)  // MPI_Allreduce
/// let r = try comm.receive(into: ghost, from: (comm.rank + comm.size - 1) % comm.size, tag: 1)
/// let s = try comm.send(UnsafeRawBufferPointer(edge), to: (comm.rank + 1) % comm.size, tag: 1)
/// try comm.waitAll([r, s])
/// ```
///
/// Semantics: ``world()`` initialises MPI once per process with `MPI_Init_thread` asking for
/// `MPI_THREAD_MULTIPLE` and finalises it (`MPI_Finalize`) at exit; started without `mpirun` the
/// process is a single rank (Open MPI's singleton initialisation). The communicator is a duplicate
/// of `MPI_COMM_WORLD`, so Patchwork's messages never match the user's, and MPI errors are returned
/// (`MPI_ERRORS_RETURN`) and thrown as ``TransportError``. All methods are thread-safe: with
/// `MPI_THREAD_MULTIPLE` they call MPI concurrently, otherwise every MPI call takes one lock.
/// Collectives must be called by every rank in the same order with matching arguments, as in MPI.
/// Messages a rank sends to itself are copied in process, without MPI. Waiting (``Transport/wait(_:)``,
/// ``Transport/waitAll(_:)``) polls `MPI_Testsome`, spinning briefly and then yielding, so that
/// other threads can post and test messages meanwhile.
///
/// - Complexity: point-to-point posting is O(1) plus MPI's cost; collectives cost what MPI's do.
public final class MPICommunicator: Transport, @unchecked Sendable {
    let handle: _MPICommHandle
    /// The outstanding non-blocking requests.
    let requests: _Lock<_MPIRequestTable>
    /// Messages a rank sends to itself bypass MPI (Open MPI 4.1's self path corrupts memory or
    /// hangs when such a message is longer than its receive); their requests have negative slots.
    let selfMessages = _LoopbackMailbox(size: 1)

    /// This process's rank in the communicator (`MPI_Comm_rank`).
    public let rank: Int
    /// The number of ranks (`MPI_Comm_size`).
    public let size: Int
    /// The thread support MPI provided; below ``MPIThreadLevel/multiple`` calls are serialised.
    public let threadLevel: MPIThreadLevel
    /// The largest message tag MPI accepts (the `MPI_TAG_UB` attribute, at least 32767).
    public let tagUpperBound: Int

    var comm: MPI_Comm { handle.raw }

    init(handle: consuming _MPICommHandle, threadLevel: MPIThreadLevel) throws(TransportError) {
        let comm = handle.raw
        var rank: Int32 = 0
        var size: Int32 = 0
        try _MPI.call("MPI_Comm_rank") { MPI_Comm_rank(comm, &rank) }
        try _MPI.call("MPI_Comm_size") { MPI_Comm_size(comm, &size) }
        var value: UnsafeMutableRawPointer? = nil
        var flag: Int32 = 0
        try _MPI.call("MPI_Comm_get_attr") {
            MPI_Comm_get_attr(comm, cmpi_tag_ub_key(), &value, &flag)
        }
        let upperBound = flag != 0 ? value.map { Int($0.load(as: Int32.self)) } ?? 32767 : 32767
        self.handle = handle
        self.rank = Int(rank)
        self.size = Int(size)
        self.threadLevel = threadLevel
        self.tagUpperBound = upperBound
        self.requests = _Lock(_MPIRequestTable())
    }

    /// The communicator of all ranks started together (a duplicate of `MPI_COMM_WORLD`);
    /// initialises MPI on first use (`MPI_Init_thread`, asking for `MPI_THREAD_MULTIPLE`).
    ///
    /// - Throws: ``TransportError/mpi(function:code:message:)`` when MPI cannot start,
    ///   ``TransportError/finalized`` after MPI was finalised.
    public static func world() throws(TransportError) -> MPICommunicator {
        try _MPIEnvironment.world.get()
    }

    /// Blocks until every rank has called it. The corresponding MPI function is `MPI_Barrier`.
    public func barrier() throws(TransportError) {
        let comm = comm
        try _MPI.call("MPI_Barrier") { MPI_Barrier(comm) }
    }

    /// Ends every rank's process at once with `code` (`MPI_Abort`): for errors after which the
    /// other ranks could wait forever.
    public func abort(code: Int32) -> Never {
        let comm = comm
        _ = _MPI.raw { MPI_Abort(comm, code) }
        fatalError("MPI_Abort returned")
    }

    /// Throws on every rank when any rank passes `false`, so that all ranks leave a failed phase
    /// together instead of some waiting forever. The corresponding MPI function is `MPI_Allreduce`.
    ///
    /// - Throws: ``TransportError/failedOnRanks(firstRank:failingRanks:)`` on every rank.
    public func agreeOnSuccess(_ succeeded: Bool) throws(TransportError) {
        let first = try allReduce(succeeded ? size : rank, .min)
        guard first < size else { return }
        let failing = try allReduce(succeeded ? 0 : 1, .sum)
        throw .failedOnRanks(firstRank: first, failingRanks: failing)
    }
}
