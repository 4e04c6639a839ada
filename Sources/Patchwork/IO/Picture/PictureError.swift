/// What went wrong rendering or writing a picture: each case names the offending values.
public enum PictureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A width or height that is not positive, or a pixel count too large to address.
    case invalidSize(width: Int, height: Int)
    /// The number of values is not `width × height` (`expected`).
    case sizeMismatch(width: Int, height: Int, expected: Int, got: Int)
    /// A colour range whose bounds are not finite.
    case invalidRange(lower: Double, upper: Double)
    /// Colour-map control points that do not define a map.
    case invalidColorMap(reason: String)
    /// A slice that does not exist in a field of the given shape, or a field whose value count does
    /// not match its shape.
    case invalidSlice(axis: Int, index: Int, shape: [Int], valueCount: Int)
    /// The file could not be created (a missing directory, no permission, …).
    case cannotCreate(path: String, errno: Int32, reason: String)
    /// Writing, closing or renaming the file failed (a full disk, an I/O error, …).
    case writeFailed(path: String, errno: Int32, reason: String)
    /// libpng rejected the image or failed while encoding it.
    case encoderFailed(path: String, message: String)

    public var description: String {
        switch self {
        case let .invalidSize(width, height):
            "invalid picture size \(width)×\(height): both sides must be positive and the pixel count addressable"
        case let .sizeMismatch(width, height, expected, got):
            "a \(width)×\(height) picture needs \(expected) values, got \(got)"
        case let .invalidRange(lower, upper):
            "invalid colour range \(lower)...\(upper): both bounds must be finite"
        case let .invalidColorMap(reason):
            "invalid colour map: \(reason)"
        case let .invalidSlice(axis, index, shape, valueCount):
            "no slice \(index) along axis \(axis) of a field of shape \(shape) holding \(valueCount) values"
        case let .cannotCreate(path, errno, reason):
            "cannot create \(path): \(reason) (errno \(errno))"
        case let .writeFailed(path, errno, reason):
            "writing \(path) failed: \(reason) (errno \(errno))"
        case let .encoderFailed(path, message):
            "libpng failed writing \(path): \(message)"
        }
    }
}
