import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// The one internal shim over the HDF5 C library: every call goes through ``call(_:_:_:)``, which
/// holds the process-wide HDF5 lock (Debian's parallel HDF5 is not built thread-safe) and maps a
/// negative return code to ``IOError/hdf5(call:path:code:)``. The lock also guards the list of
/// open files (``_HDF5OpenFiles``).
internal enum _HDF5 {
    static let lock = _Lock(_HDF5OpenFiles())

    /// Opens the library once, turns off its printing of error stacks, and registers the exit
    /// handler that keeps a failed file close from crashing the exit (after HDF5's own handler,
    /// so it runs before it).
    static let initialized: Bool = lock.withLock { _ in
        guard H5open() >= 0 && pw_H5_silence_errors() >= 0 else { return false }
        atexit { _HDF5.lock.withLock { $0.prepareForExit() } }
        return true
    }

    /// Runs one HDF5 call under the lock; a negative result throws naming the call and the path.
    @inline(__always)
    static func call<T: BinaryInteger & Sendable>(_ name: StaticString, _ path: String,
                                                  _ body: () -> T) throws(IOError) -> T {
        _ = initialized
        let result = lock.withLock { _ in body() }
        if result < 0 { throw .hdf5(call: "\(name)", path: path, code: Int(result)) }
        return result
    }

    /// Runs one HDF5 call that writes to the file, under the lock: a negative result throws
    /// ``IOError/system(call:path:errno:)`` when the file system refused the write (full disk,
    /// quota, file-size limit, I/O error: the `errno` the call left), else
    /// ``IOError/hdf5(call:path:code:)``.
    static func writing(_ name: StaticString, _ path: String, _ body: () -> herr_t) throws(IOError) {
        _ = initialized
        let (status, error) = lock.withLock { _ -> (herr_t, Int32) in
            errno = 0
            let status = body()
            return (status, errno)
        }
        guard status < 0 else { return }
        if [ENOSPC, EFBIG, EDQUOT, EIO, EROFS].contains(error) { throw .system(call: "\(name)", path: path, errno: error) }
        throw .hdf5(call: "\(name)", path: path, code: Int(status))
    }

    /// Runs one HDF5 call under the lock, without checking its result.
    @inline(__always)
    static func unchecked<T: Sendable>(_ body: () -> T) -> T {
        _ = initialized
        return lock.withLock { _ in body() }
    }

    /// The native HDF5 type of an element type.
    static func nativeType(_ type: ElementType) -> hid_t {
        unchecked {
            switch type {
            case .float32: pw_H5T_NATIVE_FLOAT()
            case .float64: pw_H5T_NATIVE_DOUBLE()
            case .int8: pw_H5T_NATIVE_INT8()
            case .int16: pw_H5T_NATIVE_INT16()
            case .int32: pw_H5T_NATIVE_INT32()
            case .int64: pw_H5T_NATIVE_INT64()
            case .uint8: pw_H5T_NATIVE_UINT8()
            case .uint16: pw_H5T_NATIVE_UINT16()
            case .uint32: pw_H5T_NATIVE_UINT32()
            case .uint64: pw_H5T_NATIVE_UINT64()
            }
        }
    }

    /// The element type of an HDF5 datatype, or nil when Patchwork has no such element.
    static func elementType(of type: hid_t) -> ElementType? {
        unchecked { () -> ElementType? in
            let size = H5Tget_size(type)
            switch H5Tget_class(type) {
            case H5T_FLOAT: return size == 4 ? .float32 : size == 8 ? .float64 : nil
            case H5T_INTEGER:
                let signed = H5Tget_sign(type) == H5T_SGN_2
                switch (size, signed) {
                case (1, true): return .int8
                case (2, true): return .int16
                case (4, true): return .int32
                case (8, true): return .int64
                case (1, false): return .uint8
                case (2, false): return .uint16
                case (4, false): return .uint32
                case (8, false): return .uint64
                default: return nil
                }
            default: return nil
            }
        }
    }
}

