@testable import Patchwork

/// The tests' deterministic generator, so failures reproduce from the printed seed.
typealias SeededGenerator = SplitMix64

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

/// The brute-force oracle: a box as the set of its cells. It reads only the corners of a box and
/// never calls a `Box` operation, so it can judge them.
enum CellOracle {
    /// The points `p` with `lower[a] <= p[a] < upper[a]` on every axis, enumerated one by one
    /// (empty when `upper[a] <= lower[a]` on some axis).
    static func cells<let N: Int>(lower: Point<N>, upper: Point<N>) -> Set<Point<N>> {
        var result = Set<Point<N>>()
        for a in 0..<N where upper[a] <= lower[a] { return result }
        var p = lower
        while true {
            result.insert(p)
            var a = N - 1
            while a >= 0 {
                p[a] += 1
                if p[a] < upper[a] { break }
                p[a] = lower[a]
                a -= 1
            }
            if a < 0 { return result }
        }
    }

    static func cells<let N: Int>(_ box: Box<N>) -> Set<Point<N>> {
        cells(lower: box.lower, upper: box.upper)
    }

    static func cells<let N: Int>(_ boxes: some Sequence<Box<N>>) -> Set<Point<N>> {
        var result = Set<Point<N>>()
        for b in boxes { result.formUnion(cells(b)) }
        return result
    }

    /// True when the two boxes share a cell, by the per-axis formula
    /// `max(lowers) < min(uppers)` on every axis (written here, not `Box.intersects`).
    static func meet<let N: Int>(_ x: Box<N>, _ y: Box<N>) -> Bool {
        for a in 0..<N where Swift.max(x.lower[a], y.lower[a]) >= Swift.min(x.upper[a], y.upper[a]) { return false }
        return true
    }

    /// `box` grown by `width` on every side, from its corners (not `Box.grown`).
    static func grown<let N: Int>(_ box: Box<N>, by width: Int) -> Box<N> {
        Box(uncheckedLower: Point(InlineArray { box.lower[$0] - width }), upper: Point(InlineArray { box.upper[$0] + width }))
    }

    /// True when no two boxes share a cell (and the empty ones are ignored): no cell is counted
    /// twice.
    static func pairwiseDisjoint<let N: Int>(_ boxes: [Box<N>]) -> Bool {
        var seen = Set<Point<N>>()
        for b in boxes {
            for p in cells(b) where !seen.insert(p).inserted { return false }
        }
        return true
    }
}
