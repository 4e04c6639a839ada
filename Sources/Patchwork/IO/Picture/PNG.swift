/// Writes pictures as PNG files with libpng: 8-bit RGB, non-interlaced.
///
/// ```swift
/// try PNG.write(values: field, width: 64, height: 32, to: "heat.png", colorMap: .viridis)
/// try PNG.write(picture, to: "slice.png")
/// ```
///
/// The file is written under a temporary name next to `path` (`<path>.<pid>.partial`) and renamed
/// onto `path` once complete, so a failure never leaves a truncated picture at `path` (a file
/// already there stays as it was). Errors are typed: a directory that does not exist or cannot be
/// written is ``PictureError/cannotCreate(path:errno:reason:)``, a failed write or rename is
/// ``PictureError/writeFailed(path:errno:reason:)``, and an image libpng rejects (for example
/// wider than its limit of 1,000,000 pixels) is ``PictureError/encoderFailed(path:message:)``.
///
/// The corresponding libpng calls are `png_create_write_struct`, `png_set_IHDR`, `png_write_info`,
/// `png_write_row` and `png_write_end`; libpng's `setjmp`-based error handling runs inside the C
/// shim (`CPNG/shim.h`), since Swift cannot call `setjmp`.
///
/// Thread safety: concurrent writes to different paths are safe.
///
/// - Complexity: O(width · height) plus zlib compression (level 6 by default; `compressionLevel`
///   0 is fastest).
public enum PNG {
    /// Writes `picture` to `path`.
    public static func write(_ picture: Picture, to path: String, compressionLevel: Int = 6) throws(PictureError) {
        try picture.rgb.withUnsafeBufferPointer { rgb throws(PictureError) in
            try _LibPNG.writeRGB8(rgb, width: picture.width, height: picture.height, path: path, compressionLevel: compressionLevel)
        }
    }

    /// Renders `values` (`width × height`, row-major, first row at the top) with `colorMap` over
    /// `range` (automatic when nil) and writes the picture to `path`; see ``Picture``.
    public static func write(
        values: UnsafeBufferPointer<Double>, width: Int, height: Int, to path: String,
        colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        try write(Picture(values: values, width: width, height: height, colorMap: colorMap, range: range), to: path)
    }

    /// Renders and writes an array of values; see ``write(values:width:height:to:colorMap:range:)``.
    public static func write(
        values: [Double], width: Int, height: Int, to path: String,
        colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        try write(Picture(values: values, width: width, height: height, colorMap: colorMap, range: range), to: path)
    }

    /// Renders the slice at `index` along `axis` of a 3-D row-major field and writes it to `path`;
    /// see ``Picture/init(slice:shape:axis:index:colorMap:range:)-([Double],_,_,_,_,_)``.
    public static func writeSlice(
        values: UnsafeBufferPointer<Double>, shape: Point<3>, axis: Int, index: Int, to path: String,
        colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        try write(Picture(slice: values, shape: shape, axis: axis, index: index, colorMap: colorMap, range: range), to: path)
    }

    /// The version of libpng in use, e.g. "1.6.39".
    public static var libraryVersion: String { _LibPNG.version }
}
