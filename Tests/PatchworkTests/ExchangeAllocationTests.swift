import Testing
@testable import Patchwork

/// "After the first exchange, an exchange allocates nothing": repeated start() / finish() after a
/// warm-up make no Swift heap allocation (counted by `patchwork selftest allocations` in a
/// process of its own, with the runtime's allocation hook) and take no buffer from the pool, on
/// the local path and through the loopback transport, whose mailbox reuses its message storage.
@Suite struct ExchangeAllocationTests {
    @Test func selfTestCountsNoAllocationAfterTheFirstExchange() throws {
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["selftest", "allocations"], timeout: 60)
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("local: 0 heap allocations"), "output:\n\(outcome.output)")
        #expect(outcome.output.contains("loopback: 0 heap allocations"), "output:\n\(outcome.output)")
        #expect(outcome.output.contains("selftest allocations: passed"))
    }

    /// In process: the pool hands out nothing and the loopback mailbox allocates no new message
    /// storage after the warm-up, though messages queue before their receives.
    @Test func loopbackMailboxReusesItsStorage() throws {
        let ranks = 4
        let plan = try Decomposition(
            bisecting: Box<3>(lower: [0, 0, 0], upper: [12, 12, 4]), maxExtent: 4, ranks: ranks,
            assignment: .roundRobin, periodic: [true, true, true])
        let motion = try MotionPlan.haloFill(plan: plan, width: 1)
        let transports = try LoopbackTransport.group(size: ranks)
        let pool = ExchangeBufferPool()
        let exchanges = try (0..<ranks).map { r in
            try HaloExchange(
                plan: motion, quantities: [.scalar(PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: r))],
                transport: transports[r], pool: pool)
        }
        func round() throws {
            for e in exchanges { try e.start() }
            for e in exchanges.reversed() { try e.finish() }
        }
        try round()
        let before = pool.statistics
        let storage = transports[0].mailbox.storageCount
        #expect(storage > 0)  // some messages were queued before their receives
        for _ in 0..<10 { try round() }
        #expect(pool.statistics == before)
        #expect(transports[0].mailbox.storageCount == storage)
    }
}
