/// A Swift type that a file array can store: `Float`, `Double`, `Int32`, `Int64`, `UInt8`.
///
/// ```swift
/// func describe<E: FileElement>(_: E.Type) -> String { E.fileElementType.zarrName }
/// describe(Double.self)   // "float64"
/// ```
///
/// The element is a trivial value whose in-memory bytes (little-endian on the supported
/// platforms) are exactly what the file stores. The arrays layer's `PatchElement` will refine
/// this protocol so patch data goes to files without conversion.
public protocol FileElement: BitwiseCopyable, Sendable, Equatable {
    /// The file element type this Swift type maps to.
    static var fileElementType: FileElementType { get }
}

extension Float: FileElement { @inlinable public static var fileElementType: FileElementType { .float32 } }
extension Double: FileElement { @inlinable public static var fileElementType: FileElementType { .float64 } }
extension Int32: FileElement { @inlinable public static var fileElementType: FileElementType { .int32 } }
extension Int64: FileElement { @inlinable public static var fileElementType: FileElementType { .int64 } }
extension UInt8: FileElement { @inlinable public static var fileElementType: FileElementType { .uint8 } }
