import Testing
@testable import Patchwork

/// Copies between arrays on different floor plans (KeLP's copy on intersection), checked point by
/// point against an oracle that knows nothing of the plan: a destination cell within
/// `destinationGhosts` of its patch, inside the region, takes the value of the domain cell it
/// names; every other cell keeps the sentinel.
@Suite struct ArrayCopyTests {
    static let sentinel = -1.0

    static func value<let N: Int>(_ p: Point<N>, component: Int = 0) -> Double {
        var v = Double(component) * 1e9
        for i in 0..<N { v = v * 1000 + Double(p[i] + 100) }
        return v
    }

    /// Source interiors hold the oracle values (ghosts the sentinel, so a copy of a ghost shows).
    static func source<let N: Int>(_ plan: Decomposition<N>, rank: Int, component: Int = 0) throws -> PatchArray<Double, N> {
        let a = try PatchArray<Double, N>(decomposition: plan, ghostWidth: 1, rank: rank, initialValue: sentinel)
        a.fill { p in value(p, component: component) }
        return a
    }

    /// Checks every allocated cell of `destination` against the oracle; returns the cells that differ.
    static func mismatches<let N: Int>(
        _ destination: PatchArray<Double, N>, domain: Box<N>, ghosts: Int, region: Box<N>?, component: Int = 0,
        accumulate: Bool = false
    ) -> Int {
        var wrong = 0
        for (index, patch) in destination.localPatches {
            let reach = destination.decomposition.boxes[index].grown(by: ghosts)
            for p in patch.allocatedBox.cells {
                let written = reach.contains(p) && domain.contains(p) && (region?.contains(p) ?? true)
                let expected = written ? (accumulate ? sentinel : 0) + value(p, component: component) : sentinel
                if patch[p] != expected { wrong += 1 }
            }
        }
        return wrong
    }

    /// A random domain, a regular source plan and a bisected destination plan (other boxes, other
    /// owners), a ghost reach and sometimes a region.
    static func randomCase<let N: Int>(_ rng: inout SeededGenerator, ranks: Int) throws
        -> (Box<N>, Decomposition<N>, Decomposition<N>, Int, Box<N>?)
    {
        let shape = Point<N>(InlineArray { _ in Int.random(in: 4...10, using: &rng) })
        let lower = Point<N>(InlineArray { _ in Int.random(in: -3...3, using: &rng) })
        let domain = try Box<N>(lower: lower, upper: lower + shape)
        let counts = (0..<N).map { _ in Int.random(in: 1...3, using: &rng) }
        let regular = try Decomposition(blocks: domain, counts: counts, ranks: ranks)
        let bisected = try Decomposition(
            bisecting: domain, maxExtent: Int.random(in: 2...5, using: &rng), ranks: ranks, assignment: .roundRobin)
        let (from, to) = Bool.random(using: &rng) ? (regular, bisected) : (bisected, regular)
        let ghosts = Int.random(in: 0...2, using: &rng)
        var region: Box<N>? = nil
        if Bool.random(using: &rng) {
            let lo = Point<N>(InlineArray { a in Int.random(in: domain.lower[a] - 1...domain.lower[a] + 2, using: &rng) })
            let hi = Point<N>(InlineArray { a in Int.random(in: lo[a] + 1...domain.upper[a] + 1, using: &rng) })
            region = Box(uncheckedLower: lo, upper: hi)
        }
        return (domain, from, to, ghosts, region)
    }

