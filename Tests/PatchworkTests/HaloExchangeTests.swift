import Testing
@testable import Patchwork

/// Ghost fills checked against an oracle computed without the plan: on a periodic domain, a ghost
/// cell holds the value of the global cell at its coordinates wrapped into the domain.
@Suite struct HaloExchangeTests {
    static let sentinel = -1.0

    /// A value that names its (wrapped) cell uniquely.
    static func value<let N: Int>(_ p: Point<N>, component: Int = 0) -> Double {
        var v = Double(component) * 1e9
        for i in 0..<N { v = v * 1000 + Double(p[i] + 100) }
        return v
    }

    /// A random block floor plan with random periodicity, its ghost width and corner choice.
    static func randomCase<let N: Int>(_ rng: inout SeededGenerator) throws -> (Decomposition<N>, Int, Bool) {
        let shape = Point<N>(InlineArray { _ in Int.random(in: 3...9, using: &rng) })
        let lower = Point<N>(InlineArray { _ in Int.random(in: -4...4, using: &rng) })
        let d = try Box<N>(lower: lower, upper: lower + shape)
        let counts = (0..<N).map { shape[$0] >= 4 ? Int.random(in: 1...3, using: &rng) : 1 }
        let periodic = (0..<N).map { _ in Bool.random(using: &rng) }
        let plan = try Decomposition(blocks: d, counts: counts, ranks: 1, periodic: periodic)
        let minSide = plan.boxes.map { b in (0..<N).map { b.shape[$0] }.min()! }.min()!
        return (plan, Int.random(in: 1...max(1, min(4, minSide)), using: &rng), Bool.random(using: &rng))
    }

    /// Fills interiors with the oracle's values and ghosts with the sentinel.
    static func prepare<let N: Int>(_ a: PatchArray<Double, N>, component: Int = 0) {
        for (_, patch) in a.localPatches {
            try! patch.fill(in: patch.allocatedBox, with: { p in patch.box.contains(p) ? value(p, component: component) : sentinel })
        }
    }

