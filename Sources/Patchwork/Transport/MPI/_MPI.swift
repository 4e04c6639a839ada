internal import CMPI

/// The one place where Patchwork calls Open MPI: each call goes through ``call(_:_:)``, which
/// serialises it when MPI lacks `MPI_THREAD_MULTIPLE` and maps a non-success code to a typed
/// ``TransportError`` carrying MPI's message.
internal enum _MPI {
    /// Serialises MPI calls when the library was not initialised with `MPI_THREAD_MULTIPLE`.
    /// Lock order: a communicator's request table, then this gate.
    static let gate = _Lock<Void>(())
    /// Set once, before any other thread can call MPI, by ``_MPIEnvironment``.
    nonisolated(unsafe) static var serializes = true

    /// Runs one MPI call (under the gate when calls are serialised) and returns its code.
    @inline(__always)
    static func raw(_ body: () -> Int32) -> Int32 {
        if serializes {
            return gate.withLock { _ in body() }
        }
        return body()
    }

    /// Runs one MPI call and throws ``TransportError/mpi(function:code:message:)`` on failure.
    @inline(__always)
    static func call(_ function: StaticString, _ body: () -> Int32) throws(TransportError) {
        let code = raw(body)
        if code != MPI_SUCCESS { throw error(function, code) }
    }

    /// Throws ``TransportError/mpi(function:code:message:)`` when `code` is not `MPI_SUCCESS`.
    @inline(__always)
    static func check(_ function: StaticString, _ code: Int32) throws(TransportError) {
        if code != MPI_SUCCESS { throw error(function, code) }
    }

    /// The typed error for `code` returned by `function`.
    @inline(never)
    static func error(_ function: StaticString, _ code: Int32) -> TransportError {
        .mpi(function: "\(function)", code: code, message: message(code))
    }

    /// MPI's description of an error code (`MPI_Error_string`).
    static func message(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        guard MPI_Error_string(code, &buffer, &length) == MPI_SUCCESS else {
            return "unknown MPI error"
        }
        return buffer.withUnsafeBufferPointer { raw in
            String(decoding: raw.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The MPI error class of `code` (`MPI_Error_class`), e.g. `MPI_ERR_TRUNCATE`.
    static func errorClass(_ code: Int32) -> Int32 {
        var result: Int32 = 0
        return MPI_Error_class(code, &result) == MPI_SUCCESS ? result : code
    }

    /// Whether MPI has been finalised (`MPI_Finalized`); safe to call at any time.
    static var isFinalized: Bool {
        var flag: Int32 = 0
        MPI_Finalized(&flag)
        return flag != 0
    }

    /// Checks that a byte count fits one MPI call's 32-bit count.
    @inline(__always)
    static func count(_ bytes: Int) throws(TransportError) -> Int32 {
        guard let count = Int32(exactly: bytes), count >= 0 else {
            throw .messageTooLarge(bytes: bytes, limit: Int(Int32.max))
        }
        return count
    }
}

/// A request handle that may cross into the request table's lock (MPI handles are plain pointers).
internal struct _MPIRequestHandle: @unchecked Sendable {
    var raw: MPI_Request?
}

/// An owned MPI communicator handle: `deinit` frees it with `MPI_Comm_free` unless MPI has been
/// finalised already (which frees every communicator).
internal struct _MPICommHandle: ~Copyable, @unchecked Sendable {
    let raw: MPI_Comm

    /// Duplicates `parent` (`MPI_Comm_dup`) so Patchwork's traffic never matches the user's, and
    /// makes errors return codes instead of aborting (`MPI_Comm_set_errhandler`).
    init(duplicating parent: MPI_Comm) throws(TransportError) {
        var comm: MPI_Comm? = cmpi_comm_null()
        try _MPI.call("MPI_Comm_dup") { MPI_Comm_dup(parent, &comm) }
        guard let duplicate = comm else { throw _MPI.error("MPI_Comm_dup", MPI_ERR_INTERN) }
        let code = _MPI.raw { MPI_Comm_set_errhandler(duplicate, cmpi_errors_return()) }
        if code != MPI_SUCCESS {
            _ = _MPI.raw { MPI_Comm_free(&comm) }
            throw _MPI.error("MPI_Comm_set_errhandler", code)
        }
        raw = duplicate
    }

    deinit {
        guard !_MPI.isFinalized else { return }
        var comm: MPI_Comm? = raw
        _ = _MPI.raw { MPI_Comm_free(&comm) }
    }
}
