/// How a backend compresses the chunks of a file array.
///
/// ```swift
/// FileArrayOptions<2>(chunks: Point(256, 256), compression: .zstd(level: 3))
/// ```
///
/// `.deflate` is HDF5's gzip filter and `.zstd` Zarr's zstd codec; each backend rejects the
/// other's with ``IOError/unsupported(path:feature:)`` (Debian's HDF5 has no zstd filter).
/// Compression costs CPU time per chunk; `.none` writes raw bytes.
public enum FileCompression: Sendable, Equatable {
    /// Raw bytes.
    case none
    /// HDF5's deflate (gzip) filter, level 1...9.
    case deflate(level: Int)
    /// Zarr's `zstd` codec (one-shot frames recording their content size), level 1...22.
    case zstd(level: Int)
}
