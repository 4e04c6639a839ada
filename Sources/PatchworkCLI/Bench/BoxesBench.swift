import ArgumentParser
import Foundation
import Patchwork

/// `patchwork bench boxes`: the time to build the neighbour lists of an n-box decomposition with
/// a `BoxIndex`, for n = 10⁴, 10⁵, 10⁶ and a graded case (unit boxes beside large ones), against
/// the n log n prediction and, as a same-run
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

        // Graded sizes: a corner of unit boxes beside boxes of extent 80, against the uniform
        // (bisected) boxes of about the same count, per box.
        let graded = Self.gradedBoxes(side: 37, bigExtent: 80)
        var gradedBest = Double.infinity
        var gradedNeighbours = 0
        for _ in 0..<3 {
            let clock = ContinuousClock()
            let t0 = clock.now
            let lists = try BoxIndex(graded).neighbourLists(width: width)
            gradedBest = Swift.min(gradedBest, BenchSupport.seconds(clock.now - t0))
            gradedNeighbours = lists.reduce(0) { $0 + $1.count }
        }
        let uniformRow = rows.enumerated().min { abs($0.element.n - graded.count) < abs($1.element.n - graded.count) }!
        let uniformNs = total[uniformRow.offset] / Double(uniformRow.element.n) * 1e9
        let gradedNs = gradedBest / Double(graded.count) * 1e9
        if json {
            let sizeObjects = rows.enumerated().map { k, r in
                #"{"n":\#(r.n),"seconds":\#(Self.fmt(total[k])),"index_seconds":\#(Self.fmt(r.index)),"lists_seconds":\#(Self.fmt(r.lists)),"ns_per_box":\#(Self.fmt(total[k] / Double(r.n) * 1e9)),"neighbours_per_box":\#(Self.fmt(Double(r.neighbours) / Double(r.n)))}"#
            }
            print(#"{"benchmark":"boxes","dimension":3,"decomposition":"random recursive bisection","width":\#(width),"sizes":[\#(sizeObjects.joined(separator: ","))],"growth":[\#(growth.joined(separator: ","))],"reference":{"name":"all_pairs_brute_force","n":\#(rows[0].n),"seconds":\#(Self.fmt(ref.seconds)),"agree":\#(ref.agree)},"graded":{"n":\#(graded.count),"boxes":"37^3 unit boxes in a corner beside boxes of extent 80","seconds":\#(Self.fmt(gradedBest)),"ns_per_box":\#(Self.fmt(gradedNs)),"neighbours_per_box":\#(Self.fmt(Double(gradedNeighbours) / Double(graded.count))),"uniform_n":\#(uniformRow.element.n),"uniform_ns_per_box":\#(Self.fmt(uniformNs)),"graded_over_uniform":\#(Self.fmt(gradedNs / uniformNs))},"ratio":\#(Self.fmt(speedup)),"ratio_meaning":"all-pairs seconds / BoxIndex seconds at n = \#(rows[0].n)"}"#)
        } else {
            print("neighbour lists (width \(width)) of an irregular 3-D decomposition (random recursive bisection)")
            for (k, r) in rows.enumerated() {
                print("  n = \(r.n): \(Self.fmt(total[k])) s (index \(Self.fmt(r.index)) s, lists \(Self.fmt(r.lists)) s), \(Self.fmt(total[k] / Double(r.n) * 1e9)) ns/box, \(Self.fmt(Double(r.neighbours) / Double(r.n))) neighbours/box")
            }
            for g in growth { print("  growth \(g)") }
            print("  graded (unit boxes beside extent-80 boxes), n = \(graded.count): \(Self.fmt(gradedBest)) s, \(Self.fmt(gradedNs)) ns/box (\(Self.fmt(gradedNs / uniformNs))× the uniform n = \(uniformRow.element.n))")
            print("  all pairs, n = \(rows[0].n): \(Self.fmt(ref.seconds)) s (same lists: \(ref.agree)), \(Self.fmt(speedup))× slower than BoxIndex")
        }
    }

    /// Graded sizes: `side`³ unit boxes filling the corner `[0, side)³`, and boxes of extent
    /// `bigExtent` tiling `[0, side · bigExtent)³` except the corner tile.
    static func gradedBoxes(side: Int, bigExtent: Int) -> [Box<3>] {
        var boxes: [Box<3>] = []
        boxes.reserveCapacity(2 * side * side * side)
        for i in 0..<side { for j in 0..<side { for k in 0..<side {
            boxes.append(Box(uncheckedLower: [i, j, k], upper: [i + 1, j + 1, k + 1]))
        } } }
        for i in 0..<side { for j in 0..<side { for k in 0..<side where i + j + k > 0 {
            let lower: Point<3> = [i * bigExtent, j * bigExtent, k * bigExtent]
            boxes.append(Box(uncheckedLower: lower, upper: lower + Point(repeating: bigExtent)))
        } } }
        return boxes
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
