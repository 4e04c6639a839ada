import Foundation
import Synchronization
import Testing
@testable import Patchwork

/// The distributed layer in one process: logical ranks of a ``LoopbackTransport`` group, each on
/// its own thread, run the collectives (point-to-point all-gather, gather, agreement), floor-plan
/// checks, reductions and the heat solver; results equal the single-rank ones bit for bit.
@Suite struct DistributedTests {
    /// Runs `body(rank transport)` on `ranks` threads and returns the results in rank order.
    static func onEveryRank<R: Sendable>(_ ranks: Int, _ body: @escaping @Sendable (LoopbackTransport) throws -> R) throws -> [Result<R, any Error>] {
        let transports = try LoopbackTransport.group(size: ranks)
        let results = Mutex<[Result<R, any Error>?]>(Array(repeating: nil, count: ranks))
        let threads = (0..<ranks).map { r in
            Thread {
                let outcome = Result { try body(transports[r]) }
                results.withLock { $0[r] = outcome }
            }
        }
        threads.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(30)
        while results.withLock({ $0.contains { $0.map { _ in false } ?? true } }) {
            guard Date() < deadline else { throw CancellationError() }
            usleep(1000)
        }
        return results.withLock { $0.map { $0! } }
    }

    static func wavy(_ p: Point<3>) -> Double {
        sin(Double(p[0]) * 0.7 + Double(p[1]) * 1.3) * Double(p[2] + 1) + 1e-3 * Double(p[0])
    }

    @Test(arguments: [1, 2, 3, 4])
    func pointToPointCollectives(ranks: Int) throws {
        let results = try Self.onEveryRank(ranks) { t in
            let all = try t.allGather((0...t.rank).map { $0 * 10 + t.rank })
            let root = ranks - 1
            let some = try t.gather([Double(t.rank) + 0.5], root: root)
            try t.agreeOnSuccess(true)
            return (all, some)
        }
        for (r, result) in results.enumerated() {
            let (all, some) = try result.get()
            #expect(all == (0..<ranks).map { q in (0...q).map { $0 * 10 + q } })
            #expect(some == (r == ranks - 1 ? (0..<ranks).map { [Double($0) + 0.5] } : []))
        }
        let failing = try Self.onEveryRank(ranks) { t in try t.agreeOnSuccess(t.rank != ranks - 1) }
        for result in failing {
            #expect(throws: TransportError.failedOnRanks(firstRank: ranks - 1, failingRanks: 1)) { try result.get() }
        }
    }

