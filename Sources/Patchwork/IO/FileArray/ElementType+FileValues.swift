extension ElementType {
    /// Stores `value` converted to this element type (little-endian) at `pointer`: fill values,
    /// which files record as one number.
    internal func store(_ value: Double, at pointer: UnsafeMutableRawPointer) {
        let integer = Int64(exactly: value.rounded(.towardZero)) ?? 0
        switch self {
        case .float32: pointer.storeBytes(of: Float(value).bitPattern.littleEndian, as: UInt32.self)
        case .float64: pointer.storeBytes(of: value.bitPattern.littleEndian, as: UInt64.self)
        case .int8: pointer.storeBytes(of: Int8(clamping: integer), as: Int8.self)
        case .int16: pointer.storeBytes(of: Int16(clamping: integer).littleEndian, as: Int16.self)
        case .int32: pointer.storeBytes(of: Int32(clamping: integer).littleEndian, as: Int32.self)
        case .int64: pointer.storeBytes(of: integer.littleEndian, as: Int64.self)
        case .uint8: pointer.storeBytes(of: UInt8(clamping: integer), as: UInt8.self)
        case .uint16: pointer.storeBytes(of: UInt16(clamping: integer).littleEndian, as: UInt16.self)
        case .uint32: pointer.storeBytes(of: UInt32(clamping: integer).littleEndian, as: UInt32.self)
        case .uint64: pointer.storeBytes(of: UInt64(clamping: integer).littleEndian, as: UInt64.self)
        }
    }

    /// The element of this type at `pointer` (little-endian), as a `Double`.
    internal func load(from pointer: UnsafeRawPointer) -> Double {
        switch self {
        case .float32: Double(Float(bitPattern: UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self))))
        case .float64: Double(bitPattern: UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self)))
        case .int8: Double(pointer.load(as: Int8.self))
        case .int16: Double(Int16(littleEndian: pointer.loadUnaligned(as: Int16.self)))
        case .int32: Double(Int32(littleEndian: pointer.loadUnaligned(as: Int32.self)))
        case .int64: Double(Int64(littleEndian: pointer.loadUnaligned(as: Int64.self)))
        case .uint8: Double(pointer.load(as: UInt8.self))
        case .uint16: Double(UInt16(littleEndian: pointer.loadUnaligned(as: UInt16.self)))
        case .uint32: Double(UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)))
        case .uint64: Double(UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self)))
        }
    }
}
