/// An 8-bit RGB image of a 2-D field, rendered through a ``ColorMap``; ``PNG`` writes it.
///
/// ```swift
/// // values[y * width + x], row y = 0 at the top of the image.
/// let picture = try Picture(values: field, width: 64, height: 32, colorMap: .viridis)
/// try PNG.write(picture, to: "heat.png")
/// picture.pixel(x: 3, y: 0)                     // the colour of values[3]
/// ```
///
/// Layout: `values` is row-major with `width` values per row (last index fastest, as a 2-D
/// patch or a NumPy array `a[y, x]`); image row `y` shows `values[y * width ..< (y + 1) * width]`
/// and the first row is the top of the image (matplotlib's `imshow` with `origin="upper"`).
///
/// Colour range: `range` when given (its bounds must be finite), otherwise the minimum and maximum
/// of the finite values (0...1 when there are none); see ``ColorMap`` for how values map to
/// colours. The range used is kept in ``range``, e.g. for a legend.
///
/// A `Picture` is a `Sendable` value holding `3 · width · height` bytes.
///
/// - Complexity: rendering is O(width · height) with one table look-up per pixel (two passes when
///   the range is automatic).
public struct Picture: Sendable, Equatable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The pixels, row by row from the top, 3 bytes (red, green, blue) each.
    public let rgb: [UInt8]
    /// The value range mapped onto the colour map.
    public let range: ClosedRange<Double>

    /// Renders `values` (`width × height`, row-major) with `colorMap` over `range` (automatic when
    /// nil).
    ///
    /// Throws ``PictureError/invalidSize(width:height:)``,
    /// ``PictureError/sizeMismatch(width:height:expected:got:)`` when `values.count` is not
    /// `width · height`, and ``PictureError/invalidRange(lower:upper:)`` for a range with a
    /// non-finite bound.
    public init(
        values: UnsafeBufferPointer<Double>, width: Int, height: Int,
        colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        let count = try Self.checkSize(width: width, height: height)
        guard values.count == count else {
            throw .sizeMismatch(width: width, height: height, expected: count, got: values.count)
        }
        let range = try range.map { r throws(PictureError) in try Self.checkRange(r) } ?? Self.automaticRange(values)
        var rgb = [UInt8](repeating: 0, count: 3 * count)
        rgb.withUnsafeMutableBufferPointer { out in
            colorMap.colors.withUnsafeBufferPointer { table in
                let lower = range.lowerBound, upper = range.upperBound
                let nan = colorMap.nanColor
                for i in 0..<count {
                    let c = ColorMap.entry(for: values[i], lower: lower, upper: upper).map { table[$0] } ?? nan
                    out[3 * i] = c.red
                    out[3 * i + 1] = c.green
                    out[3 * i + 2] = c.blue
                }
            }
        }
        self.init(uncheckedWidth: width, height: height, rgb: rgb, range: range)
    }

    /// Renders an array of values; see ``init(values:width:height:colorMap:range:)-([Double],_,_,_,_)``.
    public init(
        values: [Double], width: Int, height: Int, colorMap: ColorMap = .viridis, range: ClosedRange<Double>? = nil
    ) throws(PictureError) {
        let result = values.withUnsafeBufferPointer { buffer in
            Result { () throws(PictureError) in
                try Picture(values: buffer, width: width, height: height, colorMap: colorMap, range: range)
            }
        }
        self = try result.get()
    }

    /// A picture from ready-made pixels (`3 · width · height` bytes, rows from the top); the range
    /// is recorded as given. Throws as ``init(values:width:height:colorMap:range:)-([Double],_,_,_,_)`` does.
    public init(rgb: [UInt8], width: Int, height: Int, range: ClosedRange<Double> = 0...1) throws(PictureError) {
        let count = try Self.checkSize(width: width, height: height)
        guard rgb.count == 3 * count else {
            throw .sizeMismatch(width: width, height: height, expected: 3 * count, got: rgb.count)
        }
        self.init(uncheckedWidth: width, height: height, rgb: rgb, range: try Self.checkRange(range))
    }

    internal init(uncheckedWidth width: Int, height: Int, rgb: [UInt8], range: ClosedRange<Double>) {
        self.width = width
        self.height = height
        self.rgb = rgb
        self.range = range
    }

    /// The colour of pixel `(x, y)`, `y = 0` the top row. Both must be in range.
    public func pixel(x: Int, y: Int) -> ColorMap.RGB {
        let i = 3 * (y * width + x)
        return ColorMap.RGB(rgb[i], rgb[i + 1], rgb[i + 2])
    }

    /// The smallest and largest finite value (0...1 when there is none).
    public static func automaticRange(_ values: UnsafeBufferPointer<Double>) -> ClosedRange<Double> {
        var lower = Double.infinity, upper = -Double.infinity
        for v in values where v.isFinite {
            if v < lower { lower = v }
            if v > upper { upper = v }
        }
        return lower <= upper ? lower...upper : 0...1
    }
}

extension Picture {
    /// `width · height`, checking that both are positive and that the bytes can be addressed.
    internal static func checkSize(width: Int, height: Int) throws(PictureError) -> Int {
        guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
            throw .invalidSize(width: width, height: height)
        }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= Int.max / 3 else { throw .invalidSize(width: width, height: height) }
        return count
    }

    internal static func checkRange(_ range: ClosedRange<Double>) throws(PictureError) -> ClosedRange<Double> {
        guard range.lowerBound.isFinite, range.upperBound.isFinite else {
            throw .invalidRange(lower: range.lowerBound, upper: range.upperBound)
        }
        return range
    }
}