    func runSingleRank<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let cache = PlanCache<N>()
        for k in 0..<cases {
            let (domain, from, to, ghosts, region): (Box<N>, Decomposition<N>, Decomposition<N>, Int, Box<N>?) =
                try Self.randomCase(&rng, ranks: 1)
            let a = try Self.source(from, rank: 0)
            let b = try PatchArray<Double, N>(decomposition: to, ghostWidth: 2, initialValue: Self.sentinel)
            let accumulate = k % 3 == 2
            let copy = try ArrayCopy(
                from: a, to: b, destinationGhosts: ghosts, within: region, cache: cache, mode: accumulate ? .accumulate : .copy)
            #expect(copy.peers.sends.isEmpty && copy.bytesSent == 0)
            try copy.run()
            #expect(Self.mismatches(b, domain: domain, ghosts: ghosts, region: region, accumulate: accumulate) == 0)
            if !accumulate {
                try copy.run()  // idempotent
                #expect(Self.mismatches(b, domain: domain, ghosts: ghosts, region: region) == 0)
            }
        }
    }

    @Test func regularToBisected2D() throws { try runSingleRank(Point<2>.self, cases: 150, seed: 11) }
    @Test func regularToBisected3D() throws { try runSingleRank(Point<3>.self, cases: 40, seed: 12) }

    /// Every rank of a loopback group holds its own patches of both floor plans; the copy's
    /// messages cross ranks, several quantities (a vector among them) in one message per peer.
    @Test(arguments: [2, 4])
    func acrossLoopbackRanks(ranks: Int) throws {
        var rng = SeededGenerator(seed: UInt64(100 + ranks))
        for _ in 0..<12 {
            let (domain, from, to, ghosts, region): (Box<3>, Decomposition<3>, Decomposition<3>, Int, Box<3>?) =
                try Self.randomCase(&rng, ranks: ranks)
            let transports = try LoopbackTransport.group(size: ranks)
            var sources: [[ExchangeQuantity<Double, 3>]] = []
            var destinations: [[ExchangeQuantity<Double, 3>]] = []
            for r in 0..<ranks {
                sources.append([
                    .scalar(try Self.source(from, rank: r, component: 0)),
                    .vector(try VectorPatchArray(x: try Self.source(from, rank: r, component: 1), y: try Self.source(from, rank: r, component: 2))),
                ])
                func blank() throws -> PatchArray<Double, 3> {
                    try PatchArray<Double, 3>(decomposition: to, ghostWidth: 2, rank: r, initialValue: Self.sentinel)
                }
                destinations.append([.scalar(try blank()), .vector(try VectorPatchArray(x: try blank(), y: try blank()))])
            }
            let plan = try MotionPlan.copyOnIntersection(from: from, to: to, destinationGhosts: ghosts, within: region)
            let copies = try (0..<ranks).map { r in
                try ArrayCopy(plan: plan, from: sources[r], to: destinations[r], transport: transports[r])
            }
            #expect(Set(copies.map { $0.signature }).count == 1)
            for _ in 0..<2 {
                for c in copies { try c.start() }
                for c in copies { try c.finish() }
            }
            // One message per peer, and a message to every rank whose destination patches meet this rank's sources.
            for (r, c) in copies.enumerated() {
                let expectedPeers = Set(plan.moves.filter { from.owners[$0.sourcePatch] == r && to.owners[$0.destinationPatch] != r }
                    .map { to.owners[$0.destinationPatch] })
                #expect(c.peers.sends == expectedPeers.sorted())
                let volume = plan.moves.filter { from.owners[$0.sourcePatch] == r && to.owners[$0.destinationPatch] != r }
                    .reduce(0) { $0 + $1.destinationBox.volume }
                #expect(c.bytesSent == volume * 3 * MemoryLayout<Double>.stride)
            }
            for r in 0..<ranks {
                for (q, quantity) in destinations[r].enumerated() {
                    for (k, array) in quantity.components.enumerated() {
                        #expect(Self.mismatches(array, domain: domain, ghosts: ghosts, region: region, component: q + k) == 0)
                    }
                }
            }
        }
    }

    @Test func badInputIsATypedError() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [8, 8])
        let from = try Decomposition(blocks: domain, counts: [2, 2], ranks: 2)
        let to = try Decomposition(bisecting: domain, maxExtent: 3, ranks: 2, assignment: .roundRobin)
        let a = try PatchArray<Double, 2>(decomposition: from, rank: 0)
        let b = try PatchArray<Double, 2>(decomposition: to, rank: 0)
        let transports = try LoopbackTransport.group(size: 2)
        let plan = try MotionPlan.copyOnIntersection(from: from, to: to)
        // Lists that do not pair up.
        #expect(throws: ExchangeError.quantityMismatch(quantity: 1, reason: "2 source quantities but 1 destination quantities")) {
            try ArrayCopy(plan: plan, from: [.scalar(a), .scalar(a)], to: [.scalar(b)], transport: transports[0])
        }
        // A destination on another rank count.
        let three = try PatchArray<Double, 2>(decomposition: to.reassigned(to: 3, by: .roundRobin), rank: 0)
        #expect(throws: ExchangeError.quantityMismatch(
            quantity: 0, reason: "the destination is rank 0 of a 3-rank floor plan, the source rank 0 of a 2-rank one")) {
            try ArrayCopy(plan: plan, from: [.scalar(a)], to: [.scalar(three)], transport: transports[0])
        }
        // A scalar into a vector.
        #expect(throws: ExchangeError.self) {
            try ArrayCopy(plan: plan, from: [.scalar(a)], to: [.vector(try VectorPatchArray(x: b, y: b))], transport: transports[0])
        }
        // A plan reaching into ghosts the destination does not have.
        let deep = try MotionPlan.copyOnIntersection(from: from, to: to, destinationGhosts: 1)
        #expect(throws: ExchangeError.self) {
            try ArrayCopy(plan: deep, from: [.scalar(a)], to: [.scalar(b)], transport: transports[0])
        }
        // Moves across ranks with no transport.
        #expect(throws: ExchangeError.transportMismatch(transportRank: -1, transportSize: 0, arrayRank: 0, rankCount: 2)) {
            try ArrayCopy(from: a, to: b)
        }
        // A plan built for other floor plans: the source side is named.
        let regular = try Decomposition(blocks: domain, counts: [1, 2], ranks: 2)
        #expect(throws: ExchangeError.planMismatch(
            role: "source floor plan", plan: MotionPlan<2>.FloorPlanSignature(regular).description,
            arrays: MotionPlan<2>.FloorPlanSignature(from).description)) {
            try ArrayCopy(plan: MotionPlan.copyOnIntersection(from: regular, to: to), from: [.scalar(a)], to: [.scalar(b)], transport: transports[0])
        }
        #expect(throws: ExchangeError.planMismatch(
            role: "destination floor plan", plan: MotionPlan<2>.FloorPlanSignature(regular).description,
            arrays: MotionPlan<2>.FloorPlanSignature(to).description)) {
            try ArrayCopy(plan: MotionPlan.copyOnIntersection(from: from, to: regular), from: [.scalar(a)], to: [.scalar(b)], transport: transports[0])
        }
        // Split-phase misuse.
        let copy = try ArrayCopy(from: a, to: b, transport: transports[0])
        #expect(throws: ExchangeError.notStarted) { try copy.finish() }
    }

    /// The example of ArrayCopy's documentation, on one loopback rank.
    @Test func documentationExample() throws {
        let comm = try LoopbackTransport.group(size: 1)[0]
        let domain = try Box<2>(lower: [0, 0], upper: [32, 32])
        let coarse = try Decomposition(blocks: domain, counts: [2, 2], ranks: comm.size)
        let fine = try Decomposition(bisecting: domain, maxExtent: 16, ranks: comm.size)
        let a = try PatchArray<Double, 2>(decomposition: coarse, rank: comm.rank)
        let b = try PatchArray<Double, 2>(decomposition: fine, ghostWidth: 1, rank: comm.rank)
        a.fill { p in Double(p[0] * 100 + p[1]) }
        let copy = try ArrayCopy(from: a, to: b, transport: comm)
        try copy.run()
        #expect(try b.value(at: [20, 7]) == 2007)
    }

    @Test func copyPlansAreCached() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [12, 12])
        let from = try Decomposition(blocks: domain, counts: [2, 3], ranks: 1)
        let to = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1)
        let cache = PlanCache<2>()
        let first = try cache.copyOnIntersection(from: from, to: to, destinationGhosts: 1)
        let again = try cache.copyOnIntersection(from: from, to: to, destinationGhosts: 1)
        _ = try cache.copyOnIntersection(from: to, to: from, destinationGhosts: 1)
        _ = try cache.copyOnIntersection(from: from, to: to, destinationGhosts: 1, within: try Box(lower: [0, 0], upper: [4, 4]))
        #expect(first.moves == again.moves)
        #expect(cache.statistics == (builds: 3, hits: 1))
        #expect(try first.moves == MotionPlan.copyOnIntersection(from: from, to: to, destinationGhosts: 1).moves)
    }
}
