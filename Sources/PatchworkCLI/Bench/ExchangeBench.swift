import ArgumentParser
import Patchwork

/// `patchwork bench exchange`: pack + unpack of the four edge strips of one cubed-sphere tile
/// (pace's `HaloDataTransformer` configuration) with and without a quarter turn, against a
/// contiguous copy of the same bytes timed in the same run; and a full single-process ghost fill
/// of the 6-tile sphere.
struct ExchangeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Halo pack/unpack of one cubed-sphere tile (pace's configuration) vs memcpy; 6-tile sphere fill."
    )

    @Flag(help: "Print one JSON object.")
    var json = false
    @Option(help: "Tile size n (cells per side).") var n = 48
    @Option(help: "Vertical levels.") var levels = 79
    @Option(help: "Ghost width.") var halo = 3
    @Option(help: "Quantities (Double arrays).") var quantities = 4
    @Option(help: "Calls per timing round.") var repetitions = 200

    func validate() throws {
        for (name, v) in [("n", n), ("levels", levels), ("halo", halo), ("quantities", quantities), ("repetitions", repetitions)] where v < 1 {
            throw ValidationError("--\(name) must be at least 1, got \(v)")
        }
        guard halo <= n else { throw ValidationError("--halo \(halo) must not exceed --n \(n)") }
    }

    func run() throws {
        var result: [String: Any] = [
            "benchmark": "exchange", "n": n, "nz": levels, "nh": halo, "quantities": quantities,
            "reference": "contiguous copy of the same bytes (memcpy), same run",
        ]
        for turns in [0, 1] {
            let f = try PackUnpackBenchmark.packUnpack(
                n: n, levels: levels, halo: halo, quantities: quantities, turns: turns, repetitions: repetitions)
            let gbps = 2 * Double(f.haloBytes) / f.secondsPerPackUnpack / 1e9
            let memcpy = Double(f.haloBytes) / f.memcpySeconds / 1e9
            result["rotation\(turns)"] = [
                "halo_bytes": f.haloBytes, "seconds_per_pack_unpack": f.secondsPerPackUnpack,
                "pack_unpack_GBps": gbps, "memcpy_GBps": memcpy, "ratio_to_memcpy": gbps / memcpy,
                "with_buffer_copy": [
                    "note": "pack, copy of the buffer, unpack: the three steps of pace's peer script",
                    "seconds": f.secondsWithBufferCopy,
                    "ratio_to_memcpy": 2 * Double(f.haloBytes) / f.secondsWithBufferCopy / 1e9 / memcpy,
                ],
            ]
        }
        let sphere = try PackUnpackBenchmark.sphereFill(
            n: n, levels: levels, halo: halo, quantities: quantities, repetitions: max(1, repetitions / 10))
        let sphereGBps = Double(sphere.bytes) / sphere.seconds / 1e9
        let sphereMemcpy = Double(sphere.bytes) / sphere.memcpySeconds / 1e9
        result["sphere_fill"] = [
            "tiles": 6, "halo_bytes": sphere.bytes, "ms_per_fill": sphere.seconds * 1e3,
            "GBps": sphereGBps, "memcpy_GBps": sphereMemcpy, "ratio_to_memcpy": sphereGBps / sphereMemcpy,
        ]
        if json {
            printJSON(result)
        } else {
            for key in ["rotation0", "rotation1", "sphere_fill"] { print(key, result[key]!) }
        }
    }
}
