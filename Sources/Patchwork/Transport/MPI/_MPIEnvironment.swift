import CMPI

#if canImport(Glibc)
import Glibc
#endif

/// MPI's process-wide state: initialised once on first use (`MPI_Init_thread` asking for
/// `MPI_THREAD_MULTIPLE`), finalised when the process exits (`MPI_Finalize` from an `atexit`
/// handler). Started without `mpirun`, Open MPI's singleton initialisation makes one rank.
internal enum _MPIEnvironment {
    /// The world communicator, or why MPI could not start. Initialised once, thread-safely.
    static let world: Result<MPICommunicator, TransportError> = Result { () throws(TransportError) in
        try start()
    }

    private static func start() throws(TransportError) -> MPICommunicator {
        var initialized: Int32 = 0
        MPI_Initialized(&initialized)
        var provided: Int32 = 0
        if initialized != 0 {
            // Someone else (the user's program) initialised MPI; use what it got.
            MPI_Query_thread(&provided)
        } else {
            if _MPI.isFinalized { throw .finalized }
            let code = MPI_Init_thread(nil, nil, cmpi_thread_multiple(), &provided)
            if code != MPI_SUCCESS { throw _MPI.error("MPI_Init_thread", code) }
            atexit { _MPIEnvironment.finalizeAtExit() }
        }
        let level = MPIThreadLevel(mpiValue: provided)
        _MPI.serializes = level < .multiple
        try _MPI.call("MPI_Comm_set_errhandler") {
            MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return())
        }
        return try MPICommunicator(
            handle: _MPICommHandle(duplicating: cmpi_comm_world()), threadLevel: level)
    }

    /// Finalises MPI at process exit (`MPI_Finalize`), unless something else did already.
    static func finalizeAtExit() {
        guard !_MPI.isFinalized else { return }
        _ = _MPI.raw { MPI_Finalize() }
    }
}
