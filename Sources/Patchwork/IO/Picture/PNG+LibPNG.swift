internal import CPNG

/// The one place that calls libpng (through the C shim in `CPNG/shim.h`) and maps its result
/// codes to ``PictureError``.
internal enum _LibPNG {
    static func writeRGB8(
        _ rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int, path: String, compressionLevel: Int
    ) throws(PictureError) {
        let count = try Picture.checkSize(width: width, height: height)
        guard rgb.count == 3 * count else {
            throw .sizeMismatch(width: width, height: height, expected: 3 * count, got: rgb.count)
        }
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw .cannotCreate(path: path, errno: ENOENT_, reason: "empty path or a path holding a NUL byte")
        }
        var errorNumber: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let code = message.withUnsafeMutableBufferPointer { messageBuffer in
            patchwork_png_write_rgb8(
                path, rgb.baseAddress, UInt32(width), UInt32(height), Int32(clamping: compressionLevel),
                &errorNumber, messageBuffer.baseAddress, messageBuffer.count)
        }
        func reason() -> String { String(cString: patchwork_png_strerror(errorNumber)) }
        switch Int(code) {
        case Int(PATCHWORK_PNG_OK):
            return
        case Int(PATCHWORK_PNG_OPEN_FAILED):
            throw .cannotCreate(path: path, errno: errorNumber, reason: reason())
        case Int(PATCHWORK_PNG_LIBPNG_FAILED):
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw .encoderFailed(path: path, message: text)
        case Int(PATCHWORK_PNG_CREATE_FAILED):
            throw .encoderFailed(path: path, message: "libpng could not allocate its write structures")
        case Int(PATCHWORK_PNG_PATH_TOO_LONG):
            throw .cannotCreate(path: path, errno: ENAMETOOLONG_, reason: "path too long")
        default:  // close or rename failed
            throw .writeFailed(path: path, errno: errorNumber, reason: reason())
        }
    }

    static var version: String { String(cString: patchwork_png_version()) }

    // errno values for errors found before calling C (Linux numbering).
    static let ENOENT_: Int32 = 2
    static let ENAMETOOLONG_: Int32 = 36
}
