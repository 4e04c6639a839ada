import ArgumentParser
import Patchwork

/// `patchwork selftest allocations`: after a warm-up, repeated `start()` / `finish()` of halo
/// exchanges and array copies allocate nothing — on one rank (local copies only) and over 4
/// loopback ranks (packing, messages, unpacking). Counts Swift heap allocations with the
/// runtime's allocation hook (a single-threaded process, so nothing else is counted) and checks
/// that the buffer pool hands out no buffer. Prints one line per path with its count, then
/// `selftest allocations: passed`, and exits non-zero on any allocation.
struct AllocationSelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocations",
        abstract: "Check that exchanges allocate nothing after the first one."
    )

    @Option(help: "Exchanges counted after the warm-up.")
    var rounds = 20

    func run() throws {
        #if canImport(Glibc)
        var sink: [Int] = []
        guard let seen = AllocationCounter.count({ sink = Array(0..<(sink.count + 100)) }), seen >= 1, sink.count == 100 else {
            throw ValidationError("the allocation hook sees no allocation: cannot count")
        }
        var failures: [String] = []
        for (name, body) in [("local", Self.local), ("loopback", Self.loopback)] {
            let pool = ExchangeBufferPool()
            let round = try body(pool)
            try round()
            try round()
            let before = pool.statistics
            let count = try AllocationCounter.count { for _ in 0..<rounds { try round() } } ?? -1
            let after = pool.statistics
            print("\(name): \(count) heap allocations in \(rounds) exchanges, pool \(before) -> \(after)")
            if count != 0 || after != before { failures.append(name) }
        }
        guard failures.isEmpty else { throw ValidationError("allocations after the warm-up on: \(failures)") }
        print("selftest allocations: passed")
        #else
        print("selftest allocations: skipped (no allocation hook on this platform)")
        #endif
    }

    /// One rank: a periodic ghost fill of a scalar and a vector, and a copy into another floor plan.
    static func local(_ pool: ExchangeBufferPool) throws -> () throws -> Void {
        let plan = try Decomposition(
            bisecting: Box<3>(lower: [0, 0, 0], upper: [12, 10, 6]), maxExtent: 4, ranks: 1, periodic: [true, true, false])
        let other = try Decomposition(blocks: plan.domain, counts: [2, 2, 1], ranks: 1)
        let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 2)
        let wind = try VectorPatchArray(
            x: PatchArray<Double, 3>(decomposition: plan, ghostWidth: 2), y: PatchArray<Double, 3>(decomposition: plan, ghostWidth: 2))
        let target = try PatchArray<Double, 3>(decomposition: other, ghostWidth: 1)
        let exchange = try HaloExchange(
            plan: MotionPlan.haloFill(plan: plan, width: 2), quantities: [.scalar(u), .vector(wind)], pool: pool)
        let copy = try ArrayCopy(from: u, to: target, destinationGhosts: 1, pool: pool)
        return {
            try exchange.start()
            try exchange.finish()
            try copy.start()
            try copy.finish()
        }
    }

    /// Four loopback ranks: ghost fills and copies whose messages cross ranks, some sent before
    /// their receive is posted.
    static func loopback(_ pool: ExchangeBufferPool) throws -> () throws -> Void {
        let ranks = 4
        let plan = try Decomposition(
            bisecting: Box<3>(lower: [0, 0, 0], upper: [12, 12, 4]), maxExtent: 4, ranks: ranks,
            assignment: .roundRobin, periodic: [true, true, true])
        let other = try Decomposition(blocks: plan.domain, counts: [2, 3, 1], ranks: ranks, assignment: .roundRobin)
        let motion = try MotionPlan.haloFill(plan: plan, width: 1)
        let copyPlan = try MotionPlan.copyOnIntersection(from: plan, to: other)
        let transports = try LoopbackTransport.group(size: ranks)
        var exchanges: [HaloExchange<Double, 3>] = []
        var copies: [ArrayCopy<Double, 3>] = []
        for r in 0..<ranks {
            let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: r)
            let v = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: r)
            let target = try PatchArray<Double, 3>(decomposition: other, rank: r)
            exchanges.append(try HaloExchange(plan: motion, quantities: [.scalar(u), .scalar(v)], transport: transports[r], pool: pool))
            copies.append(try ArrayCopy(plan: copyPlan, from: [.scalar(u)], to: [.scalar(target)], transport: transports[r], pool: pool))
        }
        return {
            for e in exchanges { try e.start() }
            for c in copies { try c.start() }
            for e in exchanges.reversed() { try e.finish() }
            for c in copies { try c.finish() }
        }
    }
}
