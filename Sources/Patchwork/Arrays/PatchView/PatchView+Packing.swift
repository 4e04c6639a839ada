extension PatchView {
    /// Copies the cells of ``box`` in row-major order into `buffer` (which must hold at least
    /// ``count`` elements) and returns the number copied: the packing step of a halo exchange.
    ///
    /// - Complexity: O(``count``), one `memcpy` per row.
    @inlinable
    @discardableResult
    public func pack(into buffer: UnsafeMutablePointer<Element>) -> Int {
        var written = 0
        forEachRow { _, row in
            _copyElements(to: buffer + written, from: row.baseAddress!, count: row.count)
            written &+= row.count
        }
        return written
    }
}

extension MutablePatchView {
    /// Copies ``count`` elements from `buffer`, in row-major order, into the cells of ``box`` and
    /// returns the number copied: the unpacking step of a halo exchange.
    ///
    /// - Complexity: O(``count``), one `memcpy` per row.
    @inlinable
    @discardableResult
    public func unpack(from buffer: UnsafePointer<Element>) -> Int {
        var read = 0
        forEachRow { _, row in
            _copyElements(to: row.baseAddress!, from: buffer + read, count: row.count)
            read &+= row.count
        }
        return read
    }
}

/// Copies `count` elements with `memcpy` (elements are bit-copyable), fast even in unspecialised
/// generic code. The regions must not overlap.
@inlinable @inline(__always)
internal func _copyElements<Element: PatchElement>(
    to destination: UnsafeMutablePointer<Element>, from source: UnsafePointer<Element>, count: Int
) {
    UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count &* MemoryLayout<Element>.stride)
}
