/// A metadata value attached to a file array or store: a number, a string, or a list of them.
///
/// ```swift
/// try array.setAttribute("time", .double(0.25))
/// try array.setAttribute("units", .string("K"))
/// ```
///
/// HDF5 stores these as attributes (64-bit integers, doubles, variable-length UTF-8 strings);
/// Zarr stores them as JSON under `attributes` in `zarr.json`. Plain `Sendable` value.
public enum FileAttribute: Sendable, Equatable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case ints([Int64])
    case doubles([Double])
    case strings([String])

    public var description: String {
        switch self {
        case let .int(v): "\(v)"
        case let .double(v): "\(v)"
        case let .string(v): "\"\(v)\""
        case let .ints(v): "\(v)"
        case let .doubles(v): "\(v)"
        case let .strings(v): "\(v)"
        }
    }
}
