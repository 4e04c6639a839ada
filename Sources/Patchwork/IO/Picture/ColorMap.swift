/// A colour map: 256 colours indexed by a value's position in a range, for pictures of fields.
///
/// ```swift
/// let map = ColorMap.viridis
/// map.color(for: 0.25, in: 0...1)          // the colour a quarter of the way along
/// let mine = try ColorMap(name: "fire", controlPoints: [(0, .init(0, 0, 0)), (1, .init(255, 200, 0))])
/// ```
///
/// A map is built from a few control points (position in [0, 1], colour) by linear interpolation
/// per channel into a table of 256 entries; entry `k` is the colour at position `k / 255`, rounded
/// to the nearest 8-bit value. A value `v` in the range `lo...hi` takes entry
/// `round(255 · (v − lo) / (hi − lo))`; values below or above the range take the first or last
/// entry (so do −∞ and +∞), NaN takes ``nanColor``, and every finite value takes the middle entry
/// (128) when `lo == hi`.
///
/// Built-in maps: ``viridis`` (perceptually uniform, from matplotlib's control colours),
/// ``blueWhiteRed`` (diverging, white in the middle, for signed fields) and ``grayscale``.
///
/// A `ColorMap` is an immutable `Sendable` value. Looking up a colour is O(1).
public struct ColorMap: Sendable, Equatable {
    /// An 8-bit RGB colour.
    public struct RGB: Sendable, Hashable, CustomStringConvertible {
        public var red: UInt8
        public var green: UInt8
        public var blue: UInt8

        /// The colour `(red, green, blue)`.
        @inlinable
        public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        public var description: String { "rgb(\(red), \(green), \(blue))" }
    }

    /// The number of table entries.
    public static let entryCount = 256

    /// A name for messages and file metadata.
    public let name: String
    /// The table: `colors[k]` is the colour at position `k / 255`.
    public let colors: [RGB]
    /// The colour of NaN values.
    public var nanColor: RGB

    /// Builds a map by linear interpolation between control points.
    ///
    /// Throws ``PictureError/invalidColorMap(reason:)`` unless there are at least two points,
    /// the positions are finite and strictly increasing, the first is 0 and the last is 1.
    ///
    /// - Complexity: O(256 + points).
    public init(
        name: String, controlPoints: [(position: Double, color: RGB)], nanColor: RGB = RGB(128, 128, 128)
    ) throws(PictureError) {
        guard controlPoints.count >= 2 else {
            throw .invalidColorMap(reason: "\(controlPoints.count) control points, need at least 2")
        }
        for (k, point) in controlPoints.enumerated() {
            guard point.position.isFinite else {
                throw .invalidColorMap(reason: "control point \(k) has position \(point.position)")
            }
            if k > 0 && !(controlPoints[k - 1].position < point.position) {
                throw .invalidColorMap(reason: "positions must increase, control point \(k) is at \(point.position) after \(controlPoints[k - 1].position)")
            }
        }
        guard controlPoints.first!.position == 0, controlPoints.last!.position == 1 else {
            throw .invalidColorMap(reason: "positions must run from 0 to 1, got \(controlPoints.first!.position) to \(controlPoints.last!.position)")
        }
        var table = [RGB]()
        table.reserveCapacity(Self.entryCount)
        var segment = 0
        for k in 0..<Self.entryCount {
            let t = Double(k) / Double(Self.entryCount - 1)
            while segment < controlPoints.count - 2 && t > controlPoints[segment + 1].position { segment += 1 }
            let (p0, c0) = controlPoints[segment]
            let (p1, c1) = controlPoints[segment + 1]
            let f = Swift.min(1, Swift.max(0, (t - p0) / (p1 - p0)))
            func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
                UInt8((Double(a) + (Double(b) - Double(a)) * f).rounded())
            }
            table.append(RGB(mix(c0.red, c1.red), mix(c0.green, c1.green), mix(c0.blue, c1.blue)))
        }
        self.name = name
        self.colors = table
        self.nanColor = nanColor
    }

    /// The table entry (0 ... 255) that `value` takes in `lower...upper`, or nil for NaN; see the
    /// type's documentation. The bounds must be finite with `lower <= upper`.
    @inlinable @inline(__always)
    public static func entry(for value: Double, lower: Double, upper: Double) -> Int? {
        if value.isNaN { return nil }
        if lower == upper { return entryCount / 2 }
        // Halved differences cannot overflow to infinity for finite bounds.
        let t = (value * 0.5 - lower * 0.5) / (upper * 0.5 - lower * 0.5)
        if !(t > 0) { return 0 }
        if t >= 1 { return entryCount - 1 }
        return Int((t * Double(entryCount - 1)).rounded())
    }

    /// The colour of `value` in `range`.
    @inlinable
    public func color(for value: Double, in range: ClosedRange<Double>) -> RGB {
        guard let k = Self.entry(for: value, lower: range.lowerBound, upper: range.upperBound) else { return nanColor }
        return colors[k]
    }
}

extension ColorMap {
    /// Viridis (matplotlib's default map), from its colours at nine equally spaced positions.
    public static let viridis = try! ColorMap(name: "viridis", controlPoints: [
        (0.000, RGB(68, 1, 84)), (0.125, RGB(72, 40, 120)), (0.250, RGB(62, 73, 137)),
        (0.375, RGB(49, 104, 142)), (0.500, RGB(38, 130, 142)), (0.625, RGB(31, 158, 137)),
        (0.750, RGB(53, 183, 121)), (0.875, RGB(110, 206, 88)), (1.000, RGB(253, 231, 37)),
    ])

    /// A diverging map: dark blue, light blue, white (in the middle), orange-red, dark red. Centre a
    /// signed field with a symmetric range (`-m...m`) so that zero is white.
    public static let blueWhiteRed = try! ColorMap(name: "blue-white-red", controlPoints: [
        (0.00, RGB(33, 102, 172)), (0.25, RGB(103, 169, 207)), (0.50, RGB(255, 255, 255)),
        (0.75, RGB(239, 138, 98)), (1.00, RGB(178, 24, 43)),
    ], nanColor: RGB(0, 0, 0))

    /// Black to white.
    public static let grayscale = try! ColorMap(name: "grayscale", controlPoints: [
        (0, RGB(0, 0, 0)), (1, RGB(255, 255, 255)),
    ], nanColor: RGB(255, 0, 255))
}
