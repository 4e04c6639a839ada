/// A type that can be stored in a ``Patch``: a plain bit-copyable number with a zero and a
/// portable type name.
///
/// ```swift
/// Double.elementType          // .float64
/// Double.elementType.name     // "float64"
/// Double.elementType.byteCount // 8
/// ```
///
/// Patchwork conforms `Float`, `Double`, `Int8`, `Int16`, `Int32`, `Int64`, `UInt8`, `UInt16`,
/// `UInt32` and `UInt64`. The ``elementType`` ties an element to its on-disk type (HDF5, Zarr,
/// NumPy), one to one; elements are stored in native (little-endian) byte order.
public protocol PatchElement: BitwiseCopyable, Sendable, Equatable {
    /// The value new storage is filled with unless asked otherwise.
    static var zero: Self { get }
    /// The portable type descriptor (name, size, code) used by I/O.
    static var elementType: ElementType { get }
}

/// The portable descriptor of a ``PatchElement`` type: its name (`"float64"`), byte size, a
/// stable numeric code for binary headers, and its NumPy type string.
///
/// Names follow Zarr v3 `data_type` and NumPy (`int32`, `float64`, …). `code` values are stable
/// and may be written to files. Cost: all members are O(1).
public enum ElementType: UInt8, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case int8 = 1, int16 = 2, int32 = 3, int64 = 4
    case uint8 = 5, uint16 = 6, uint32 = 7, uint64 = 8
    case float32 = 9, float64 = 10

    /// The stable numeric code written to binary headers.
    @inlinable public var code: UInt8 { rawValue }

    /// The name, as Zarr v3 and NumPy spell it: `"float64"`, `"uint8"`, ….
    public var name: String {
        switch self {
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .float32: "float32"
        case .float64: "float64"
        }
    }

    /// The size of one element in bytes.
    public var byteCount: Int {
        switch self {
        case .int8, .uint8: 1
        case .int16, .uint16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }

    /// True for `float32` and `float64`.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// True for the signed integer and floating-point types.
    public var isSigned: Bool {
        switch self {
        case .uint8, .uint16, .uint32, .uint64: false
        default: true
        }
    }

    /// The little-endian NumPy type string (`"<f8"`, `"|u1"`), as `.npy` headers and Zarr v2 use.
    public var numpyTypeString: String {
        let kind = isFloatingPoint ? "f" : (isSigned ? "i" : "u")
        return (byteCount == 1 ? "|" : "<") + kind + String(byteCount)
    }

    /// The type with this name (`"float64"`), or nil.
    public init?(name: String) {
        guard let t = ElementType.allCases.first(where: { $0.name == name }) else { return nil }
        self = t
    }

    public var description: String { name }
}

extension Float: PatchElement { @inlinable public static var elementType: ElementType { .float32 } }
extension Double: PatchElement { @inlinable public static var elementType: ElementType { .float64 } }
extension Int8: PatchElement { @inlinable public static var elementType: ElementType { .int8 } }
extension Int16: PatchElement { @inlinable public static var elementType: ElementType { .int16 } }
extension Int32: PatchElement { @inlinable public static var elementType: ElementType { .int32 } }
extension Int64: PatchElement { @inlinable public static var elementType: ElementType { .int64 } }
extension UInt8: PatchElement { @inlinable public static var elementType: ElementType { .uint8 } }
extension UInt16: PatchElement { @inlinable public static var elementType: ElementType { .uint16 } }
extension UInt32: PatchElement { @inlinable public static var elementType: ElementType { .uint32 } }
extension UInt64: PatchElement { @inlinable public static var elementType: ElementType { .uint64 } }
