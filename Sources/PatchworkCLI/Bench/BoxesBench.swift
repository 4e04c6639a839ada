import ArgumentParser
import Foundation
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
            let boxes = BenchSupport.bisectedCube(count: n, seed: UInt64(n)).boxes
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
                let built = BenchSupport.seconds(t1 - t0), found = BenchSupport.seconds(t2 - t1)
                if built + found < best.index + best.lists { best = (built, found) }
            }
            rows.append((n, best.index, best.lists, lists.reduce(0) { $0 + $1.count }))
            if n == sizes.first {
                let clock = ContinuousClock()
                let t0 = clock.now
                let brute = Self.allPairsNeighbourLists(boxes, width: width)
                reference = (BenchSupport.seconds(clock.now - t0), brute == lists)
            }
        }

        let total = rows.map { $0.index + $0.lists }
        var growth: [String] = []
        for k in 1..<rows.count {
            let (a, b) = (Double(rows[k - 1].n), Double(rows[k].n))
            let measured = total[k] / total[k - 1]
            let predicted = (b / a) * Foundation.log(b) / Foundation.log(a)
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

    /// The reference: compare every pair.
    static func allPairsNeighbourLists(_ boxes: [Box<3>], width: Int) -> [[Int]] {
        boxes.indices.map { i in
            let grown = boxes[i].grown(by: width)
            var list: [Int] = []
            for j in boxes.indices where j != i && grown.intersects(boxes[j]) { list.append(j) }
            return list
        }
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 10000).rounded() / 10000
        return "\(r)"
    }
}
