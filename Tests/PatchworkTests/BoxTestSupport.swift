@testable import Patchwork

/// A small deterministic generator (SplitMix64) so failures reproduce from the printed seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random geometry for property tests, generic over the dimension.
enum RandomGeometry {
    /// A random point with coordinates in `range`.
    static func point<let N: Int>(_: Int.Type = Int.self, in range: ClosedRange<Int>, using rng: inout SeededGenerator) -> Point<N> {
        Point<N>(InlineArray { _ in Int.random(in: range, using: &rng) })
    }

    /// A random box with corners in `range` (possibly empty: shape 0 on some axis).
    static func box<let N: Int>(in range: ClosedRange<Int>, maxSide: Int, using rng: inout SeededGenerator) -> Box<N> {
        let lower: Point<N> = point(in: range, using: &rng)
        let shape = Point<N>(InlineArray { _ in Int.random(in: 0...maxSide, using: &rng) })
        return Box(uncheckedLower: lower, upper: lower + shape)
    }

    /// A random non-empty box.
    static func nonEmptyBox<let N: Int>(in range: ClosedRange<Int>, maxSide: Int, using rng: inout SeededGenerator) -> Box<N> {
        let lower: Point<N> = point(in: range, using: &rng)
        let shape = Point<N>(InlineArray { _ in Int.random(in: 1...maxSide, using: &rng) })
        return Box(uncheckedLower: lower, upper: lower + shape)
    }
}

/// The brute-force oracle: a box as the set of its cells.
enum CellOracle {
    static func cells<let N: Int>(_ box: Box<N>) -> Set<Point<N>> {
        var result = Set<Point<N>>()
        if box.isEmpty { return result }
        var p = box.lower
        while true {
            result.insert(p)
            var a = N - 1
            while a >= 0 {
                p[a] += 1
                if p[a] < box.upper[a] { break }
                p[a] = box.lower[a]
                a -= 1
            }
            if a < 0 { return result }
        }
    }

    static func cells<let N: Int>(_ boxes: some Sequence<Box<N>>) -> Set<Point<N>> {
        var result = Set<Point<N>>()
        for b in boxes { result.formUnion(cells(b)) }
        return result
    }

    /// True when no two boxes share a cell (and the empty ones are ignored).
    static func pairwiseDisjoint<let N: Int>(_ boxes: [Box<N>]) -> Bool {
        for i in boxes.indices {
            for j in boxes.indices where j > i && boxes[i].intersects(boxes[j]) { return false }
        }
        return true
    }
}
