import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// An HDF5 file holding named arrays (datasets) and root attributes: the HDF5 backend's store.
///
/// ```swift
/// let store = try HDF5Store.create(at: "/tmp/run.h5")
/// let t = try FileArray<Float, 3>.create(in: store, name: "fields/T", shape: Point(8, 64, 64),
///                                        options: .init(chunks: Point(1, 64, 64), compression: .deflate(level: 4)))
/// try store.flush(durable: true)
/// ```
///
/// Datasets are chunked (optionally deflate-compressed, Fletcher-32 checked) or contiguous when
/// one chunk covers the whole fixed-size array. h5py reads the files directly. The file closes
/// when the store and every array opened from it are released. With `access: .mpi(comm)` every
/// rank opens the same file through MPI-IO and array writes are collective (see
/// ``HDF5FileAccess``). Not thread-safe; HDF5 calls are serialised process-wide.
public final class HDF5Store: FileStore {
    public let path: String
    internal let file: _HDF5Handle
    internal let writable: Bool
    /// How the file is accessed: one process, or collectively by the ranks of a communicator.
    public let access: HDF5FileAccess
    /// The data-transfer property list of array writes (collective MPI-IO under `.mpi`).
    internal let writeTransfer: _HDF5Handle

    private init(path: String, file: consuming _HDF5Handle, writable: Bool, access: HDF5FileAccess) throws(IOError) {
        self.writeTransfer = try access.writeTransfer(path: path)
        if access.communicator != nil { _HDF5.lock.withLock { [id = file.id] in $0.markCollective(id) } }
        self.path = path
        self.file = file
        self.writable = writable
        self.access = access
    }

    /// Creates a new HDF5 file at `path`; with `overwrite` an existing file is replaced, otherwise
    /// ``IOError/alreadyExists(path:)`` is thrown. The corresponding HDF5 function is `H5Fcreate`.
    public static func create(at path: String, overwrite: Bool = true,
                              access: HDF5FileAccess = .serial) throws(IOError) -> HDF5Store {
        if !overwrite, _FileSystem.exists(path) { throw .alreadyExists(path: path) }
        // Probe with open(2) so an unwritable path gives a typed errno, not a bare HDF5 failure.
        let probe = Glibc.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard probe >= 0 else { throw _FileSystem.failure("open", path) }
        Glibc.close(probe)
        let fapl = try access.propertyList(path: path)
        let file = try _HDF5Handle(.file, "H5Fcreate", path) {
            H5Fcreate(path, pw_H5F_ACC_TRUNC(), pw_H5P_DEFAULT(), fapl.id)
        }
        return try HDF5Store(path: path, file: file, writable: true, access: access)
    }

    /// Opens an existing HDF5 file; ``IOError/fileNotFound(path:)`` when there is none,
    /// ``IOError/system(call:path:errno:)`` when it cannot be opened at all (`open(2)` fails),
    /// ``IOError/corrupt(path:reason:)`` when it is not an HDF5 file or HDF5 cannot open it
    /// (truncated or damaged). The HDF5 function is `H5Fopen`.
    public static func open(at path: String, writable: Bool = true,
                            access: HDF5FileAccess = .serial) throws(IOError) -> HDF5Store {
        guard _FileSystem.exists(path) else { throw .fileNotFound(path: path) }
        // Probe with open(2) so an unreadable path gives a typed errno, not "corrupt".
        let probe = Glibc.open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC)
        guard probe >= 0 else { throw _FileSystem.failure("open", path) }
        Glibc.close(probe)
        guard _HDF5.unchecked({ H5Fis_hdf5(path) }) > 0 else { throw .corrupt(path: path, reason: "not an HDF5 file") }
        let fapl = try access.propertyList(path: path)
        let flags = writable ? pw_H5F_ACC_RDWR() : pw_H5F_ACC_RDONLY()
        let file = try openFile(path, flags: flags, fapl: fapl.id)
        return try HDF5Store(path: path, file: file, writable: writable, access: access)
    }

    /// `H5Fopen` of a file known to exist and to start like an HDF5 file: a failure means the
    /// file is truncated or damaged.
    private static func openFile(_ path: String, flags: UInt32, fapl: hid_t) throws(IOError) -> _HDF5Handle {
        do {
            return try _HDF5Handle(.file, "H5Fopen", path) { H5Fopen(path, flags, fapl) }
        } catch {
            throw .corrupt(path: path, reason: "HDF5 cannot open it (H5Fopen failed: a truncated or damaged file)")
        }
    }

    public func createArray(_ name: String, _ description: FileArrayDescription) throws(IOError) -> any FileInterface {
        try HDF5Array.create(in: self, name: name, description)
    }

    public func openArray(_ name: String) throws(IOError) -> any FileInterface {
        try HDF5Array.open(in: self, name: name)
    }

    /// True when a link `name` exists (intermediate groups included).
    internal func exists(_ name: String) throws(IOError) -> Bool {
        var prefix = ""
        for part in name.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + part
            let p = prefix
            guard try _HDF5.call("H5Lexists", path, { H5Lexists(file.id, p, pw_H5P_DEFAULT()) }) > 0 else { return false }
        }
        return !prefix.isEmpty
    }

    /// The paths of every dataset in the file, nested groups included (`fields/a`), sorted;
    /// netCDF pure dimensions (dimension scales without data) are left out.
    public func arrayNames() throws(IOError) -> [String] {
        var names: [String] = []
        try visit(group: ".", prefix: "", depth: 0, into: &names)
        return names.sorted()
    }

    /// Adds the datasets under `group` (recursively, at most 64 groups deep: hard links can
    /// make cycles) to `names`, as `prefix` + link name.
    private func visit(group: String, prefix: String, depth: Int, into names: inout [String]) throws(IOError) {
        guard depth < 64 else { return }
        var info = H5G_info_t()
        _ = try _HDF5.call("H5Gget_info_by_name", path) { H5Gget_info_by_name(file.id, group, &info, pw_H5P_DEFAULT()) }
        for i in 0..<info.nlinks {
            let length = try _HDF5.call("H5Lget_name_by_idx", path) {
                H5Lget_name_by_idx(file.id, group, H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, pw_H5P_DEFAULT())
            }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = try _HDF5.call("H5Lget_name_by_idx", path) {
                H5Lget_name_by_idx(file.id, group, H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, pw_H5P_DEFAULT())
            }
            let name = prefix + String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let object = try _HDF5.call("H5Oopen", path) { H5Oopen(file.id, name, pw_H5P_DEFAULT()) }
            defer { _ = _HDF5.unchecked { H5Oclose(object) } }
            switch _HDF5.unchecked({ H5Iget_type(object) }) {
            case H5I_GROUP: try visit(group: name, prefix: name + "/", depth: depth + 1, into: &names)
            case H5I_DATASET: if try !HDF5Array.isPureDimension(object, path: path) { names.append(name) }
            default: break
            }
        }
    }

    public func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError) {
        try _HDF5Attributes.set(name, value, on: file.id, path: path)
    }

    public func attribute(_ name: String) throws(IOError) -> FileAttribute? {
        try _HDF5Attributes.get(name, on: file.id, path: path)
    }

    /// Flushes HDF5's buffers (`H5Fflush`) and, with `durable`, fsyncs the file.
    public func flush(durable: Bool = false) throws(IOError) {
        try _HDF5.writing("H5Fflush", path) { H5Fflush(file.id, H5F_SCOPE_GLOBAL) }
        if durable { try _FileSystem.sync(path) }
    }
}
