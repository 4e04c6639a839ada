import Foundation
import Testing
@testable import Patchwork

/// Oracles for floor plans: cells counted one by one.
enum PlanOracle {
    /// How many boxes hold each cell.
    static func coverCounts<let N: Int>(_ boxes: [Box<N>]) -> [Point<N>: Int] {
        var counts: [Point<N>: Int] = [:]
        for box in boxes { for cell in CellOracle.cells(box) { counts[cell, default: 0] += 1 } }
        return counts
    }

    /// True when every cell of `domain` is held by exactly one box and no box leaves the domain.
    static func isExactCover<let N: Int>(_ boxes: [Box<N>], of domain: Box<N>) -> Bool {
        let counts = coverCounts(boxes)
        let cells = CellOracle.cells(domain)
        return counts.count == cells.count && counts.allSatisfy { cells.contains($0.key) && $0.value == 1 }
    }

    /// The lexicographically smallest overlapping pair, by comparing all pairs (with the oracle's
    /// per-axis formula, not `Box.intersects`).
    static func firstOverlap<let N: Int>(_ boxes: [Box<N>]) -> (Int, Int)? {
        for i in boxes.indices {
            for j in boxes.indices where j > i && CellOracle.meet(boxes[i], boxes[j]) { return (i, j) }
        }
        return nil
    }
}

@Suite struct DecompositionTests {
    static let assignments: [RankAssignment] = [
        .roundRobin, .contiguous, .balancedByVolume(curve: .morton), .balancedByVolume(curve: .hilbert),
    ]

    func randomDomain<let N: Int>(_: Point<N>.Type, maxExtent: Int, using rng: inout SeededGenerator) -> Box<N> {
        let lower: Point<N> = RandomGeometry.point(in: -6...6, using: &rng)
        let shape = Point<N>(InlineArray { _ in Int.random(in: 1...maxExtent, using: &rng) })
        return Box(uncheckedLower: lower, upper: lower + shape)
    }

    // MARK: Blocks

