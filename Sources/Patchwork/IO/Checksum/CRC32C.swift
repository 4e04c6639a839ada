import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of Zarr's `crc32c` codec
/// and of checkpoint manifests.
///
/// ```swift
/// CRC32C.checksum(Array("123456789".utf8))   // 0xE3069283
/// var c = CRC32C(); c.update(part1); c.update(part2); c.value
/// ```
///
/// The SSE4.2 `crc32` instruction where the CPU has it (``isHardwareAccelerated``), otherwise
/// slicing-by-8 over 8 tables of 256 entries (8 KiB, built once): eight bytes per step, no
/// allocation. A plain `Sendable` value; incremental updates equal one update over the whole.
/// - Complexity: O(n) in the bytes checksummed.
public struct CRC32C: Sendable {
    @usableFromInline internal var state: UInt32 = 0xFFFF_FFFF

    /// A checksum of no bytes yet.
    public init() {}

    /// The checksum of the bytes fed so far.
    @inlinable public var value: UInt32 { ~state }

    /// Feeds `bytes`.
    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        state = CRC32C._update(state, bytes)
    }

    /// Feeds the bytes of a collection of bytes.
    @inlinable
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        let copy = Array(bytes)
        copy.withUnsafeBytes { update($0) }
    }

    /// The CRC-32C of `bytes`.
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = CRC32C(); c.update(bytes); return c.value
    }

    /// The CRC-32C of a byte collection.
    @inlinable
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var c = CRC32C(); c.update(bytes); return c.value
    }

    /// True when the CPU computes CRC-32C in hardware (x86-64 SSE4.2), used for all updates.
    public static let isHardwareAccelerated: Bool = pw_crc32c_available() != 0

    @usableFromInline
    internal static func _update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        if isHardwareAccelerated { return pw_crc32c_update(crc, base, bytes.count) }
        return _updateWithTables(crc, bytes)
    }

    /// The portable path: slicing-by-8 over 8 tables.
    internal static func _updateWithTables(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        var crc = crc
        var p = base
        var n = bytes.count
        _tables.withUnsafeBufferPointer { t in
            while n >= 8 {
                let word = p.loadUnaligned(as: UInt64.self).littleEndian ^ UInt64(crc)
                let lo = UInt32(truncatingIfNeeded: word), hi = UInt32(truncatingIfNeeded: word >> 32)
                crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8; n -= 8
            }
            while n > 0 {
                crc = t[Int((crc ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (crc >> 8)
                p += 1; n -= 1
            }
        }
        return crc
    }

    /// Table k maps a byte to its CRC contribution k bytes further on.
    internal static let _tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = t[Int(prev & 0xFF)] ^ (prev >> 8)
            }
        }
        return t
    }()
}
