import ArgumentParser
import Foundation
@_spi(Profiling) import Patchwork

/// `patchwork bench halo`: the cubed-sphere halo update of pace's configuration across MPI ranks
/// (run `mpirun -np 6 patchwork bench halo --json`: one 48×48 tile of 79 levels per rank, ghost
/// width 3, 4 scalar quantities of Double, edges only as pace's scalar `HaloUpdater`), timed as
/// the mean over many updates and taken from the slowest rank. The reference is pace-util's
/// `HaloUpdater` over mpi4py (`/work/shared/peers/pace_halo_bench.py`), measured in the same run
/// by `scripts/bench-halo.sh` and passed as `--peer-ms`.
struct HaloBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halo",
        abstract: "Cubed-sphere halo update across MPI ranks (pace's configuration) vs pace-util's HaloUpdater."
    )

    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Tile size n (cells per side).") var n = 48
    @Option(help: "Vertical levels.") var levels = 79
    @Option(help: "Ghost width (x and y).") var halo = 3
    @Option(help: "Vertical ghost width (pace's quantities have none; a width of 0 lets whole level columns of neighbouring rows coalesce).")
    var verticalHalo = 0
    @Option(help: "Scalar quantities (Double arrays).") var quantities = 4
    /// How the halos move between ranks.
    enum Transfer: String, ExpressibleByArgument, CaseIterable {
        /// Arrays in MPI-3 shared memory, halos written straight into the neighbours' ghosts.
        case direct
        /// Messages packed into MPI-3 shared memory and unpacked by the receiver.
        case packed
        /// MPI point-to-point messages (Isend/Irecv).
        case mpi
    }

    @Option(help: "How halos move between the ranks of one node: \(Transfer.allCases.map(\.rawValue).joined(separator: ", ")).")
    var transfer: Transfer = .direct
    @Option(help: "Updates per timing round.") var repetitions = 50
    @Option(help: "Timing rounds (the best is kept).") var rounds = 5
    @Option(help: "pace-util's milliseconds per update, measured just before in the same run (scripts/bench-halo.sh).")
    var peerMs: Double? = nil

    func validate() throws {
        for (name, v) in [("n", n), ("levels", levels), ("halo", halo), ("quantities", quantities), ("repetitions", repetitions), ("rounds", rounds)] where v < 1 {
            throw ValidationError("--\(name) must be at least 1, got \(v)")
        }
        guard verticalHalo >= 0 else { throw ValidationError("--vertical-halo must be at least 0, got \(verticalHalo)") }
    }

    func run() throws {
        let comm = try MPICommunicator.world()
        let sphere = try CubedSphere(tileSize: n, layout: [1, 1])
        guard comm.size <= sphere.rankCount else {
            if comm.rank == 0 { printError("bench halo: the 6-tile sphere runs on 1 to 6 ranks, not \(comm.size)") }
            throw ExitCode(2)
        }
        let plan: Decomposition<3> = try sphere.floorPlan(levels: levels, ranks: comm.size)
        let ghosts: Point<3> = [halo, halo, verticalHalo]
        let arrays = try (0..<quantities).map { _ in
            transfer == .direct
                ? try PatchArray<Double, 3>(decomposition: plan, ghostWidths: ghosts, sharedWith: comm)
                : try PatchArray<Double, 3>(decomposition: plan, ghostWidths: ghosts, rank: comm.rank)
        }
        for (q, a) in arrays.enumerated() { a.fill { p in Double(q * 1_000_000 + p[0] * 10_000 + p[1] * 100 + p[2]) } }
        let motion = try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, levels: levels, width: halo, corners: false)
        let exchange = try HaloExchange.collective(plan: motion, quantities: arrays.map { .scalar($0) }, communicator: comm)
        let shm = transfer != .mpi ? try exchange.useSharedMemory(comm, transfer: transfer == .direct ? .direct : .packed) : false
        try exchange.run(agreeingOn: comm)
        for _ in 0..<3 { try exchange.run() }
        var best = Double.infinity
        for _ in 0..<rounds {
            try comm.barrier()
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repetitions { try exchange.run() }
            let local = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repetitions)
            best = min(best, try comm.allReduce(local, .max))  // the slowest rank's mean
        }
        // Where the time goes, per rank (a separate round, so the timers cost nothing above):
        // start = post receives + pack + post sends + local copies; finish = wait + unpack
        // (with shared memory the unpack reads the peer's segment: it is counted in wait; with
        // direct transfers start opens the ghosts and writes to the neighbours already open,
        // wait writes to the others and waits for the neighbours' writes).
        var phase = (start: 0.0, wait: 0.0, unpack: 0.0)
        try comm.barrier()
        for _ in 0..<repetitions {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try exchange.start()
            let t1 = DispatchTime.now().uptimeNanoseconds
            try exchange.finish()
            let t2 = DispatchTime.now().uptimeNanoseconds
            try exchange.unpackAgainForTiming()
            let t3 = DispatchTime.now().uptimeNanoseconds
            phase.start += Double(t1 - t0)
            phase.unpack += Double(t3 - t2)
            phase.wait += Double(t2 - t1) - Double(t3 - t2)
        }
        let perRank = [phase.start, max(0, phase.wait), phase.unpack].map { $0 / 1e6 / Double(repetitions) }
        let phases = try perRank.map { (try comm.allReduce($0, .max), try comm.allReduce($0, .sum) / Double(comm.size)) }
        let bytes = try comm.allReduce(exchange.bytesSent, .sum)
        guard comm.rank == 0 else { return }
        var result: [String: Any] = [
            "benchmark": "halo", "ranks": comm.size, "n": n, "nz": levels, "nh": halo, "quantities": quantities,
            "repetitions": repetitions, "rounds": rounds,
            "ms_per_update": best,
            "messages_per_rank": exchange.peers.sends.count,
            "bytes_per_update_all_ranks": bytes,
            "GBps_all_ranks": Double(bytes) / (best / 1e3) / 1e9,
            "thread_level": "\(comm.threadLevel)",
            "waiting": shm ? "spin 32 polls, then sleep on a futex doorbell rung by the peers" : "WaitBackoff " + (ProcessInfo.processInfo.environment["PATCHWORK_WAIT"] ?? "default (spins,yields,nap µs = 16,2,30)"),
            "nh_vertical": verticalHalo,
            "transport": !shm ? "MPI point-to-point (Isend/Irecv)"
                : transfer == .direct ? "MPI-3 shared memory, direct: arrays in MPI_Win_allocate_shared, each rank writes its halos straight into the neighbours' ghost cells"
                : "MPI-3 shared memory, packed: pack into own segment, flag, peer unpacks from it",
            "phases_ms_max_over_ranks": ["start_pack_post": phases[0].0, "wait": phases[1].0, "unpack": phases[2].0],
            "phases_ms_mean_over_ranks": ["start_pack_post": phases[0].1, "wait": phases[1].1, "unpack": phases[2].1],
            "mpirun_options": ProcessInfo.processInfo.environment.filter { ["OMPI_MCA_btl", "OMPI_MCA_mpi_", "OMPI_MCA_pml"].contains(where: $0.key.hasPrefix) }.map { "\($0.key)=\($0.value)" }.sorted(),
            "reference": "pace-util HaloUpdater over mpi4py (/work/shared/peers/pace_halo_bench.py), same ranks, measured just before by scripts/bench-halo.sh",
        ]
        if let peerMs {
            result["peer_ms_per_update"] = peerMs
            result["speedup_vs_peer"] = peerMs / best
        } else {
            result["peer_ms_per_update"] = NSNull()
            result["note"] = "no --peer-ms given: run scripts/bench-halo.sh for the same-run ratio"
        }
        if json { printJSON(result) } else { for (k, v) in result.sorted(by: { $0.key < $1.key }) { print(k, v) } }
    }
}
