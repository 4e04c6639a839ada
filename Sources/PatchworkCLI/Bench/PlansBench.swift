import ArgumentParser
import Patchwork

/// `patchwork bench plans`: the cost of building a checked floor plan from an explicit list of
/// n irregular 3-D boxes (inside, disjoint, covering) and of assigning ranks along the Hilbert
/// curve, for n = 10⁴, 10⁵, 10⁶; the same-run reference is the all-pairs disjointness check at
/// n = 10⁴.
struct PlansBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans",
        abstract: "Validate floor plans of 10^4..10^6 irregular 3-D boxes and assign ranks (Hilbert) vs all-pairs checking."
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "The largest box count (a power of ten, at least 10^4).")
    var maxBoxes = 1_000_000

    @Option(help: "The number of ranks the boxes are assigned to.")
    var ranks = 1024

    func validate() throws {
        guard maxBoxes >= 10_000 else { throw ValidationError("--max-boxes must be at least 10000, got \(maxBoxes)") }
        guard ranks >= 1 else { throw ValidationError("--ranks must be at least 1, got \(ranks)") }
    }

    func run() throws {
        var sizes: [Int] = []
        var n = 10_000
        while n <= maxBoxes { sizes.append(n); n *= 10 }

        var rows: [(n: Int, validate: Double, assign: Double, imbalance: Double)] = []
        var reference = Double.nan
        for n in sizes {
            let (domain, boxes) = Self.irregularPlan(count: n, seed: UInt64(n))
            let repeats = n <= 100_000 ? 5 : 2
            var bestValidate = Double.infinity, bestAssign = Double.infinity
            var imbalance = 0.0
            for _ in 0..<repeats {
                let clock = ContinuousClock()
                let t0 = clock.now
                let plan = try Decomposition(domain: domain, boxes: boxes, ranks: ranks, requireCovering: true)
                let t1 = clock.now
                let balanced = try plan.reassigned(to: ranks, by: .balancedByVolume(curve: .hilbert))
                let t2 = clock.now
                bestValidate = Swift.min(bestValidate, Self.seconds(t1 - t0))
                bestAssign = Swift.min(bestAssign, Self.seconds(t2 - t1))
                let loads = balanced.volumePerRank
                imbalance = Double(loads.max()!) / (Double(domain.volume) / Double(ranks))
            }
            rows.append((n, bestValidate, bestAssign, imbalance))
            if n == sizes.first {
                let clock = ContinuousClock()
                let t0 = clock.now
                let overlaps = Self.allPairsOverlaps(boxes)
                reference = Self.seconds(clock.now - t0)
                precondition(overlaps == 0, "the generated boxes overlap")
            }
        }
        let ratio = reference / rows[0].validate
        let growth = rows.count > 1
            ? (rows[rows.count - 1].validate / Double(rows[rows.count - 1].n)) / (rows[0].validate / Double(rows[0].n)) : 1
        if json {
            let objects = rows.map { r in
                #"{"n":\#(r.n),"validate_seconds":\#(Self.fmt(r.validate)),"validate_ns_per_box":\#(Self.fmt(r.validate / Double(r.n) * 1e9)),"hilbert_assign_seconds":\#(Self.fmt(r.assign)),"hilbert_assign_ns_per_box":\#(Self.fmt(r.assign / Double(r.n) * 1e9)),"max_load_over_mean":\#(Self.fmt(r.imbalance))}"#
            }
            print(#"{"benchmark":"plans","dimension":3,"ranks":\#(ranks),"sizes":[\#(objects.joined(separator: ","))],"per_box_growth_largest_over_smallest":\#(Self.fmt(growth)),"reference":{"name":"all_pairs_disjointness","n":\#(rows[0].n),"seconds":\#(Self.fmt(reference))},"ratio":\#(Self.fmt(ratio)),"ratio_meaning":"all-pairs seconds / validating constructor seconds at n = \#(rows[0].n)"}"#)
        } else {
            print("checked floor plans of irregular 3-D boxes (inside, disjoint, covering), then Hilbert rank assignment to \(ranks) ranks")
            for r in rows {
                print("  n = \(r.n): validate \(Self.fmt(r.validate)) s (\(Self.fmt(r.validate / Double(r.n) * 1e9)) ns/box), assign \(Self.fmt(r.assign)) s, max load / mean \(Self.fmt(r.imbalance))")
            }
            print("  all-pairs disjointness at n = \(rows[0].n): \(Self.fmt(reference)) s, \(Self.fmt(ratio))× the validating constructor")
        }
    }

    /// A cube cut into `count` boxes by recursive bisection at uneven points (about 4096 cells
    /// per box), in a shuffled order so that the index, not the input order, does the work.
    static func irregularPlan(count: Int, seed: UInt64) -> (Box<3>, [Box<3>]) {
        var side = 1
        while side * side * side < count * 4096 { side += 1 }
        var rng = SplitMix(state: seed)
        let domain = Box<3>(uncheckedLower: .zero, upper: Point(repeating: side))
        var result: [Box<3>] = []
        result.reserveCapacity(count)
        var stack: [(Box<3>, Int)] = [(domain, count)]
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
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        return (domain, result)
    }

    /// The reference: test every pair for overlap.
    static func allPairsOverlaps(_ boxes: [Box<3>]) -> Int {
        var overlaps = 0
        for i in boxes.indices {
            for j in (i + 1)..<boxes.count where boxes[i].intersects(boxes[j]) { overlaps += 1 }
        }
        return overlaps
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

    static func fmt(_ x: Double) -> String { "\((x * 10000).rounded() / 10000)" }
}
