/// What went wrong reading or writing a file array: each case names the file and the offending
/// values, so the message alone says what to fix.
///
/// ```swift
/// do { _ = try ZarrStore.open(at: "missing.zarr") }
/// catch .fileNotFound(let path) { print("no store at \(path)") }
/// ```
///
/// Every operation of the IO layer throws this type (`throws(IOError)`); bad input never traps and
/// never damages data that was already written.
public enum IOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file or directory at `path`.
    case fileNotFound(path: String)
    /// A store or array that was to be created exists already.
    case alreadyExists(path: String)
    /// A system call (or an HDF5 call whose write failed in one) failed; `errno` is the C error
    /// number (e.g. 28 = ENOSPC, 27 = EFBIG, 20 = ENOTDIR, 13 = EACCES).
    case system(call: String, path: String, errno: Int32)
    /// An HDF5 library call returned a negative code.
    case hdf5(call: String, path: String, code: Int)
    /// The array in the file holds another element type than the one asked for.
    case elementTypeMismatch(path: String, expected: String, found: String)
    /// The array in the file has another number of dimensions than the one asked for.
    case rankMismatch(path: String, expected: Int, found: Int)
    /// A box (its lower corner and shape) does not lie inside the array's shape.
    case boxOutsideArray(path: String, lower: [Int], shape: [Int], arrayShape: [Int])
    /// A buffer holds another number of elements than the box needs.
    case bufferSizeMismatch(path: String, expected: Int, got: Int)
    /// A parameter out of its range (a non-positive chunk side, a shrinking resize, ...).
    case invalidArgument(name: String, value: String, requirement: String)
    /// A file's content is not what its format requires (bad metadata, a truncated chunk, ...).
    case corrupt(path: String, reason: String)
    /// A stored checksum does not match the data.
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    /// A feature of the file that Patchwork does not read (an unknown codec, a big-endian array).
    case unsupported(path: String, feature: String)
    /// The named attribute does not exist, or holds another kind of value.
    case attributeNotFound(path: String, name: String)
    /// A file holds data over another domain than the array it is read into (a restart onto a
    /// different grid): both domains are named.
    case domainMismatch(path: String, saved: String, requested: String)
    /// A collective operation failed on other ranks (this rank's part succeeded): the first
    /// failing rank and how many failed; their own errors are thrown there.
    case failedOnOtherRanks(operation: String, firstRank: Int, failingRanks: Int)

    public var description: String {
        switch self {
        case let .fileNotFound(path): "no such file or directory: \(path)"
        case let .alreadyExists(path): "\(path) exists already"
        case let .system(call, path, errno): "\(call)(\(path)) failed with errno \(errno)\(Self.errnoName(errno))"
        case let .hdf5(call, path, code): "HDF5 call \(call) on \(path) failed (returned \(code))"
        case let .elementTypeMismatch(path, expected, found):
            "\(path) holds elements of type \(found), expected \(expected)"
        case let .rankMismatch(path, expected, found): "\(path) has \(found) dimensions, expected \(expected)"
        case let .boxOutsideArray(path, lower, shape, arrayShape):
            "box at \(lower) of shape \(shape) is not inside \(path) of shape \(arrayShape)"
        case let .bufferSizeMismatch(path, expected, got):
            "buffer for \(path) holds \(got) elements, the box needs \(expected)"
        case let .invalidArgument(name, value, requirement): "invalid \(name) \(value): must be \(requirement)"
        case let .corrupt(path, reason): "\(path) is corrupt: \(reason)"
        case let .checksumMismatch(path, stored, computed):
            "checksum mismatch in \(path): stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))"
        case let .unsupported(path, feature): "\(path) uses \(feature), which Patchwork does not support"
        case let .attributeNotFound(path, name): "\(path) has no attribute \(name) of the requested kind"
        case let .domainMismatch(path, saved, requested):
            "\(path) holds data over the domain \(saved), the array asks for \(requested)"
        case let .failedOnOtherRanks(operation, firstRank, failingRanks):
            "\(operation) failed on \(failingRanks) other rank(s), the first being rank \(firstRank)"
        }
    }

    private static func errnoName(_ errno: Int32) -> String {
        switch errno {
        case 2: " (ENOENT: no such file)"
        case 13: " (EACCES: permission denied)"
        case 17: " (EEXIST: exists)"
        case 20: " (ENOTDIR: not a directory)"
        case 21: " (EISDIR: is a directory)"
        case 27: " (EFBIG: file too large, past the file-size limit)"
        case 28: " (ENOSPC: no space left on device)"
        case 30: " (EROFS: read-only file system)"
        case 122: " (EDQUOT: disk quota exceeded)"
        default: ""
        }
    }
}
