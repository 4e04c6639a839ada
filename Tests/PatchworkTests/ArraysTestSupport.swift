import Patchwork

/// A small seeded generator (SplitMix64) for the Arrays tests: reproducible random boxes and data.
struct ArraysRandom {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func double() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }

    mutating func point<let N: Int>(in range: ClosedRange<Int>) -> Point<N> {
        var p = Point<N>.zero
        for i in 0..<N { p[i] = int(in: range) }
        return p
    }

    /// A non-empty box with corners in a small range.
    mutating func box<let N: Int>(lower: ClosedRange<Int> = -5...5, shape: ClosedRange<Int>) -> Box<N> {
        let lo: Point<N> = point(in: lower)
        let sh: Point<N> = point(in: shape)
        return Box(uncheckedLower: lo, upper: lo + sh)
    }

    /// A random sub-box of `box` (possibly empty when `allowEmpty`).
    mutating func subBox<let N: Int>(of box: Box<N>, allowEmpty: Bool = false) -> Box<N> {
        var lo = Point<N>.zero, hi = Point<N>.zero
        for i in 0..<N {
            let a = int(in: box.lower[i]...box.upper[i] - 1)
            let b = int(in: (allowEmpty ? a : a + 1)...box.upper[i])
            lo[i] = a
            hi[i] = b
        }
        return Box(uncheckedLower: lo, upper: hi)
    }
}

/// The oracle for row-major layout: the `k`-th cell of `box` in row-major order (last axis
/// fastest), computed by mixed-radix decoding, independently of the library's loops.
func rowMajorPoint<let N: Int>(_ k: Int, in box: Box<N>) -> Point<N> {
    var p = Point<N>.zero
    var rest = k
    for axis in (0..<N).reversed() {
        let extent = box.upper[axis] - box.lower[axis]
        p[axis] = box.lower[axis] + rest % extent
        rest /= extent
    }
    return p
}

/// The row-major index of `p` in `box` (the inverse of ``rowMajorPoint(_:in:)``).
func rowMajorIndex<let N: Int>(_ p: Point<N>, in box: Box<N>) -> Int {
    var k = 0
    for axis in 0..<N { k = k * (box.upper[axis] - box.lower[axis]) + (p[axis] - box.lower[axis]) }
    return k
}

/// All cells of `box` in row-major order (oracle enumeration).
func allCells<let N: Int>(_ box: Box<N>) -> [Point<N>] {
    box.isEmpty ? [] : (0..<box.volume).map { rowMajorPoint($0, in: box) }
}

/// A floor plan of `domain` cut into a random grid of blocks, owners random in `0 ..< ranks`.
func randomGridPlan<let N: Int>(
    _ rng: inout ArraysRandom, domain: Box<N>, ranks: Int, periodic: [Bool]? = nil
) throws -> Decomposition<N> {
    var cuts: [[Int]] = []
    for axis in 0..<N {
        var c = Set([domain.lower[axis], domain.upper[axis]])
        for _ in 0..<rng.int(in: 0...2) { c.insert(rng.int(in: domain.lower[axis]...domain.upper[axis])) }
        cuts.append(c.sorted())
    }
    var boxes: [Box<N>] = []
    let counts = cuts.map { $0.count - 1 }
    let total = counts.reduce(1, *)
    for k in 0..<total {
        var rest = k
        var lo = Point<N>.zero, hi = Point<N>.zero
        for axis in (0..<N).reversed() {
            let j = rest % counts[axis]
            rest /= counts[axis]
            lo[axis] = cuts[axis][j]
            hi[axis] = cuts[axis][j + 1]
        }
        boxes.append(Box(uncheckedLower: lo, upper: hi))
    }
    let owners = boxes.map { _ in rng.int(in: 0...ranks - 1) }
    return try Decomposition(domain: domain, boxes: boxes, owners: owners, rankCount: ranks,
                             periodic: periodic ?? Array(repeating: false, count: N), requireCovering: true)
}
