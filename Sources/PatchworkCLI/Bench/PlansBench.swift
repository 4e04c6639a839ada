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
            let (domain, boxes) = BenchSupport.bisectedCube(count: n, seed: UInt64(n), shuffled: true)
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
                bestValidate = Swift.min(bestValidate, BenchSupport.seconds(t1 - t0))
                bestAssign = Swift.min(bestAssign, BenchSupport.seconds(t2 - t1))
                let loads = balanced.volumePerRank
                imbalance = Double(loads.max()!) / (Double(domain.volume) / Double(ranks))
            }
            rows.append((n, bestValidate, bestAssign, imbalance))
            if n == sizes.first {
                let clock = ContinuousClock()
                let t0 = clock.now
                let overlaps = Self.allPairsOverlaps(boxes)
                reference = BenchSupport.seconds(clock.now - t0)
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

    /// The reference: test every pair for overlap.
    static func allPairsOverlaps(_ boxes: [Box<3>]) -> Int {
        var overlaps = 0
        for i in boxes.indices {
            for j in (i + 1)..<boxes.count where boxes[i].intersects(boxes[j]) { overlaps += 1 }
        }
        return overlaps
    }

    static func fmt(_ x: Double) -> String { "\((x * 10000).rounded() / 10000)" }
}
