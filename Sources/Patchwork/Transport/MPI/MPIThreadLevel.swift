import CMPI

/// The thread support MPI provides (`MPI_THREAD_SINGLE` … `MPI_THREAD_MULTIPLE`), ordered.
///
/// ```swift
/// if try MPICommunicator.world().threadLevel < .multiple { /* calls are serialised */ }
/// ```
///
/// Below ``multiple``, Patchwork serialises every MPI call through one lock.
public enum MPIThreadLevel: Int, Comparable, Sendable, CustomStringConvertible {
    /// `MPI_THREAD_SINGLE`: only one thread exists.
    case single
    /// `MPI_THREAD_FUNNELED`: only the main thread calls MPI.
    case funneled
    /// `MPI_THREAD_SERIALIZED`: any thread, one at a time.
    case serialized
    /// `MPI_THREAD_MULTIPLE`: any thread, concurrently.
    case multiple

    init(mpiValue: Int32) {
        switch mpiValue {
        case cmpi_thread_multiple(): self = .multiple
        case cmpi_thread_serialized(): self = .serialized
        case cmpi_thread_funneled(): self = .funneled
        default: self = .single
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .single: "MPI_THREAD_SINGLE"
        case .funneled: "MPI_THREAD_FUNNELED"
        case .serialized: "MPI_THREAD_SERIALIZED"
        case .multiple: "MPI_THREAD_MULTIPLE"
        }
    }
}
