/// The element types a file array can hold, with their names in Zarr and HDF5.
///
/// ```swift
/// FileElementType.float64.zarrName   // "float64"
/// FileElementType.int32.byteCount    // 4
/// ```
///
/// Each case maps one to one to a NumPy dtype, a Zarr v3 `data_type` and an HDF5 native type;
/// values are stored little-endian. A plain enum: `Sendable`, O(1) everything.
public enum FileElementType: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case float32, float64, int32, int64, uint8

    /// The Zarr v3 `data_type` name (also the NumPy dtype name).
    @inlinable public var zarrName: String { rawValue }

    /// The size of one element in bytes.
    @inlinable
    public var byteCount: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .uint8: 1
        }
    }

    /// True for the floating-point types.
    @inlinable public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String { rawValue }

    /// The type with the given Zarr / NumPy name, or nil.
    public init?(zarrName: String) { self.init(rawValue: zarrName) }
}
