import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// The HDF5 files open in this process, so that a process can still exit cleanly after HDF5
/// failed to close one (guarded by ``_HDF5/lock``).
///
/// HDF5 before 1.14 (Debian's 1.10.8 here) frees a file whose close failed — on a full disk the
/// close's metadata flush fails — but leaves its identifier registered; the library's own
/// termination (its `atexit` handler, or its `MPI_Finalize` hook under MPI) then closes it again
/// and the process crashes after the program has already reported the typed error. After such a
/// failure, ``prepareForExit()`` (an `atexit` handler registered when the library is opened, so it
/// runs before HDF5's and before `MPI_Finalize`) flushes and closes the other files a program left
/// open, then tells HDF5 that it is already terminated.
struct _HDF5OpenFiles {
    /// The open file identifiers, each with whether every rank of a communicator opened it
    /// (collective files are left to HDF5: flushing them needs every rank).
    private var files: [hid_t: Bool] = [:]
    /// True once a file failed to close (its identifier now dangles).
    private var closeFailed = false

    mutating func opened(_ id: hid_t) { files[id] = false }

    mutating func markCollective(_ id: hid_t) { files[id] = true }

    /// Records the end of `close(id)`, which returned `status`.
    mutating func closed(_ id: hid_t, status: herr_t) {
        files[id] = nil
        if status < 0 { closeFailed = true }
    }

    /// After a failed close: flushes and closes the files still open on this process alone, then
    /// makes HDF5's termination a no-op. Nothing to do otherwise.
    mutating func prepareForExit() {
        guard closeFailed else { return }
        for (id, collective) in files where !collective {
            _ = H5Fflush(id, H5F_SCOPE_GLOBAL)
            _ = H5Fclose(id)
        }
        files = [:]
        _ = pw_H5_skip_termination()
    }
}
