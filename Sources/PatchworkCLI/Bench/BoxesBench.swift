import ArgumentParser
import Patchwork

/// `patchwork bench boxes`: the time to build the neighbour lists of an n-box decomposition with
/// a `BoxIndex`, for n = 10⁴, 10⁵, 10⁶, against the n log n prediction and, as a same-run
/// reference, the brute-force all-pairs O(n²) lists for 10⁴ boxes.
struct BoxesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boxes",
        abstract: "Neighbour lists of 10^4, 10^5 and 10^6 irregular 3-D boxes: BoxIndex vs all pairs."
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "The halo width whose neighbours are found.")
    var width = 1

    @Option(help: "The largest box count (a power of ten, at least 10^4).")
    var maxBoxes = 1_000_000

    func validate() throws {
        guard maxBoxes >= 10_000 else { throw ValidationError("--max-boxes must be at least 10000, got \(maxBoxes)") }
        guard width >= 0 else { throw ValidationError("--width must be non-negative, got \(width)") }
    }

    func run() throws {
        var sizes: [Int] = []
        var n = 10_000
        while n <= maxBoxes { sizes.append(n); n *= 10 }

        var rows: [(n: Int, index: Double, lists: Double, neighbours: Int)] = []
        var reference: (seconds: Double, agree: Bool)? = nil
        for n in sizes {
            let boxes = Self.irregularDecomposition(count: n, seed: UInt64(n))
            // Best of a few runs (the machine may be shared).
            let repeats = n <= 100_000 ? 5 : 2
            var best = (index: Double.infinity, lists: Double.infinity)
            var lists: [[Int]] = []
            for _ in 0..<repeats {
                let clock = ContinuousClock()
                let t0 = clock.now
                let index = BoxIndex(boxes)
                let t1 = clock.now
                lists = try index.neighbourLists(width: width)
                let t2 = clock.now
                let built = Self.seconds(t1 - t0), found = Self.seconds(t2 - t1)
                if built + found < best.index + best.lists { best = (built, found) }
            }
            rows.append((n, best.index, best.lists, lists.reduce(0) { $0 + $1.count }))
            if n == sizes.first {
                let clock = ContinuousClock()
                let t0 = clock.now
                let brute = Self.allPairsNeighbourLists(boxes, width: width)
                reference = (Self.seconds(clock.now - t0), brute == lists)
            }
        }

        let total = rows.map { $0.index + $0.lists }
        var growth: [String] = []
        for k in 1..<rows.count {
            let (a, b) = (Double(rows[k - 1].n), Double(rows[k].n))
            let measured = total[k] / total[k - 1]
            let predicted = (b / a) * Self.log(b) / Self.log(a)
            growth.append(#"{"from":\#(rows[k - 1].n),"to":\#(rows[k].n),"ratio":\#(Self.fmt(measured)),"nlogn_prediction":\#(Self.fmt(predicted)),"n2_prediction":\#(Self.fmt((b / a) * (b / a)))}"#)
        }
        let ref = reference!
        let speedup = ref.seconds / total[0]
        if json {
            let sizeObjects = rows.enumerated().map { k, r in
                #"{"n":\#(r.n),"seconds":\#(Self.fmt(total[k])),"index_seconds":\#(Self.fmt(r.index)),"lists_seconds":\#(Self.fmt(r.lists)),"ns_per_box":\#(Self.fmt(total[k] / Double(r.n) * 1e9)),"neighbours_per_box":\#(Self.fmt(Double(r.neighbours) / Double(r.n)))}"#
            }
            print(#"{"benchmark":"boxes","dimension":3,"decomposition":"random recursive bisection","width":\#(width),"sizes":[\#(sizeObjects.joined(separator: ","))],"growth":[\#(growth.joined(separator: ","))],"reference":{"name":"all_pairs_brute_force","n":\#(rows[0].n),"seconds":\#(Self.fmt(ref.seconds)),"agree":\#(ref.agree)},"ratio":\#(Self.fmt(speedup)),"ratio_meaning":"all-pairs seconds / BoxIndex seconds at n = \#(rows[0].n)"}"#)
        } else {
            print("neighbour lists (width \(width)) of an irregular 3-D decomposition (random recursive bisection)")
            for (k, r) in rows.enumerated() {
                print("  n = \(r.n): \(Self.fmt(total[k])) s (index \(Self.fmt(r.index)) s, lists \(Self.fmt(r.lists)) s), \(Self.fmt(total[k] / Double(r.n) * 1e9)) ns/box, \(Self.fmt(Double(r.neighbours) / Double(r.n))) neighbours/box")
            }
            for g in growth { print("  growth \(g)") }
            print("  all pairs, n = \(rows[0].n): \(Self.fmt(ref.seconds)) s (same lists: \(ref.agree)), \(Self.fmt(speedup))× slower than BoxIndex")
        }
    }

    /// `count` boxes cutting a cube of about 16³ cells per box: recursive bisection of the
    /// longest axis at a random point near the share of boxes each side gets.
    static func irregularDecomposition(count: Int, seed: UInt64) -> [Box<3>] {
        var side = 1
        while side * side * side < count * 4096 { side += 1 }
        var rng = SplitMix(state: seed)
        var result: [Box<3>] = []
        result.reserveCapacity(count)
        var stack: [(Box<3>, Int)] = [(Box(uncheckedLower: .zero, upper: Point(repeating: side)), count)]
        while let (box, k) = stack.popLast() {
            if k == 1 { result.append(box); continue }
            let shape = box.shape
            var axis = 0
            for a in 1..<3 where shape[a] > shape[axis] { axis = a }
            let left = k / 2
            let share = Double(left) / Double(k) * (0.85 + 0.3 * rng.unit())
            let cut = Swift.min(Swift.max(1, Int(Double(shape[axis]) * share)), shape[axis] - 1)
            var low = box, high = box
            low.upper[axis] = box.lower[axis] + cut
            high.lower[axis] = box.lower[axis] + cut
            stack.append((high, k - left))
            stack.append((low, left))
        }
        return result
    }

    /// The reference: compare every pair.
    static func allPairsNeighbourLists(_ boxes: [Box<3>], width: Int) -> [[Int]] {
        boxes.indices.map { i in
            let grown = boxes[i].grown(by: width)
            var list: [Int] = []
            for j in boxes.indices where j != i && grown.intersects(boxes[j]) { list.append(j) }
            return list
        }
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func log(_ x: Double) -> Double {
        // Natural log without Foundation: log2 via the exponent, refined by a short series.
        var e = 0.0, m = x
        while m >= 2 { m /= 2; e += 1 }
        while m < 1 { m *= 2; e -= 1 }
        let y = (m - 1) / (m + 1), y2 = y * y
        var term = y, sum = 0.0
        for k in stride(from: 1, through: 41, by: 2) { sum += term / Double(k); term *= y2 }
        return e * 0.693_147_180_559_945_3 + 2 * sum
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 10000).rounded() / 10000
        return "\(r)"
    }
}
