/// A 64-bit FNV-1a hash that is the same in every process and on every run (unlike `Hasher`,
/// which Swift seeds per process): for fingerprints that ranks compare with each other and for
/// message tags that every rank must derive alike.
///
/// ```swift
/// var h = _StableHasher()
/// h.combine(42); h.combine(-1)
/// let fingerprint = h.value
/// ```
///
/// - Complexity: O(1) per combined integer.
internal struct _StableHasher {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Mixes the 8 bytes of `v` (little end first).
    mutating func combine(_ v: Int) {
        var x = UInt64(bitPattern: Int64(v))
        for _ in 0..<8 {
            value = (value ^ (x & 0xff)) &* 0x100_0000_01b3
            x >>= 8
        }
    }

    mutating func combine<let N: Int>(_ p: Point<N>) {
        for i in 0..<N { combine(p[i]) }
    }
}
