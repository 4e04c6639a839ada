import CMPI

/// A scalar type that MPI can reduce: `Double`, `Float`, `Int`, `Int64`, `Int32`.
///
/// ```swift
/// let cells: Int = try comm.allReduce(localCells, .sum)
/// let worst: [Double] = try comm.allReduce(localErrors, .max)
/// ```
///
/// Semantics: the element maps one to one to an MPI datatype (`Int` is 64-bit, `MPI_INT64_T`).
public protocol ReductionElement: BitwiseCopyable, Comparable, Sendable {
    /// Which MPI datatype carries the element.
    static var reductionKind: ReductionElementKind { get }
}

/// The MPI datatype of a ``ReductionElement``.
public enum ReductionElementKind: Sendable {
    /// `MPI_DOUBLE`.
    case float64
    /// `MPI_FLOAT`.
    case float32
    /// `MPI_INT64_T`.
    case int64
    /// `MPI_INT32_T`.
    case int32

    var datatype: MPI_Datatype {
        switch self {
        case .float64: cmpi_double()
        case .float32: cmpi_float()
        case .int64: cmpi_int64_t()
        case .int32: cmpi_int32_t()
        }
    }
}

/// A reduction applied element-wise across ranks: `MPI_SUM`, `MPI_MIN`, `MPI_MAX`.
public enum ReductionOperation: Sendable, CaseIterable {
    /// `MPI_SUM`: the sum (for floating point, in an order MPI chooses).
    case sum
    /// `MPI_MIN`: the smallest value.
    case min
    /// `MPI_MAX`: the largest value.
    case max

    var op: MPI_Op {
        switch self {
        case .sum: cmpi_sum()
        case .min: cmpi_min()
        case .max: cmpi_max()
        }
    }
}

extension Double: ReductionElement { public static var reductionKind: ReductionElementKind { .float64 } }
extension Float: ReductionElement { public static var reductionKind: ReductionElementKind { .float32 } }
extension Int: ReductionElement { public static var reductionKind: ReductionElementKind { .int64 } }
extension Int64: ReductionElement { public static var reductionKind: ReductionElementKind { .int64 } }
extension Int32: ReductionElement { public static var reductionKind: ReductionElementKind { .int32 } }
