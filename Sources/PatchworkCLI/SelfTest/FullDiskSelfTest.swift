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
/// Known limit: Debian's HDF5 1.10.8 crashes at process exit after a failed close of a file
/// whose writes failed (in its `atexit` handler); this check exits with `_exit` after reporting.
struct FullDiskSelfTest: ParsableCommand {
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

    func run() throws {
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
                let store = try HDF5Store.create(at: directory + "/big.h5")
                let b = try FileArray<Double, 1>.create(in: store, name: "b", shape: Point(big.count))
                try b.write(b.domain, from: big)
                try store.flush(durable: true)
            default:
                throw ValidationError("--format must be zarr or hdf5, not \(format)")
            }
        } catch let error as IOError {
            FileHandle.standardOutput.write(Data("selftest full-disk: typed error: \(error)\n".utf8))   // unbuffered
            // Debian's HDF5 1.10.8 cannot close a file whose flush failed: its exit handler then
            // crashes (H5F__close_cb) on the half-closed file, so leave without exit handlers.
            _exit(0)
        }
        print("selftest full-disk: the write past the limit succeeded")
        throw ExitCode(1)
    }
}
