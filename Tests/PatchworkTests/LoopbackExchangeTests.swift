import Testing
@testable import Patchwork

/// The whole pack → send → receive → unpack path over N logical ranks in one process: every
/// rank's patches after the exchange equal the single-rank exchange's, bit for bit.
@Suite struct LoopbackExchangeTests {
    /// Runs one exchange on every rank of a loopback group: all start, then all finish.
    static func exchangeOnAllRanks<let N: Int>(
        ranks: Int, plan motion: MotionPlan<N>, make: (Int) throws -> [ExchangeQuantity<Double, N>]
    ) throws -> [[ExchangeQuantity<Double, N>]] {
        let transports = try LoopbackTransport.group(size: ranks)
        let quantities = try (0..<ranks).map { try make($0) }
        let exchanges = try (0..<ranks).map { r in
            try HaloExchange(plan: motion, quantities: quantities[r], transport: transports[r])
        }
        for _ in 0..<2 {  // twice: buffers and tags are reused
            for e in exchanges { try e.start() }
            for e in exchanges { try e.finish() }
        }
        return quantities
    }

    /// Every local patch of `distributed` equals the same patch of `reference` (all cells, ghosts included).
    static func expectEqual<let N: Int>(_ distributed: PatchArray<Double, N>, _ reference: PatchArray<Double, N>) throws {
        var mismatches = 0
        for (index, patch) in distributed.localPatches {
            let expected = try reference.patch(index)
            for p in patch.allocatedBox.cells where patch[p] != expected[p] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: [2, 4, 6])
    func periodicFillMatchesSingleRank(ranks: Int) throws {
        var rng = SeededGenerator(seed: UInt64(ranks))
        for _ in 0..<10 {
            let domain = try Box<3>(lower: [0, 0, 0], upper: [Int.random(in: 6...12, using: &rng), Int.random(in: 6...12, using: &rng), 5])
            let width = Int.random(in: 1...4, using: &rng)
            let corners = Bool.random(using: &rng)
            let one = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1, periodic: [true, Bool.random(using: &rng), true])
            let many = try one.reassigned(to: ranks, by: .balancedByVolume)
            let motion = try MotionPlan.haloFill(plan: one, width: width, corners: corners)
            #expect(try MotionPlan.haloFill(plan: many, width: width, corners: corners).moves == motion.moves)

            func field(_ plan: Decomposition<3>, rank: Int, salt: Double) throws -> PatchArray<Double, 3> {
                let a = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: width, rank: rank, initialValue: -1)
                a.fill { p in salt + Double(p[0] * 10_000 + p[1] * 100 + p[2]) }
                return a
            }
            let reference = try field(one, rank: 0, salt: 0.25)
            try HaloExchange(plan: motion, quantities: [.scalar(reference)]).run()
            let results = try Self.exchangeOnAllRanks(ranks: ranks, plan: motion) { r in
                [.scalar(try field(many, rank: r, salt: 0.25))]
            }
            for r in 0..<ranks { try Self.expectEqual(results[r][0].components[0], reference) }
        }
    }

    @Test(arguments: [(1, 2), (2, 2), (1, 3), (1, 4)])
    func cubedSphereMatchesSingleRank(layout: Int, width: Int) throws {
        let sphere = try CubedSphere(tileSize: 6, layout: [layout, layout])
        let one: Decomposition<3> = try sphere.floorPlan(levels: 3, ranks: 1)
        let many: Decomposition<3> = try sphere.floorPlan(levels: 3)
        let motion = try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, levels: 3, width: width)
        func quantities(_ plan: Decomposition<3>, rank: Int) throws -> [ExchangeQuantity<Double, 3>] {
            let s = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: width, rank: rank, initialValue: -1)
            let w = try VectorPatchArray(
                x: PatchArray<Double, 3>(decomposition: plan, ghostWidth: width, rank: rank, initialValue: -1),
                y: PatchArray<Double, 3>(decomposition: plan, ghostWidth: width, rank: rank, initialValue: -1))
            s.fill { p in Double(p[0] * 10_000 + p[1] * 100 + p[2]) }
            w.x.fill { p in Double(p[0] * 10_000 + p[1] * 100 + p[2]) + 0.5 }
            w.y.fill { p in -Double(p[0] * 10_000 + p[1] * 100 + p[2]) - 0.25 }
            return [.vector(w), .scalar(s)]
        }
        let reference = try quantities(one, rank: 0)
        try HaloExchange(plan: motion, quantities: reference).run()
        let results = try Self.exchangeOnAllRanks(ranks: sphere.rankCount, plan: motion) { try quantities(many, rank: $0) }
        for r in 0..<sphere.rankCount {
            for (q, quantity) in results[r].enumerated() {
                for (c, component) in quantity.components.enumerated() {
                    try Self.expectEqual(component, reference[q].components[c])
                }
            }
        }
    }

    @Test func transportOfTheWrongShapeIsATypedError() throws {
        let plan = try Decomposition(blocks: Box<2>(lower: [0, 0], upper: [8, 8]), counts: [2, 2], ranks: 4)
        let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1, rank: 1)
        let transports = try LoopbackTransport.group(size: 3)
        #expect(throws: ExchangeError.transportMismatch(transportRank: 1, transportSize: 3, arrayRank: 1, rankCount: 4)) {
            try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], transport: transports[1])
        }
    }
}
