import ArgumentParser
import Foundation
import Patchwork
#if canImport(Glibc)
import Glibc
#endif

/// `patchwork selftest full-disk`: a full disk, made by this process's file-size limit
/// (`setrlimit(RLIMIT_FSIZE)`, with `SIGXFSZ` ignored so a write past it fails with `EFBIG`
/// instead of killing the process). First a small array is written and flushed (it fits), then a
/// 1 MiB one that does not: the write must fail with a typed ``IOError`` naming the path. Prints
/// `selftest full-disk: typed error: …` and exits 0; exits 1 when the big write succeeds. The
/// test suite then reads the small array back exactly (Zarr: `s.zarr/a`; HDF5: `intact.h5`) and
/// checks that the failed write left no partial chunk (Zarr: `s.zarr/b` reads as fill values).
/// HDF5 also writes `open.h5`, left open until the process exits: the exit must neither crash
/// (HDF5 before 1.14 did, after the failed close of `big.h5`) nor lose that file's data. With
/// `--mpi` (under `mpirun`) MPI starts first and each rank writes into `rank-N` of the directory:
/// the exit then also passes HDF5's `MPI_Finalize` hook.
struct FullDiskSelfTest: ParsableCommand {
    /// The HDF5 file (and its array) left open until the process exits.
    nonisolated(unsafe) static var leftOpen: (HDF5Store, FileArray<Double, 1>)?

    static let configuration = CommandConfiguration(
        commandName: "full-disk",
        abstract: "Check that a write past a file-size limit fails with a typed error."
    )

    @Option(help: "An empty directory for the files.")
    var directory: String

    @Option(help: "zarr or hdf5.")
    var format: String

    @Option(help: "The file-size limit in bytes.")
    var limit = 65_536

    @Flag(help: "Start MPI first; each rank writes into rank-N of the directory.")
    var mpi = false

    func run() throws {
        var directory = directory
        if mpi {
            let world = try MPICommunicator.world()
            directory += "/rank-\(world.rank)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        guard limitFileSize(toBytes: limit) else {
            print("selftest full-disk: setrlimit failed with errno \(errno)")
            throw ExitCode(2)
        }
        let small = (0..<128).map { Double($0) * 0.5 }
        let big = [Double](repeating: 1.25, count: 1 << 17)   // 1 MiB, past the limit
        do {
            switch format {
            case "zarr":
                let store = try ZarrStore.create(at: directory + "/s.zarr")
                let a = try FileArray<Double, 1>.create(in: store, name: "a", shape: Point(small.count))
                try a.write(a.domain, from: small)
                try a.flush(durable: true)
                let b = try FileArray<Double, 1>.create(in: store, name: "b", shape: Point(big.count))
                try b.write(b.domain, from: big)
            case "hdf5":
                do {
                    let store = try HDF5Store.create(at: directory + "/intact.h5")
                    let a = try FileArray<Double, 1>.create(in: store, name: "a", shape: Point(small.count))
                    try a.write(a.domain, from: small)
                    try store.flush(durable: true)
                }
                let open = try HDF5Store.create(at: directory + "/open.h5")
                let c = try FileArray<Double, 1>.create(in: open, name: "c", shape: Point(small.count))
                try c.write(c.domain, from: small)
                Self.leftOpen = (open, c)
                let store = try HDF5Store.create(at: directory + "/big.h5")
                let b = try FileArray<Double, 1>.create(in: store, name: "b", shape: Point(big.count))
                try b.write(b.domain, from: big)
                try store.flush(durable: true)
            default:
                throw ValidationError("--format must be zarr or hdf5, not \(format)")
            }
        } catch let error as IOError {
            print("selftest full-disk: typed error: \(error)")
            return
        }
        print("selftest full-disk: the write past the limit succeeded")
        throw ExitCode(1)
    }
}
