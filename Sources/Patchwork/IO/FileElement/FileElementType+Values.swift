extension FileElementType {
    /// Stores `value` converted to this element type (little-endian) at `pointer`.
    internal func store(_ value: Double, at pointer: UnsafeMutableRawPointer) {
        switch self {
        case .float32: pointer.storeBytes(of: Float(value).bitPattern.littleEndian, as: UInt32.self)
        case .float64: pointer.storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        case .int32: pointer.storeBytes(of: Int32(clamping: Int64(exactly: value.rounded(.towardZero)) ?? 0).littleEndian, as: Int32.self)
        case .int64: pointer.storeBytes(of: (Int64(exactly: value.rounded(.towardZero)) ?? 0).littleEndian, as: Int64.self)
        case .uint8: pointer.storeBytes(of: UInt8(clamping: Int64(exactly: value.rounded(.towardZero)) ?? 0), as: UInt8.self)
        }
    }

    /// The element of this type at `pointer` (little-endian), as a `Double`.
    internal func load(from pointer: UnsafeRawPointer) -> Double {
        switch self {
        case .float32: Double(Float(bitPattern: UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self))))
        case .float64: Double(bitPattern: UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self)))
        case .int32: Double(Int32(littleEndian: pointer.loadUnaligned(as: Int32.self)))
        case .int64: Double(Int64(littleEndian: pointer.loadUnaligned(as: Int64.self)))
        case .uint8: Double(pointer.load(as: UInt8.self))
        }
    }

    /// `count` elements of value `value`, as bytes.
    internal func filled(with value: Double, count: Int) -> [UInt8] {
        var one = [UInt8](repeating: 0, count: byteCount)
        one.withUnsafeMutableBytes { store(value, at: $0.baseAddress!) }
        if one.allSatisfy({ $0 == 0 }) { return [UInt8](repeating: 0, count: count * byteCount) }
        var out = [UInt8](); out.reserveCapacity(count * byteCount)
        for _ in 0..<count { out.append(contentsOf: one) }
        return out
    }
}
