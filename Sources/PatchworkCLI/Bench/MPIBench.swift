import ArgumentParser
import Patchwork

#if canImport(Glibc)
import Glibc
#endif

/// `patchwork bench mpi --json` (under `mpirun -np 2`): ping-pong latency and bandwidth between
/// ranks 0 and 1 through ``MPICommunicator``'s non-blocking send / receive, beside `memcpy` of
/// the same sizes measured in the same run. Ranks above 1 wait at a barrier.
struct MPIBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi",
        abstract: "Ping-pong latency and bandwidth between two MPI ranks vs memcpy (run under mpirun -np 2)."
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: "Message sizes in bytes, comma-separated.")
    var sizes = "8,1024,65536,1048576,4194304"

    func run() throws {
        let comm = try MPICommunicator.world()
        guard comm.size >= 2 else {
            throw ValidationError("bench mpi needs two ranks: mpirun -np 2 patchwork bench mpi --json")
        }
        let byteCounts = sizes.split(separator: ",").compactMap { Int($0) }.filter { $0 >= 0 }
        let largest = byteCounts.max() ?? 0
        let a = UnsafeMutableRawBufferPointer.allocate(byteCount: max(largest, 1), alignment: 64)
        let b = UnsafeMutableRawBufferPointer.allocate(byteCount: max(largest, 1), alignment: 64)
        defer { a.deallocate(); b.deallocate() }
        a.initializeMemory(as: UInt8.self, repeating: 1)
        b.initializeMemory(as: UInt8.self, repeating: 2)

        var rows: [String] = []
        var summary: [(bytes: Int, latency: Double, memcpy: Double)] = []
        for bytes in byteCounts {
            let iterations = min(max(200_000_000 / (bytes + 20_000), 20), 20_000)
            try comm.barrier()
            var seconds = 0.0
            if comm.rank < 2 {
                let peer = 1 - comm.rank
                let send = UnsafeRawBufferPointer(rebasing: a[0..<bytes])
                let receive = UnsafeMutableRawBufferPointer(rebasing: b[0..<bytes])
                // Warm up, then time round trips; one-way time is half a round trip.
                for round in 0..<2 {
                    let count = round == 0 ? max(iterations / 10, 2) : iterations
                    let start = now()
                    for _ in 0..<count {
                        if comm.rank == 0 {
                            try comm.wait(comm.send(send, to: peer, tag: 1))
                            try comm.wait(comm.receive(into: receive, from: peer, tag: 2))
                        } else {
                            try comm.wait(comm.receive(into: receive, from: peer, tag: 1))
                            try comm.wait(comm.send(send, to: peer, tag: 2))
                        }
                    }
                    seconds = (now() - start) / Double(count) / 2
                }
            }
            let memcpySeconds = comm.rank == 0 ? timeMemcpy(a, b, bytes: bytes, iterations: iterations) : 0
            summary.append((bytes, seconds, memcpySeconds))
        }
        try comm.barrier()
        guard comm.rank == 0 else { return }
        for row in summary {
            let bandwidth = Double(row.bytes) / row.latency / 1e9
            let memcpyBandwidth = Double(row.bytes) / row.memcpy / 1e9
            if json {
                rows.append(
                    "{\"bytes\": \(row.bytes), \"one_way_us\": \(format(row.latency * 1e6)), "
                        + "\"bandwidth_gb_s\": \(format(bandwidth)), \"memcpy_us\": \(format(row.memcpy * 1e6)), "
                        + "\"memcpy_gb_s\": \(format(memcpyBandwidth)), \"ratio_vs_memcpy\": \(format(row.latency / row.memcpy))}")
            } else {
                print("\(row.bytes) B: one way \(format(row.latency * 1e6)) µs, \(format(bandwidth)) GB/s; "
                    + "memcpy \(format(row.memcpy * 1e6)) µs, \(format(memcpyBandwidth)) GB/s; ratio \(format(row.latency / row.memcpy))")
            }
        }
        guard json, let first = summary.first, let last = summary.last else { return }
        print(
            "{\"benchmark\": \"mpi\", \"ranks\": \(comm.size), \"thread_level\": \"\(comm.threadLevel)\", "
                + "\"latency_us\": \(format(first.latency * 1e6)), \"latency_bytes\": \(first.bytes), "
                + "\"bandwidth_gb_s\": \(format(Double(last.bytes) / last.latency / 1e9)), \"bandwidth_bytes\": \(last.bytes), "
                + "\"reference\": \"memcpy\", \"memcpy_gb_s\": \(format(Double(last.bytes) / last.memcpy / 1e9)), "
                + "\"ratio\": \(format(last.latency / last.memcpy)), \"sizes\": [\(rows.joined(separator: ", "))]}")
    }

    private func timeMemcpy(
        _ a: UnsafeMutableRawBufferPointer, _ b: UnsafeMutableRawBufferPointer, bytes: Int, iterations: Int
    ) -> Double {
        guard bytes > 0 else { return 1e-9 }
        var best = Double.infinity
        for _ in 0..<3 {
            let start = now()
            for i in 0..<iterations {
                memcpy(b.baseAddress!, a.baseAddress!, bytes)
                a[i % bytes] &+= 1  // keep the copies from being elided
            }
            best = min(best, (now() - start) / Double(iterations))
        }
        return best
    }
}

private func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

private func format(_ value: Double) -> String {
    value.isFinite ? String(Double(Int((value * 1000).rounded())) / 1000) : "null"
}
