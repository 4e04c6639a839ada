import ArgumentParser
import Foundation
import Patchwork

#if canImport(Glibc)
import Glibc
#endif

/// `patchwork bench heat-scaling`: weak scaling of the 3-D heat solver (``HeatSolver``, explicit
/// 7-point, periodic). Run under `mpirun -np P`: first rank 0 alone runs one rank's share (an
/// n³ periodic cube) while the other ranks sleep (t₁, the reference, same run); then all P ranks
/// run a (P·n)×n×n periodic domain cut into P blocks along axis 0, the same n³ per rank (t_P).
/// Weak-scaling efficiency = t₁ / t_P.
struct HeatScalingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heat-scaling",
        abstract: "Weak scaling of the 3-D heat solver: one rank vs all ranks, same cells per rank (run under mpirun)."
    )

    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Cells per side of each rank's cube.") var n = 96
    @Option(help: "Steps per timing round.") var steps = 40
    @Option(help: "Timing rounds (the best is kept).") var rounds = 5

    func validate() throws {
        for (name, v) in [("n", n), ("steps", steps), ("rounds", rounds)] where v < 1 {
            throw ValidationError("--\(name) must be at least 1, got \(v)")
        }
        guard n >= 3 else { throw ValidationError("--n must be at least 3, got \(n)") }
    }

    static func initial(_ p: Point<3>) -> Double { Double((p[0] * 31 + p[1] * 17 + p[2] * 7) % 23) }

    /// The best seconds per step of `solver` over the rounds (the slowest rank's, with `comm`).
    func time(_ solver: HeatSolver<Double>, comm: MPICommunicator?) throws -> Double {
        try solver.step(2)
        var best = Double.infinity
        for _ in 0..<rounds {
            try comm?.barrier()
            let start = DispatchTime.now().uptimeNanoseconds
            try solver.step(steps)
            var t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(steps)
            if let comm { t = try comm.allReduce(t, .max) }
            best = min(best, t)
        }
        return best
    }

    func run() throws {
        let comm = try MPICommunicator.world()
        let periodic = [true, true, true]
        // One rank alone; the others wait without spinning (a sleeping poll of a receive).
        var t1 = 0.0
        var token = 0
        if comm.rank == 0 {
            let cube = try Box<3>(lower: [0, 0, 0], upper: [n, n, n])
            let plan = try Decomposition(blocks: cube, counts: [1, 1, 1], ranks: 1, periodic: periodic)
            t1 = try time(try HeatSolver<Double>(floorPlan: plan, alpha: 0.1, initial: Self.initial), comm: nil)
            var requests: [TransportRequest] = []
            for r in 1..<comm.size {
                requests.append(try withUnsafeBytes(of: &token) { try comm.send($0, to: r, tag: 99) })
            }
            try comm.waitAll(requests)
        } else {
            let request = try withUnsafeMutableBytes(of: &token) { try comm.receive(into: $0, from: 0, tag: 99) }
            while try !comm.test(request) { usleep(2000) }
        }
        // All ranks, n³ each.
        let domain = try Box<3>(lower: [0, 0, 0], upper: [n * comm.size, n, n])
        let plan = try Decomposition(blocks: domain, counts: [comm.size, 1, 1], ranks: comm.size, periodic: periodic)
        let solver = try HeatSolver<Double>.collective(floorPlan: plan, alpha: 0.1, communicator: comm, initial: Self.initial)
        let tP = try time(solver, comm: comm)
        t1 = try comm.broadcast(t1, root: 0)
        guard comm.rank == 0 else { return }
        let cells = Double(n * n * n)
        let result: [String: Any] = [
            "benchmark": "heat-scaling", "ranks": comm.size, "cells_per_rank": n * n * n, "n": n, "steps": steps,
            "rounds": rounds,
            "ms_per_step_1_rank": t1 * 1e3, "ms_per_step_all_ranks": tP * 1e3,
            "mcells_per_s_per_rank_1": cells / t1 / 1e6, "mcells_per_s_per_rank_all": cells / tP / 1e6,
            "weak_scaling_efficiency": t1 / tP,
            "reference": "the same solver on one rank with the same cells per rank (n³ periodic cube), same run, other ranks asleep",
        ]
        if json { printJSON(result) } else { for (k, v) in result.sorted(by: { $0.key < $1.key }) { print(k, v) } }
    }
}
