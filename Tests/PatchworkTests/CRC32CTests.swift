import Testing
@testable import Patchwork

@Suite struct CRC32CTests {
    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)   // RFC 3720 B.4
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    /// Slicing-by-8 equals the bitwise definition for every length and alignment, and incremental
    /// updates equal one update.
    @Test func matchesBitwiseDefinition() {
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                crc ^= UInt32(b)
                for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        var g = SeededGenerator(seed: 42)
        for length in 0..<300 {
            let bytes = (0..<length + 3).map { _ in UInt8.random(in: 0...255, using: &g) }
            let offset = length % 4
            let slice = Array(bytes[offset..<offset + length])
            #expect(CRC32C.checksum(bytes[offset..<offset + length]) == bitwise(slice))
            let cut = length / 3
            var c = CRC32C()
            c.update(slice[..<cut]); c.update(slice[cut...])
            #expect(c.value == bitwise(slice))
            let tables = slice.withUnsafeBytes { ~CRC32C._updateWithTables(0xFFFF_FFFF, $0) }
            #expect(tables == bitwise(slice), "slicing-by-8 (the fallback) at length \(length)")
        }
    }
}