    func checkBlocks<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let domain = randomDomain(Point<N>.self, maxExtent: N >= 3 ? 7 : 13, using: &rng)
            let counts = (0..<N).map { Int.random(in: 1...domain.shape[$0], using: &rng) }
            let ranks = Int.random(in: 1...7, using: &rng)
            let assignment = Self.assignments.randomElement(using: &rng)!
            let plan = try Decomposition(blocks: domain, counts: counts, ranks: ranks, assignment: assignment)
            #expect(plan.count == counts.reduce(1, *))
            #expect(PlanOracle.isExactCover(plan.boxes, of: domain), "case \(c) seed \(seed): \(domain) \(counts)")
            #expect(plan.owners.allSatisfy { (0..<ranks).contains($0) })
            // BLOCK spread: along each axis the block lengths are ⌈E/p⌉ first, then ⌊E/p⌋.
            for a in 0..<N {
                let lengths = Set(plan.boxes.map { $0.shape[a] })
                let e = domain.shape[a], p = counts[a]
                #expect(lengths.isSubset(of: [e / p, (e + p - 1) / p]))
            }
            // Row-major order of blocks: sorted by lower corner.
            #expect(plan.boxes.map { $0.lower } == plan.boxes.map { $0.lower }.sorted())
        }
    }

    @Test func blocksCoverExactly() throws {
        try checkBlocks(Point<1>.self, cases: 400, seed: 1)
        try checkBlocks(Point<2>.self, cases: 400, seed: 2)
        try checkBlocks(Point<3>.self, cases: 200, seed: 3)
        try checkBlocks(Point<4>.self, cases: 60, seed: 4)
    }

    @Test func blockRemaindersGoFirst() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [10, 7])
        let plan = try Decomposition(blocks: domain, counts: [3, 2], ranks: 6)
        #expect(plan.boxes[0] == (try Box(lower: [0, 0], upper: [4, 4])))
        #expect(plan.boxes[1] == (try Box(lower: [0, 4], upper: [4, 7])))
        #expect(plan.boxes[5] == (try Box(lower: [7, 4], upper: [10, 7])))
        #expect(plan.owners == [0, 1, 2, 3, 4, 5])
        #expect(plan.patches(ownedBy: 3) == [3])
    }

    @Test func blockCountsFactorRanks() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [100, 80])
        #expect(try Decomposition<2>.blockCounts(for: 12, on: domain) == [4, 3])
        #expect(try Decomposition<2>.blockCounts(for: 1, on: domain) == [1, 1])
        #expect(try Decomposition<2>.blockCounts(for: 7, on: domain) == [7, 1])
        let cube = try Box<3>(lower: [0, 0, 0], upper: [64, 64, 64])
        #expect(try Decomposition<3>.blockCounts(for: 8, on: cube) == [2, 2, 2])
        for ranks in 1...40 {
            let counts = try Decomposition<3>.blockCounts(for: ranks, on: cube)
            #expect(counts.reduce(1, *) == ranks)
        }
        #expect(throws: GeometryError.invalidValue(name: "rank count", value: 0, requirement: "at least 1")) {
            try Decomposition<2>.blockCounts(for: 0, on: domain)
        }
        let tiny = try Box<1>(lower: [0], upper: [3])
        #expect(throws: GeometryError.self) { try Decomposition<1>.blockCounts(for: 5, on: tiny) }
    }

    // MARK: Bisection

    func checkBisection<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let domain = randomDomain(Point<N>.self, maxExtent: N >= 3 ? 8 : 17, using: &rng)
            let ranks = Int.random(in: 1...9, using: &rng)
            let assignment = Self.assignments.randomElement(using: &rng)!
            if Bool.random(using: &rng) {
                let maxExtent = Int.random(in: 1...7, using: &rng)
                let plan = try Decomposition(bisecting: domain, maxExtent: maxExtent, ranks: ranks, assignment: assignment)
                #expect(plan.boxes.allSatisfy { box in (0..<N).allSatisfy { box.shape[$0] <= maxExtent } })
                var expectedCount = 1
                for a in 0..<N { expectedCount *= Decomposition<N>.halvingPieces(domain.shape[a], maxExtent) }
                #expect(plan.count == expectedCount)
                #expect(PlanOracle.isExactCover(plan.boxes, of: domain), "case \(c) seed \(seed)")
            } else {
                let maxVolume = Int.random(in: 1...40, using: &rng)
                let plan = try Decomposition(bisecting: domain, maxVolume: maxVolume, ranks: ranks, assignment: assignment)
                #expect(plan.boxes.allSatisfy { $0.volume <= maxVolume })
                #expect(PlanOracle.isExactCover(plan.boxes, of: domain), "case \(c) seed \(seed)")
            }
        }
    }

    @Test func bisectionCoversExactly() throws {
        try checkBisection(Point<1>.self, cases: 300, seed: 31)
        try checkBisection(Point<2>.self, cases: 300, seed: 32)
        try checkBisection(Point<3>.self, cases: 150, seed: 33)
        try checkBisection(Point<4>.self, cases: 40, seed: 34)
    }

    @Test func bisectionSplitsLongestAxisAtItsMiddle() throws {
        // 10×5: split axis 0 at 5 → 5×5 halves; tie → axis 0 at 2 (5/2) → 2×5 and 3×5; …
        let domain = try Box<2>(lower: [0, 0], upper: [10, 5])
        let plan = try Decomposition(bisecting: domain, maxExtent: 5, ranks: 1)
        #expect(plan.boxes == [try Box(lower: [0, 0], upper: [5, 5]), try Box(lower: [5, 0], upper: [10, 5])])
        let finer = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1)
        #expect(finer.boxes.first == (try Box(lower: [0, 0], upper: [2, 2])))
        #expect(finer.count == 8)  // axis 0: 10 → 5,5 → 2,3,2,3; axis 1: 5 → 2,3
    }

    // MARK: Rank assignment

    @Test func roundRobinAndContiguous() throws {
        let domain = try Box<1>(lower: [0], upper: [100])
        let boxes = (0..<10).map { Box<1>(uncheckedLower: [10 * $0], upper: [10 * $0 + 10]) }
        #expect(try RankAssignment.roundRobin.owners(of: boxes, in: domain, ranks: 3) == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
        #expect(try RankAssignment.contiguous.owners(of: boxes, in: domain, ranks: 3) == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(try RankAssignment.contiguous.owners(of: boxes, in: domain, ranks: 12) == Array(0..<10))
        for assignment in Self.assignments {
            #expect(throws: GeometryError.invalidValue(name: "rank count", value: 0, requirement: "at least 1")) {
                try assignment.owners(of: boxes, in: domain, ranks: 0)
            }
        }
    }

    @Test func assignmentsAreBalanced() throws {
        var rng = SeededGenerator(seed: 41)
        for _ in 0..<300 {
            let domain = randomDomain(Point<2>.self, maxExtent: 40, using: &rng)
            let ranks = Int.random(in: 1...12, using: &rng)
            let plan = try Decomposition(bisecting: domain, maxVolume: Int.random(in: 1...60, using: &rng), ranks: ranks)
            let n = plan.count
            // contiguous: counts differ by at most one, owners non-decreasing.
            let counts = (0..<ranks).map { r in plan.owners.count { $0 == r } }
            #expect(counts.max()! - counts.min()! <= 1)
            #expect(plan.owners == plan.owners.sorted())
            let rr = try plan.reassigned(to: ranks, by: .roundRobin)
            let rrCounts = (0..<ranks).map { r in rr.owners.count { $0 == r } }
            #expect(rrCounts.max()! - rrCounts.min()! <= 1)
            for curve in SpaceFillingCurve.allCases {
                let balanced = try plan.reassigned(to: ranks, by: .balancedByVolume(curve: curve))
                let loads = balanced.volumePerRank
                let largest = plan.boxes.map { $0.volume }.max()!
                #expect(loads.reduce(0, +) == domain.volume)
                // Each rank's load is within one box of the ideal share.
                #expect(loads.allSatisfy { Double($0) <= Double(domain.volume) / Double(ranks) + Double(largest) })
                if n >= ranks, Set(plan.boxes.map { $0.volume }).count == 1, n % ranks == 0 {
                    #expect(loads.allSatisfy { $0 == domain.volume / ranks })
                }
            }
        }
    }

    @Test func curveAssignmentFollowsTheCurve() throws {
        // 8×8 unit boxes on 4 ranks along the Hilbert curve: each rank gets one 4×4 quadrant.
        let domain = try Box<2>(lower: [0, 0], upper: [8, 8])
        let plan = try Decomposition(blocks: domain, counts: [8, 8], ranks: 4, assignment: .balancedByVolume)
        for r in 0..<4 {
            let owned = plan.patches(ownedBy: r).map { plan.boxes[$0] }
            #expect(owned.count == 16)
            let bounds = owned.reduce(Box<2>.empty) { $0.boundingBox($1) }
            #expect(bounds.shape == [4, 4])
        }
    }

    @Test func curveKeysAreAPermutationAndHilbertStepsAreAdjacent() {
        func check<let N: Int>(_: Point<N>.Type, bits: Int) {
            let side = 1 << bits
            let cube = Box<N>(uncheckedLower: .zero, upper: Point(repeating: side))
            let cells = Array(CellOracle.cells(cube))
            for curve in SpaceFillingCurve.allCases {
                let keyed = cells.map { (curve.key(of: $0, bits: bits), $0) }.sorted { $0.0 < $1.0 }
                #expect(keyed.map { $0.0 } == (0..<UInt64(cells.count)).map { $0 })
                if curve == .hilbert {
                    for k in 1..<keyed.count {
                        let d = keyed[k].1 - keyed[k - 1].1
                        #expect((0..<N).reduce(0) { $0 + abs(d[$1]) } == 1, "N \(N) bits \(bits) step \(k)")
                    }
                }
            }
        }
        for bits in 1...5 { check(Point<2>.self, bits: bits) }
        for bits in 1...3 { check(Point<3>.self, bits: bits) }
        for bits in 1...2 { check(Point<4>.self, bits: bits) }
        check(Point<1>.self, bits: 4)
    }

    @Test func curveOrderSortsBoxCentres() throws {
        var rng = SeededGenerator(seed: 45)
        for _ in 0..<100 {
            let domain = randomDomain(Point<3>.self, maxExtent: 30, using: &rng)
            let plan = try Decomposition(bisecting: domain, maxVolume: Int.random(in: 1...200, using: &rng), ranks: 1)
            for curve in SpaceFillingCurve.allCases {
                let order = curve.order(of: plan.boxes, in: domain)
                #expect(order.sorted() == Array(plan.boxes.indices))
                // Keys of the (doubled, relative) centres never decrease along the order.
                // (at the resolution the order uses: enough bits for the largest coordinate).
                let centres = plan.boxes.map { $0.lower + $0.upper - domain.lower * 2 }
                let span = max(1, centres.map { c in (0..<3).map { c[$0] }.max()! }.max()!)
                let bits = Int.bitWidth - span.leadingZeroBitCount
                let keys = order.map { curve.key(of: centres[$0], bits: bits) }
                #expect(keys == keys.sorted())
            }
        }
    }

    // MARK: Validation

    /// Random (possibly overlapping, outside or non-covering) box lists: the validation result
    /// matches the brute-force oracle, error for error.
    func checkValidation<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for c in 0..<cases {
            let domain = randomDomain(Point<N>.self, maxExtent: 8, using: &rng)
            var boxes: [Box<N>]
            if Bool.random(using: &rng) {
                // Start from a cover, then maybe drop or stretch a box.
                let counts = (0..<N).map { Int.random(in: 1...domain.shape[$0], using: &rng) }
                boxes = (try? Decomposition(blocks: domain, counts: counts, ranks: 1))!.boxes
                switch Int.random(in: 0...3, using: &rng) {
                case 0: boxes.remove(at: Int.random(in: boxes.indices, using: &rng))
                case 1:
                    let i = Int.random(in: boxes.indices, using: &rng)
                    boxes[i] = boxes[i].grown(by: 1).intersection(domain)
                default: break
                }
                boxes.shuffle(using: &rng)
            } else {
                boxes = (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                    RandomGeometry.nonEmptyBox(in: (domain.lower[0] - 1)...(domain.lower[0] + 6), maxSide: 4, using: &rng)
                }
            }
            let requireCovering = Bool.random(using: &rng)
            var failure: GeometryError? = nil
            var owners: [Int]? = nil
            do throws(GeometryError) {
                owners = try Decomposition(domain: domain, boxes: boxes, ranks: 2, requireCovering: requireCovering).owners
            } catch {
                failure = error
            }
            // Oracle, in the order the checks are specified.
            if let i = boxes.firstIndex(where: { !domain.contains($0) }) {
                let expected = GeometryError.boxOutsideDomain(box: "\(i): \(boxes[i])", domain: domain.description)
                #expect(failure == expected, "case \(c)")
            } else if let (i, j) = PlanOracle.firstOverlap(boxes) {
                let expected = GeometryError.overlappingBoxes(
                    first: i, second: j, overlap: boxes[i].intersection(boxes[j]).description)
                #expect(failure == expected, "case \(c)")
            } else {
                let covered = CellOracle.cells(boxes)
                let missing = domain.volume - covered.count
                if requireCovering && missing > 0 {
                    guard case let .notCovering(count, example)? = failure else {
                        Issue.record("case \(c): expected notCovering, got \(String(describing: failure))")
                        continue
                    }
                    #expect(count == missing)
                    let cell = try? Point<N>(validating: example)
                    let isUncovered = cell.map { domain.contains($0) && !covered.contains($0) } ?? false
                    #expect(isUncovered, "example \(example)")
                } else {
                    #expect(failure == nil, "case \(c): \(String(describing: failure))")
                    let expected = try? RankAssignment.contiguous.owners(of: boxes, in: domain, ranks: 2)
                    #expect(owners == expected)
                }
            }
        }
    }

    @Test func validationMatchesOracle() {
        checkValidation(Point<1>.self, cases: 800, seed: 51)
        checkValidation(Point<2>.self, cases: 800, seed: 52)
        checkValidation(Point<3>.self, cases: 400, seed: 53)
    }

    @Test func badInputIsATypedError() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [8, 8])
        let a = try Box<2>(lower: [0, 0], upper: [4, 4])
        let b = try Box<2>(lower: [4, 0], upper: [8, 4])
        let c = try Box<2>(lower: [3, 3], upper: [5, 5])
        #expect(throws: GeometryError.overlappingBoxes(first: 0, second: 2, overlap: "[3, 3]..<[4, 4]")) {
            try Decomposition(domain: domain, boxes: [a, b, c], ranks: 1)
        }
        let outside = try Box<2>(lower: [6, 6], upper: [9, 8])
        #expect(throws: GeometryError.boxOutsideDomain(box: "1: [6, 6]..<[9, 8]", domain: "[0, 0]..<[8, 8]")) {
            try Decomposition(domain: domain, boxes: [a, outside], ranks: 1)
        }
        let inverted = Box<2>(uncheckedLower: [2, 5], upper: [3, 4])
        #expect(throws: GeometryError.invertedBox(lower: [2, 5], upper: [3, 4])) {
            try Decomposition(domain: domain, boxes: [inverted], ranks: 1)
        }
        // The domain itself: inverted, or empty (even with no boxes to check against it).
        let invertedDomain = Box<2>(uncheckedLower: [0, 8], upper: [8, 0])
        #expect(throws: GeometryError.invertedBox(lower: [0, 8], upper: [8, 0])) {
            try Decomposition<2>(domain: invertedDomain, boxes: [], ranks: 1)
        }
        #expect(throws: GeometryError.invertedBox(lower: [0, 8], upper: [8, 0])) {
            try Decomposition(domain: invertedDomain, boxes: [a], owners: [0], rankCount: 1)
        }
        #expect(throws: GeometryError.invalidValue(name: "volume of the domain [0, 3]..<[8, 3]", value: 0, requirement: "positive")) {
            try Decomposition<2>(domain: Box(uncheckedLower: [0, 3], upper: [8, 3]), boxes: [], ranks: 1)
        }
        let empty = Box<2>(uncheckedLower: [2, 4], upper: [3, 4])
        #expect(throws: GeometryError.invalidValue(name: "volume of box 1 [2, 4]..<[3, 4]", value: 0, requirement: "positive (every patch holds at least one cell)")) {
            try Decomposition(domain: domain, boxes: [a, empty], ranks: 1)
        }
        #expect(throws: GeometryError.notCovering(uncoveredCells: 32, example: [0, 4])) {
            try Decomposition(domain: domain, boxes: [a, b], ranks: 1, requireCovering: true)
        }
        #expect(throws: GeometryError.indexOutOfRange(name: "owner rank of patch 1", index: 5, range: 0..<2)) {
            try Decomposition(domain: domain, boxes: [a, b], owners: [0, 5], rankCount: 2)
        }
        #expect(throws: GeometryError.invalidValue(name: "block count along axis 1", value: 0, requirement: "at least 1")) {
            try Decomposition(blocks: domain, counts: [2, 0], ranks: 1)
        }
        #expect(throws: GeometryError.invalidValue(name: "block count along axis 0", value: -3, requirement: "at least 1")) {
            try Decomposition(blocks: domain, counts: [-3, 2], ranks: 1)
        }
        #expect(throws: GeometryError.invalidValue(name: "block count along axis 0", value: 9, requirement: "at most the domain's extent 8 on that axis")) {
            try Decomposition(blocks: domain, counts: [9, 2], ranks: 1)
        }
        #expect(throws: GeometryError.wrongDimension(expected: 2, got: 3)) {
            try Decomposition(blocks: domain, counts: [1, 2, 3], ranks: 1)
        }
        #expect(throws: GeometryError.invalidValue(name: "rank count", value: 0, requirement: "at least 1")) {
            try Decomposition(blocks: domain, counts: [2, 2], ranks: 0)
        }
        #expect(throws: GeometryError.wrongDimension(expected: 2, got: 1)) {
            try Decomposition(blocks: domain, counts: [2, 2], ranks: 1, periodic: [true])
        }
        #expect(throws: GeometryError.invalidValue(name: "maximum box extent", value: 0, requirement: "at least 1")) {
            try Decomposition(bisecting: domain, maxExtent: 0, ranks: 1)
        }
        #expect(throws: GeometryError.invalidValue(name: "maximum box volume", value: -2, requirement: "at least 1")) {
            try Decomposition(bisecting: domain, maxVolume: -2, ranks: 1)
        }
        #expect(throws: GeometryError.invalidValue(name: "domain volume", value: 0, requirement: "positive")) {
            try Decomposition(bisecting: Box<2>(lower: [0, 0], upper: [0, 5]), maxExtent: 2, ranks: 1)
        }
        let huge = try Box<3>(lower: [0, 0, 0], upper: [1 << 20, 1 << 20, 1 << 20])
        #expect(throws: GeometryError.self) { try Decomposition(bisecting: huge, maxExtent: 1, ranks: 1) }
        #expect(throws: GeometryError.self) { try Decomposition(bisecting: huge, maxVolume: 1, ranks: 1) }
        #expect(throws: GeometryError.self) { try Decomposition(blocks: huge, counts: [1 << 20, 1 << 20, 1], ranks: 1) }
    }

    @Test func validationScalesToManyBoxes() throws {
        // 120×120 = 14,400 patches: the index-based check is quick (all pairs would be 10⁸ tests).
        let domain = try Box<2>(lower: [0, 0], upper: [1200, 1200])
        let blocks = try Decomposition(blocks: domain, counts: [120, 120], ranks: 16)
        let plan = try Decomposition(domain: domain, boxes: blocks.boxes, ranks: 16, requireCovering: true)
        #expect(plan.count == 14_400)
        var boxes = blocks.boxes
        boxes[14_399] = boxes[14_399].grown(by: 1).intersection(domain)
        #expect(throws: GeometryError.overlappingBoxes(first: 14_278, second: 14_399, overlap: "[1189, 1189]..<[1190, 1190]")) {
            try Decomposition(domain: domain, boxes: boxes, ranks: 16)
        }
    }

    // MARK: Periodic

    @Test func periodicShiftsMatchBruteForce() throws {
        func check<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
            var rng = SeededGenerator(seed: seed)
            for c in 0..<cases {
                let domain = randomDomain(Point<N>.self, maxExtent: 6, using: &rng)
                let periodic = (0..<N).map { _ in Bool.random(using: &rng) }
                let plan = try Decomposition(domain: domain, boxes: [domain], owners: [0], rankCount: 1, periodic: periodic)
                // Regions within a few domain extents of the domain: multiples in -5...5 suffice.
                let lower = Point<N>(InlineArray { a in domain.lower[a] + Int.random(in: (-2 * domain.shape[a])...(domain.shape[a] + 1), using: &rng) })
                let shape = Point<N>(InlineArray { a in Int.random(in: 0...(3 * domain.shape[a]), using: &rng) })
                let region = Box(uncheckedLower: lower, upper: lower + shape)
                var expected: [Point<N>] = []
                let range = Box<N>(uncheckedLower: Point(repeating: -5), upper: Point(repeating: 6))
                let regionCells = CellOracle.cells(region)
                for k in CellOracle.cells(range).sorted() where k != .zero {
                    if (0..<N).contains(where: { !periodic[$0] && k[$0] != 0 }) { continue }
                    let s = k * domain.shape
                    if !regionCells.isDisjoint(with: CellOracle.cells(domain.shifted(by: s))) { expected.append(s) }
                }
                #expect(plan.periodicShifts(meeting: region) == expected, "case \(c): \(domain) \(periodic) \(region)")
                // wrapped: periodic images land in the domain; non-periodic escapes give nil.
                let p: Point<N> = RandomGeometry.point(in: -15...15, using: &rng)
                let w = plan.wrapped(p)
                let escapes = (0..<N).contains { !periodic[$0] && (p[$0] < domain.lower[$0] || p[$0] >= domain.upper[$0]) }
                #expect((w == nil) == escapes)
                if let w {
                    #expect(domain.contains(w))
                    #expect((0..<N).allSatisfy { (p[$0] - w[$0]) % domain.shape[$0] == 0 })
                }
            }
        }
        try check(Point<1>.self, cases: 300, seed: 61)
        try check(Point<2>.self, cases: 200, seed: 62)
        try check(Point<3>.self, cases: 30, seed: 63)
    }

    @Test func periodicShiftsForAHalo() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [8, 8])
        let plan = try Decomposition(blocks: domain, counts: [2, 2], ranks: 4, periodic: [true, false])
        // Box 0 is [0,0)..<[4,4): its halo crosses x = 0 (periodic) and y = 0 (not periodic).
        #expect(plan.periodicShifts(of: plan.boxes[0], grownBy: 1) == [[-8, 0]])
        #expect(plan.periodicShifts(of: plan.boxes[3], grownBy: 1) == [[8, 0]])
        let both = try Decomposition(blocks: domain, counts: [2, 2], ranks: 4, periodic: [true, true])
        #expect(both.periodicShifts(of: both.boxes[0], grownBy: 1) == [[-8, -8], [-8, 0], [0, -8]])
        #expect(both.periodicShifts(of: both.boxes[0], grownBy: 9).count == 15)  // [-9, 13) meets 4 copies per axis: 4×4 − 1
        #expect(both.periodicExtent == [8, 8])
        #expect(plan.periodicExtent == [8, 0])
    }

    @Test func periodicImagesFillTheHalo() throws {
        var rng = SeededGenerator(seed: 64)
        for c in 0..<300 {
            let domain = randomDomain(Point<2>.self, maxExtent: 7, using: &rng)
            let periodic = [Bool.random(using: &rng), Bool.random(using: &rng)]
            let counts = (0..<2).map { Int.random(in: 1...domain.shape[$0], using: &rng) }
            let plan = try Decomposition(blocks: domain, counts: counts, ranks: 1, periodic: periodic)
            let box = plan.boxes.randomElement(using: &rng)!
            let width = Int.random(in: 0...9, using: &rng)
            let images = plan.periodicImages(of: box, grownBy: width)
            // Oracle: each grown-box cell outside the domain that wraps into it lies in exactly
            // one image's halo, whose source holds the wrapped cell at the same offset.
            for cell in CellOracle.cells(box.grown(by: width)) where !domain.contains(cell) {
                let holders = images.filter { $0.halo.contains(cell) }
                if let w = plan.wrapped(cell) {
                    #expect(holders.count == 1, "case \(c) cell \(cell)")
                    if let image = holders.first {
                        #expect(cell - image.shift == w && image.source.contains(w))
                    }
                } else {
                    #expect(holders.isEmpty)
                }
            }
            #expect(images.allSatisfy { !$0.halo.isEmpty && box.grown(by: width).contains($0.halo) && domain.contains($0.source) })
        }
    }

    @Test func haloNeighboursMatchBruteForce() throws {
        func check<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
            var rng = SeededGenerator(seed: seed)
            for c in 0..<cases {
                let lower: Point<N> = RandomGeometry.point(in: -6...6, using: &rng)
                let shape = Point<N>(InlineArray { _ in Int.random(in: 3...(N >= 3 ? 5 : 9), using: &rng) })
                let domain = Box(uncheckedLower: lower, upper: lower + shape)
                let periodic = (0..<N).map { _ in Bool.random(using: &rng) }
                let plan = Bool.random(using: &rng)
                    ? try Decomposition(blocks: domain, counts: (0..<N).map { Int.random(in: 1...domain.shape[$0], using: &rng) }, ranks: 2, periodic: periodic)
                    : try Decomposition(bisecting: domain, maxVolume: Int.random(in: 1...30, using: &rng), ranks: 2, periodic: periodic)
                let width = Int.random(in: 0...4, using: &rng)
                let lists = try plan.haloNeighbours(width: width)
                // Shifts: a halo of ≤ 4 cells on a domain of ≥ 3 cells per axis reaches at most
                // 2 copies away: multiples −2…2 of the extent on periodic axes.
                var shifts: [Point<N>] = [.zero]
                let ks = Box<N>(uncheckedLower: Point(repeating: -2), upper: Point(repeating: 3))
                for k in CellOracle.cells(ks).sorted() where k != .zero {
                    if (0..<N).allSatisfy({ periodic[$0] || k[$0] == 0 }) { shifts.append(k * domain.shape) }
                }
                for i in plan.boxes.indices {
                    let grown = plan.boxes[i].grown(by: width)
                    var expected: [Decomposition<N>.HaloNeighbour] = []
                    for s in shifts {
                        for j in plan.boxes.indices where !(j == i && s == .zero) && grown.intersects(plan.boxes[j].shifted(by: s)) {
                            expected.append(.init(patch: j, shift: s))
                        }
                    }
                    #expect(lists[i] == expected, "case \(c) patch \(i)")
                }
            }
        }
        try check(Point<1>.self, cases: 100, seed: 81)
        try check(Point<2>.self, cases: 100, seed: 82)
        try check(Point<3>.self, cases: 10, seed: 83)
        let plan = try Decomposition(blocks: Box<1>(lower: [0], upper: [4]), counts: [1], ranks: 1)
        #expect(throws: GeometryError.invalidValue(name: "halo width", value: -1, requirement: "at least 0")) {
            try plan.haloNeighbours(width: -1)
        }
    }

    @Test func codableRoundTripValidates() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [12, 9])
        let plan = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 3, assignment: .balancedByVolume, periodic: [true, false])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // a stable text, so that the box below can be found in it
        let data = try encoder.encode(plan)
        let back = try JSONDecoder().decode(Decomposition<2>.self, from: data)
        #expect(back == plan && back.identity == plan.identity)
        #expect(plan.description == "Decomposition<2>(\(plan.count) patches on 3 ranks over [0, 0]..<[12, 9], periodic [true, false])")
        // A corrupted file (two boxes overlapping) is rejected with the geometric reason.
        var json = String(decoding: data, as: UTF8.self)
        let first = try encoder.encode(plan.boxes[0]), second = try encoder.encode(plan.boxes[1])
        json = json.replacingOccurrences(of: String(decoding: second, as: UTF8.self), with: String(decoding: first, as: UTF8.self))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Decomposition<2>.self, from: Data(json.utf8)) }
    }

    @Test func identityFollowsContents() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [8, 8])
        let a = try Decomposition(blocks: domain, counts: [2, 2], ranks: 2)
        let b = try Decomposition(domain: domain, boxes: a.boxes, owners: a.owners, rankCount: 2)
        #expect(a.identity == b.identity)
        #expect(try a.reassigned(to: 2, by: .roundRobin).identity != a.identity)
        #expect(try Decomposition(blocks: domain, counts: [2, 2], ranks: 2, periodic: [true, false]).identity != a.identity)
    }
}
