/// How the boxes of a floor plan are handed out to ranks.
///
/// ```swift
/// let plan = try Decomposition(blocks: domain, counts: [8, 8], ranks: 4,
///                              assignment: .balancedByVolume(curve: .hilbert))
/// ```
///
/// - `roundRobin`: box `i` goes to rank `i % ranks` (KeLP's default cyclic map).
/// - `contiguous`: runs of consecutive boxes, the counts differing by at most one (the first
///   `count % ranks` ranks get one more), as MPI's BLOCK distribution.
/// - `balancedByVolume(curve:)`: the boxes are ordered along a space-filling curve through their
///   centres, and the curve is cut into `ranks` contiguous runs of about equal cell volume (a box
///   goes to the rank whose share holds the midpoint of its volume along the curve). Each rank's
///   load is at most `total / ranks + largest box volume`; with fewer boxes than ranks, or a
///   very uneven volume, some ranks get nothing.
///
/// - Complexity: O(n) for the first two; O(n log n) for the curve (a sort of the keys).
public enum RankAssignment: Sendable, Hashable {
    case roundRobin
    case contiguous
    case balancedByVolume(curve: SpaceFillingCurve)

    /// Balanced by volume along the Hilbert curve.
    public static var balancedByVolume: RankAssignment { .balancedByVolume(curve: .hilbert) }

    /// The owner rank of each box; `domain` fixes the curve's frame.
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` when `ranks < 1`.
    @inlinable
    public func owners<let N: Int>(of boxes: [Box<N>], in domain: Box<N>, ranks: Int) throws(GeometryError) -> [Int] {
        guard ranks >= 1 else {
            throw .invalidValue(name: "rank count", value: ranks, requirement: "at least 1")
        }
        let n = boxes.count
        switch self {
        case .roundRobin:
            return (0..<n).map { $0 % ranks }
        case .contiguous:
            let q = n / ranks, r = n % ranks
            // Rank k holds boxes [k q + min(k, r), (k + 1) q + min(k + 1, r)).
            var owners = [Int](repeating: 0, count: n)
            var start = 0
            for k in 0..<ranks {
                let size = q + (k < r ? 1 : 0)
                for i in start..<(start + size) { owners[i] = k }
                start += size
            }
            return owners
        case .balancedByVolume(let curve):
            return Self.curveOwners(of: boxes, in: domain, ranks: ranks, curve: curve)
        }
    }

    /// Orders boxes along `curve` by their centres and cuts the order into runs of ~equal volume.
    @inlinable
    static func curveOwners<let N: Int>(of boxes: [Box<N>], in domain: Box<N>, ranks: Int, curve: SpaceFillingCurve) -> [Int] {
        let n = boxes.count
        if n == 0 { return [] }
        // Doubled centres relative to the domain's corner stay integral: lower + upper - 2 origin.
        var span = 1
        var centres = [Point<N>]()
        centres.reserveCapacity(n)
        for box in boxes {
            let c = Point.zip(box.lower + box.upper, domain.lower * 2) { Swift.max(0, $0 &- $1) }
            for a in 0..<N { span = Swift.max(span, c[a]) }
            centres.append(c)
        }
        let needed = Int.bitWidth - span.leadingZeroBitCount
        let bits = Swift.max(1, Swift.min(needed, 63 / Swift.max(N, 1)))
        let drop = needed - bits
        var keyed = [(key: UInt64, index: Int)]()
        keyed.reserveCapacity(n)
        for (i, c) in centres.enumerated() {
            keyed.append((curve.key(of: c.map { $0 >> drop }, bits: bits), i))
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        var total = 0
        for box in boxes { total += box.volume }
        var owners = [Int](repeating: 0, count: n)
        if total == 0 {
            for (k, entry) in keyed.enumerated() { owners[entry.index] = k * ranks / n }
            return owners
        }
        // Box with volume v after c cells of the curve goes to rank ⌊(c + v/2) · ranks / total⌋,
        // computed in doubled units to stay integral (and in floating point to avoid overflow).
        var before = 0
        for entry in keyed {
            let v = boxes[entry.index].volume
            let midpoint = Double(2 * before + v) / Double(2 * total)
            owners[entry.index] = Swift.min(ranks - 1, Int(midpoint * Double(ranks)))
            before += v
        }
        return owners
    }
}
