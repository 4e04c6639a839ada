import CZstd

/// The one internal shim over libzstd: one-shot frames (which record their content size), each
/// failure mapped to a typed ``IOError``.
internal enum _Zstd {
    /// Compresses `source` into a new frame; `output` is reused between calls.
    static func compress(_ source: UnsafeRawBufferPointer, level: Int, into output: inout [UInt8],
                         path: String) throws(IOError) -> Int {
        let bound = ZSTD_compressBound(source.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_compress(out.baseAddress, out.count, source.baseAddress, source.count, Int32(level))
        }
        if ZSTD_isError(written) != 0 {
            throw .corrupt(path: path, reason: "zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        return written
    }

    /// Decompresses one frame that must hold exactly `destination.count` bytes.
    static func decompress(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer,
                           path: String) throws(IOError) {
        let size = ZSTD_getFrameContentSize(source.baseAddress, source.count)
        // ZSTD_CONTENTSIZE_UNKNOWN = 0ULL - 1, ZSTD_CONTENTSIZE_ERROR = 0ULL - 2.
        guard size < UInt64.max - 1 else {
            throw .corrupt(path: path, reason: "not a zstd frame recording its content size")
        }
        guard size == UInt64(destination.count) else {
            throw .corrupt(path: path, reason: "zstd frame holds \(size) bytes, the chunk needs \(destination.count)")
        }
        let got = ZSTD_decompress(destination.baseAddress, destination.count, source.baseAddress, source.count)
        if ZSTD_isError(got) != 0 {
            throw .corrupt(path: path, reason: "zstd: \(String(cString: ZSTD_getErrorName(got)))")
        }
        guard got == destination.count else {
            throw .corrupt(path: path, reason: "zstd frame decoded to \(got) bytes, expected \(destination.count)")
        }
    }
}
