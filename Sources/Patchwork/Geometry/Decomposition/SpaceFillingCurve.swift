/// A space-filling curve through the cells of a box: an order in which nearby cells tend to be
/// close, used to hand out boxes to ranks in compact groups.
///
/// ```swift
/// let key = SpaceFillingCurve.hilbert.key(of: [3, 5] as Point<2>, bits: 3)
/// ```
///
/// - `morton`: Z-order, the bits of the coordinates interleaved (axis 0 most significant).
///   Cheap; consecutive keys can jump across the domain.
/// - `hilbert`: the Hilbert curve in N dimensions (Skilling's transpose algorithm); consecutive
///   keys are always neighbouring cells, so contiguous runs of the curve are compact.
///
/// - Complexity: O(N · bits) per key; no allocation.
public enum SpaceFillingCurve: Sendable, Hashable, CaseIterable {
    case morton
    case hilbert

    /// The position of `point` along the curve through the cube `[0, 2^bits)^N`.
    ///
    /// Coordinates must lie in `0 ..< 2^bits` and `N · bits` must be at most 63; coordinates are
    /// masked to `bits` bits otherwise.
    @inlinable
    public func key<let N: Int>(of point: Point<N>, bits: Int) -> UInt64 {
        let bits = Swift.max(1, Swift.min(bits, 63 / Swift.max(N, 1)))
        let mask: UInt64 = bits >= 64 ? ~0 : (1 << UInt64(bits)) &- 1
        var x = InlineArray<N, UInt64> { UInt64(truncatingIfNeeded: point[$0]) & mask }
        if self == .hilbert { Self.hilbertTranspose(&x, bits: bits) }
        var key: UInt64 = 0
        var bit = bits - 1
        while bit >= 0 {
            for a in 0..<N { key = (key << 1) | ((x[a] >> UInt64(bit)) & 1) }
            bit -= 1
        }
        return key
    }

    /// Skilling's `AxestoTranspose` ("Programming the Hilbert curve", 2004): turns coordinates
    /// into the transposed Hilbert index, whose bits, interleaved, are the Hilbert key.
    @inlinable
    static func hilbertTranspose<let N: Int>(_ x: inout InlineArray<N, UInt64>, bits: Int) {
        if N == 0 { return }
        let m: UInt64 = 1 << UInt64(bits - 1)
        var q = m
        while q > 1 {  // inverse undo
            let p = q - 1
            for i in 0..<N {
                if x[i] & q != 0 {
                    x[0] ^= p
                } else {
                    let t = (x[0] ^ x[i]) & p
                    x[0] ^= t
                    x[i] ^= t
                }
            }
            q >>= 1
        }
        for i in 1..<Swift.max(N, 1) { x[i] ^= x[i - 1] }  // Gray encode
        var t: UInt64 = 0
        q = m
        while q > 1 {
            if x[N - 1] & q != 0 { t ^= q - 1 }
            q >>= 1
        }
        for i in 0..<N { x[i] ^= t }
    }
}