    /// Checks every allocated cell against the oracle. `filled(p, box)` says whether ghost `p` of
    /// `box` must have been written.
    static func check<let N: Int>(
        _ a: PatchArray<Double, N>, component: Int = 0, accumulate: Bool = false, corners: Bool
    ) {
        let plan = a.decomposition
        var mismatches = 0
        for (index, patch) in a.localPatches {
            let cellBox = plan.boxes[index]
            for p in patch.allocatedBox.cells {
                let got = patch[p]
                let interior = patch.box.contains(p)
                var outsideAxes = 0
                for i in 0..<N where p[i] < cellBox.lower[i] || p[i] >= cellBox.upper[i] { outsideAxes += 1 }
                let inGhostRegion = cellBox.grown(by: a.ghostWidth).contains(p) && !cellBox.contains(p)
                    && (corners || outsideAxes == 1)
                let expected: Double
                if interior && !inGhostRegion {
                    expected = value(p, component: component)
                } else if inGhostRegion, let w = plan.wrapped(p) {
                    expected = accumulate ? sentinel + value(w, component: component) : value(w, component: component)
                } else {
                    expected = sentinel
                }
                if got != expected { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    func runPeriodic<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<cases {
            let (plan, width, corners): (Decomposition<N>, Int, Bool) = try Self.randomCase(&rng)
            let u = try PatchArray<Double, N>(decomposition: plan, ghostWidth: width)
            Self.prepare(u)
            let motion = try MotionPlan.haloFill(plan: plan, width: width, corners: corners)
            let exchange = try HaloExchange(plan: motion, quantities: [.scalar(u)])
            try exchange.run()
            Self.check(u, corners: corners)
            try exchange.run()  // idempotent: a second exchange changes nothing
            Self.check(u, corners: corners)
        }
    }

    @Test func periodicFill1D() throws { try runPeriodic(Point<1>.self, cases: 200, seed: 1) }
    @Test func periodicFill2D() throws { try runPeriodic(Point<2>.self, cases: 200, seed: 2) }
    @Test func periodicFill3D() throws { try runPeriodic(Point<3>.self, cases: 50, seed: 3) }
    @Test func periodicFill4D() throws { try runPeriodic(Point<4>.self, cases: 8, seed: 4) }

    @Test func accumulateAddsIntoGhosts() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<50 {
            let (plan, width, corners): (Decomposition<2>, Int, Bool) = try Self.randomCase(&rng)
            let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: width)
            Self.prepare(u)
            let exchange = try HaloExchange(
                plan: MotionPlan.haloFill(plan: plan, width: width, corners: corners),
                quantities: [.scalar(u)], mode: .accumulate)
            try exchange.run()
            Self.check(u, accumulate: true, corners: corners)
        }
    }

    @Test func severalQuantitiesAndVectorsInOneExchange() throws {
        var rng = SeededGenerator(seed: 6)
        for _ in 0..<50 {
            let (plan, width, corners): (Decomposition<3>, Int, Bool) = try Self.randomCase(&rng)
            let a = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: width)
            let b = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: width)
            let wind = try VectorPatchArray(x: PatchArray<Double, 3>(decomposition: plan, ghostWidth: width),
                                            y: PatchArray<Double, 3>(decomposition: plan, ghostWidth: width))
            Self.prepare(a, component: 1)
            Self.prepare(b, component: 2)
            Self.prepare(wind.x, component: 3)
            Self.prepare(wind.y, component: 4)
            let exchange = try HaloExchange(
                plan: MotionPlan.haloFill(plan: plan, width: width, corners: corners),
                quantities: [.scalar(a), .vector(wind), .scalar(b)])
            try exchange.run()
            Self.check(a, component: 1, corners: corners)
            Self.check(b, component: 2, corners: corners)
            Self.check(wind.x, component: 3, corners: corners)
            Self.check(wind.y, component: 4, corners: corners)
        }
    }

    @Test func staggeredQuantityFillsFacesOfGhostCells() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<60 {
            let (plan, width, corners): (Decomposition<2>, Int, Bool) = try Self.randomCase(&rng)
            let axis = Int.random(in: 0..<2, using: &rng)
            let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: width, staggering: .faceCentred(axis: axis))
            // Interior faces [lower, upper] along the axis: a face shared by two patches carries
            // the value of its wrapped index on both.
            for (_, patch) in u.localPatches {
                try patch.fill(in: patch.allocatedBox, with: { p in
                    patch.box.contains(p) ? (plan.wrapped(p).map { Self.value($0) } ?? Self.value(p)) : Self.sentinel
                })
            }
            let exchange = try HaloExchange(
                plan: MotionPlan.haloFill(plan: plan, width: width, corners: corners), quantities: [.scalar(u)])
            try exchange.run()
            var mismatches = 0
            for (index, patch) in u.localPatches {
                let cellBox = plan.boxes[index]
                for p in patch.allocatedBox.cells {
                    var outsideAxes = 0
                    for i in 0..<2 where p[i] < cellBox.lower[i] || p[i] >= cellBox.upper[i] { outsideAxes += 1 }
                    let ghost = cellBox.grown(by: width).contains(p) && !cellBox.contains(p) && (corners || outsideAxes == 1)
                    let expected: Double
                    if ghost, let w = plan.wrapped(p) { expected = Self.value(w) }
                    else if patch.box.contains(p) { expected = plan.wrapped(p).map { Self.value($0) } ?? Self.value(p) }
                    else { expected = Self.sentinel }
                    if patch[p] != expected { mismatches += 1 }
                }
            }
            #expect(mismatches == 0)
        }
    }

    @Test func splitPhaseRejectsMisuse() throws {
        let plan = try Decomposition(blocks: Box<2>(lower: [0, 0], upper: [8, 8]), counts: [2, 2], ranks: 1, periodic: [true, true])
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        let exchange = try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)])
        #expect(throws: ExchangeError.notStarted) { try exchange.finish() }
        try exchange.start()
        #expect(throws: ExchangeError.alreadyInFlight) { try exchange.start() }
        try exchange.finish()
        try exchange.run()
    }

    @Test func badInputIsATypedError() throws {
        let plan = try Decomposition(blocks: Box<2>(lower: [0, 0], upper: [8, 8]), counts: [2, 2], ranks: 2, periodic: [true, false])
        let narrow = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        // A plan wider than the ghosts.
        #expect(throws: ExchangeError.self) {
            try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 2), quantities: [.scalar(narrow)])
        }
        // Moves across ranks with no transport.
        #expect(throws: ExchangeError.transportMismatch(transportRank: -1, transportSize: 0, arrayRank: 0, rankCount: 2)) {
            try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(narrow)])
        }
        // Quantities on different floor plans.
        let other = try PatchArray<Double, 2>(
            decomposition: Decomposition(blocks: Box<2>(lower: [0, 0], upper: [8, 8]), counts: [1, 2], ranks: 2), ghostWidth: 1)
        #expect(throws: ExchangeError.quantityMismatch(quantity: 1, reason: "its floor plan or rank differs from quantity 0's")) {
            try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(narrow), .scalar(other)])
        }
        // A plan built for another floor plan (other boxes); another rank assignment of the same boxes is fine.
        let otherPlan = try Decomposition(blocks: Box<2>(lower: [0, 0], upper: [8, 8]), counts: [4, 1], ranks: 2, periodic: [true, false])
        let onOther = try PatchArray<Double, 2>(decomposition: otherPlan, ghostWidth: 1)
        #expect(throws: ExchangeError.planMismatch(
            role: "floor plan", plan: MotionPlan<2>.FloorPlanSignature(plan).description,
            arrays: MotionPlan<2>.FloorPlanSignature(otherPlan).description)) {
            try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(onOther)])
        }
        let single = try PatchArray<Double, 2>(decomposition: plan.reassigned(to: 1, by: .roundRobin), ghostWidth: 1)
        _ = try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(single)])
        #expect(MotionPlan<2>.FloorPlanSignature(plan) != MotionPlan<2>.FloorPlanSignature(otherPlan))
        #expect(MotionPlan<2>.FloorPlanSignature(plan).patchCount == 4)
        #expect(MotionPlan<2>(moves: []).sourceFloorPlan == nil)
        #expect(throws: GeometryError.invalidValue(name: "ghost width", value: -1, requirement: "non-negative")) {
            try MotionPlan.haloFill(plan: plan, width: -1)
        }
        #expect(throws: ExchangeError.quantityMismatch(quantity: 0, reason: "an exchange needs at least one quantity")) {
            try HaloExchange<Double, 2>(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [])
        }
    }
}

@Suite struct PlanCacheTests {
    @Test func samePlanIsSharedAndDifferentOptionsAreNot() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [16, 16])
        let a = try Decomposition(blocks: domain, counts: [2, 2], ranks: 1, periodic: [true, true])
        let b = try Decomposition(blocks: domain, counts: [2, 2], ranks: 1, periodic: [true, true])
        let c = try Decomposition(blocks: domain, counts: [4, 2], ranks: 1, periodic: [true, true])
        let cache = PlanCache<2>()
        let first = try cache.haloFill(plan: a, width: 1)
        let second = try cache.haloFill(plan: b, width: 1)     // an equal floor plan: a hit
        #expect(first.moves == second.moves)
        #expect(cache.statistics == (builds: 1, hits: 1))
        _ = try cache.haloFill(plan: a, width: 2)
        _ = try cache.haloFill(plan: a, width: 1, corners: false)
        _ = try cache.haloFill(plan: c, width: 1)
        #expect(cache.statistics == (builds: 4, hits: 1))
        #expect(cache.count == 4)
        #expect(try cache.haloFill(plan: c, width: 1).moves == MotionPlan.haloFill(plan: c, width: 1).moves)
    }
}