/// An open HDF5 identifier that closes itself: Parthenon's `H5Handle<&H5Dclose>` as a `~Copyable`
/// struct. The `deinit` calls the close function of its kind (`H5Fclose`, `H5Dclose`, ...).
internal struct _HDF5Handle: ~Copyable {
    enum Kind { case file, dataset, dataspace, datatype, attribute, propertyList, group }

    let id: hid_t
    let kind: Kind

    /// Takes ownership of `id`, the result of an HDF5 call named `name`; throws if it is negative.
    init(_ kind: Kind, _ name: StaticString, _ path: String, _ open: () -> hid_t) throws(IOError) {
        self.id = try _HDF5.call(name, path, open)
        self.kind = kind
        if kind == .file { _HDF5.lock.withLock { [id] in $0.opened(id) } }
    }

    deinit {
        let id = id, kind = kind
        _HDF5.lock.withLock { files in
            switch kind {
            case .file: files.closed(id, status: H5Fclose(id))
            case .dataset: _ = H5Dclose(id)
            case .dataspace: _ = H5Sclose(id)
            case .datatype: _ = H5Tclose(id)
            case .attribute: _ = H5Aclose(id)
            case .propertyList: _ = H5Pclose(id)
            case .group: _ = H5Gclose(id)
            }
        }
    }
}

/// How an HDF5 file is accessed: one process (the sec2 driver), or every rank of an MPI
/// communicator on one shared file (the MPI-IO driver, `H5Pset_fapl_mpio`).
///
/// ```swift
/// let store = try HDF5Store.create(at: "out.h5", access: .serial)
/// let comm = try MPICommunicator.world()
/// let shared = try HDF5Store.create(at: "out.h5", access: .mpi(comm))   // collective: every rank
/// ```
///
/// With `.mpi`, opening, creating, closing, resizing, attributes and flushes are collective (every
/// rank calls them, in the same order, with the same arguments), and so is every array write: it
/// is an `H5Dwrite` with `H5FD_MPIO_COLLECTIVE` transfer, so every rank makes the same number of
/// write calls (a rank with nothing to write passes an empty box; ``IOMover`` does this for you).
/// Reads are independent. Equality compares the mode and the communicator's identity.
public enum HDF5FileAccess: Sendable, Equatable {
    /// The default (sec2) driver, one process.
    case serial
    /// Parallel HDF5 over MPI-IO on the ranks of `communicator`, collective writes.
    case mpi(MPICommunicator)

    public static func == (a: HDF5FileAccess, b: HDF5FileAccess) -> Bool {
        switch (a, b) {
        case (.serial, .serial): true
        case let (.mpi(x), .mpi(y)): x === y
        default: false
        }
    }

    /// The communicator of `.mpi`, nil for `.serial`.
    public var communicator: MPICommunicator? {
        if case let .mpi(comm) = self { comm } else { nil }
    }

    /// A new file-access property list for this mode (the corresponding HDF5 functions are
    /// `H5Pcreate(H5P_FILE_ACCESS)` and, for `.mpi`, `H5Pset_fapl_mpio`).
    internal func propertyList(path: String) throws(IOError) -> _HDF5Handle {
        let fapl = try _HDF5Handle(.propertyList, "H5Pcreate(H5P_FILE_ACCESS)", path) { H5Pcreate(pw_H5P_FILE_ACCESS()) }
        if case let .mpi(comm) = self {
            guard pw_H5_have_parallel() != 0 else { throw .unsupported(path: path, feature: "MPI access (HDF5 built without parallel support)") }
            let raw = comm.comm
            _ = try _HDF5.call("H5Pset_fapl_mpio", path) { pw_H5Pset_fapl_mpio(fapl.id, raw) }
        }
        return fapl
    }

    /// The data-transfer property list of array writes: collective MPI-IO for `.mpi`, the
    /// defaults for `.serial`.
    internal func writeTransfer(path: String) throws(IOError) -> _HDF5Handle {
        let dxpl = try _HDF5Handle(.propertyList, "H5Pcreate(H5P_DATASET_XFER)", path) { H5Pcreate(pw_H5P_DATASET_XFER()) }
        if case .mpi = self {
            _ = try _HDF5.call("H5Pset_dxpl_mpio", path) { pw_H5Pset_dxpl_mpio_collective(dxpl.id) }
        }
        return dxpl
    }
}