    @Test(arguments: [2, 3, 5])
    func reductionsAndGatherEqualSingleRank(ranks: Int) throws {
        let domain = try Box<3>(lower: [0, 0, 0], upper: [13, 7, 4])
        let one = try Decomposition(bisecting: domain, maxExtent: 3, ranks: 1, periodic: [true, false, true])
        let many = try one.reassigned(to: ranks, by: .balancedByVolume)
        let reference = try PatchArray<Double, 3>(decomposition: one, ghostWidth: 1)
        reference.fill(with: Self.wavy)
        let serial = try LoopbackTransport.group(size: 1)[0]
        let want = [try serial.sum(reference), try serial.minimum(reference), try serial.maximum(reference),
                    try serial.l2Norm(reference), try serial.maxNorm(reference)]
        // Oracle: a plain dense model of the domain.
        let dense = domain.cells.map(Self.wavy)
        #expect(want[1] == dense.min()! && want[2] == dense.max()!)
        #expect(abs(want[0] - dense.reduce(0, +)) < 1e-9 * dense.reduce(0) { $0 + abs($1) })
        #expect(abs(want[3] - dense.reduce(0) { $0 + $1 * $1 }.squareRoot()) < 1e-9 * want[3])
        #expect(want[4] == dense.map(abs).max()!)
        let results = try Self.onEveryRank(ranks) { t in
            let u = try PatchArray<Double, 3>(decomposition: many, ghostWidth: 1, rank: t.rank)
            u.fill(with: Self.wavy)
            let got = [try t.sum(u), try t.minimum(u), try t.maximum(u), try t.l2Norm(u), try t.maxNorm(u)]
            return (got, try t.gatherValues(u, root: 0))
        }
        for (r, result) in results.enumerated() {
            let (got, values) = try result.get()
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern))
            #expect((values != nil) == (r == 0))
            if let values { #expect(values == dense) }
        }
    }

    @Test func floorPlanChecksGiveTheSameErrorOnEveryRank() throws {
        let domain = try Box<3>(lower: [0, 0, 0], upper: [8, 8, 2])
        let misfit = try Self.onEveryRank(3) { t in
            try t.checkFloorPlan(try Decomposition(blocks: domain, counts: [2, 2, 1], ranks: t.rank == 1 ? 4 : 3))
        }
        for result in misfit {
            #expect(throws: DistributedError.rankCountMismatch(floorPlanRanks: 4, transportRanks: 3, ranks: [1])) { try result.get() }
        }
        let different = try Self.onEveryRank(3) { t in
            try t.checkFloorPlan(try Decomposition(blocks: domain, counts: t.rank == 2 ? [4, 1, 1] : [2, 2, 1], ranks: 3))
        }
        for result in different {
            #expect(throws: (any Error).self) { try result.get() }
            if case .failure(DistributedError.floorPlanMismatch(let ranks, _)) = result { #expect(ranks == [2]) } else { Issue.record("\(result)") }
        }
        let same = try Self.onEveryRank(3) { t in try t.checkFloorPlan(try Decomposition(blocks: domain, counts: [2, 2, 1], ranks: 3)) }
        for result in same { #expect(throws: Never.self) { try result.get() } }
    }

    @Test func collectiveExchangeRejectsDifferentQuantityLists() throws {
        let domain = try Box<3>(lower: [0, 0, 0], upper: [8, 8, 2])
        let plan = try Decomposition(blocks: domain, counts: [2, 1, 1], ranks: 2, periodic: [true, true, false])
        let results = try Self.onEveryRank(2) { t in
            let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: t.rank == 0 ? 1 : 2, rank: t.rank)
            _ = try HaloExchange.collective(plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], communicator: t)
        }
        for result in results {
            #expect(throws: DistributedError.exchangeMismatch(differingRanks: [1], reason: "motion plan, quantity list, ghost width, staggering or element type")) { try result.get() }
        }
    }

    /// Double on rank 0, Int64 (also 8 bytes) on the others: a typed error on every rank, naming the types.
    @Test(arguments: [2, 3])
    func collectiveExchangeRejectsMixedElementTypes(ranks: Int) throws {
        let domain = try Box<3>(lower: [0, 0, 0], upper: [12, 8, 2])
        let plan = try Decomposition(blocks: domain, counts: [ranks, 1, 1], ranks: ranks, periodic: [true, true, false])
        let motion = try MotionPlan.haloFill(plan: plan, width: 1)
        let results = try Self.onEveryRank(ranks) { t in
            if t.rank == 0 {
                let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: t.rank)
                _ = try HaloExchange.collective(plan: motion, quantities: [.scalar(u)], communicator: t)
            } else {
                let u = try PatchArray<Int64, 3>(decomposition: plan, ghostWidth: 1, rank: t.rank)
                _ = try HaloExchange.collective(plan: motion, quantities: [.scalar(u)], communicator: t)
            }
        }
        let types = ["float64"] + Array(repeating: "int64", count: ranks - 1)
        for result in results {
            #expect(throws: DistributedError.elementTypeMismatch(differingRanks: Array(1..<ranks), elementTypes: types)) { try result.get() }
        }
        // Same element type everywhere: built, and the signatures of Double and Int64 exchanges differ.
        let built = try Self.onEveryRank(ranks) { t in
            try HaloExchange.collective(
                plan: motion, quantities: [.scalar(PatchArray<Int64, 3>(decomposition: plan, ghostWidth: 1, rank: t.rank))], communicator: t
            ).signature
        }
        let doubles = try HaloExchange(
            plan: motion, quantities: [.scalar(PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1))],
            transport: LoopbackTransport.group(size: ranks)[0])
        for b in built { #expect(try b.get() != doubles.signature) }
    }

    @Test(arguments: [2, 3])
    func heatRunEqualsSingleRank(ranks: Int) throws {
        let domain = try Box<3>(lower: [0, 0, 0], upper: [10, 6, 5])
        let one = try Decomposition(bisecting: domain, maxExtent: 4, ranks: 1, periodic: [true, true, true])
        let many = try one.reassigned(to: ranks, by: .balancedByVolume)
        let initial: @Sendable (Point<3>) -> Double = { p in p == [2, 2, 2] ? 100 : Double((p[0] * 3 + p[1]) % 4) }
        let reference = try HeatSolver<Double>(floorPlan: one, alpha: 0.125, initial: initial)
        try reference.step(6)
        // Oracle: a plain dense periodic update.
        var dense = domain.cells.map(initial)
        let (nx, ny, nz) = (10, 6, 5)
        for _ in 0..<6 {
            var next = dense
            for i in 0..<nx { for j in 0..<ny { for k in 0..<nz {
                func at(_ a: Int, _ b: Int, _ c: Int) -> Double { dense[((a + nx) % nx * ny + (b + ny) % ny) * nz + (c + nz) % nz] }
                let sum = at(i, j, k - 1) + at(i, j, k + 1) + at(i, j - 1, k) + at(i, j + 1, k) + at(i - 1, j, k) + at(i + 1, j, k)
                next[(i * ny + j) * nz + k] = (1 - 6 * 0.125) * at(i, j, k) + 0.125 * sum
            } } }
            dense = next
        }
        let serial = try LoopbackTransport.group(size: 1)[0]
        #expect(try serial.gatherValues(reference.u, root: 0)! == dense)
        let results = try Self.onEveryRank(ranks) { t in
            let heat = try HeatSolver<Double>.collective(floorPlan: many, alpha: 0.125, communicator: t, initial: initial)
            try heat.step(6)
            return try t.gatherValues(heat.u, root: 0)
        }
        let gathered = try results[0].get()
        #expect(gathered.map { $0.map(\.bitPattern) } == dense.map(\.bitPattern))
    }

    @Test func heatSolverRejectsAnUnstableStep() {
        #expect(throws: SolverError.invalidParameter(name: "alpha", value: "0.2", requirement: "in (0, 1/6] for a stable explicit step")) {
            _ = try HeatSolver<Double>(floorPlan: Decomposition(blocks: Box<3>(lower: [0, 0, 0], upper: [4, 4, 4]), counts: [1, 1, 1], ranks: 1), alpha: 0.2)
        }
    }

    @Test func fingerprintsAreStableValues() throws {
        let plan = try Decomposition(blocks: Box<3>(lower: [0, 0, 0], upper: [8, 8, 2]), counts: [2, 2, 1], ranks: 2)
        let again = try Decomposition(blocks: Box<3>(lower: [0, 0, 0], upper: [8, 8, 2]), counts: [2, 2, 1], ranks: 2)
        let other = try Decomposition(blocks: Box<3>(lower: [0, 0, 0], upper: [8, 8, 2]), counts: [2, 2, 1], ranks: 3)
        #expect(plan.identity.fingerprint == again.identity.fingerprint)
        #expect(plan.identity.fingerprint != other.identity.fingerprint)
        let a = try MotionPlan.haloFill(plan: plan, width: 1), b = try MotionPlan.haloFill(plan: plan, width: 2)
        let c = try MotionPlan.haloFill(plan: again, width: 1)
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.fingerprint == c.fingerprint)
    }
}
