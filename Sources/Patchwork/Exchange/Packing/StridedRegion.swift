/// A region of strided memory, visited in the row-major order of a box: the unit of every copy the
/// exchange performs (pack, unpack, local copy).
///
/// `shape[i]` elements are visited along visit axis `i`; one step along visit axis `i` moves
/// `strides[i]` elements in memory (a stride may be negative, and the visit axes may be any
/// permutation of the memory axes: that is how a quarter turn is expressed). The last visit axis
/// is the innermost loop; when its stride is 1, a row is one contiguous block copied with
/// `memcpy`.
///
/// A region is built once, when a plan is built, and replayed at every exchange.
@frozen @usableFromInline
internal struct StridedRegion<let N: Int>: Sendable, Equatable {
    /// The element offset of the first visited element from the base of the storage.
    @usableFromInline var offset: Int
    /// The memory step of one step along each visit axis.
    @usableFromInline var strides: InlineArray<N, Int>
    /// The number of elements along each visit axis.
    @usableFromInline var shape: InlineArray<N, Int>

    @inlinable
    init(offset: Int, strides: InlineArray<N, Int>, shape: InlineArray<N, Int>) {
        self.offset = offset
        self.strides = strides
        self.shape = shape
    }

    /// The number of elements visited.
    @inlinable var count: Int {
        var c = 1
        for i in 0..<N { c &*= shape[i] }
        return c
    }

    @usableFromInline static func == (a: StridedRegion, b: StridedRegion) -> Bool {
        guard a.offset == b.offset else { return false }
        for i in 0..<N where a.strides[i] != b.strides[i] || a.shape[i] != b.shape[i] { return false }
        return true
    }

    /// The same visit with as many outer axes as possible folded into the row: when stepping
    /// along an outer axis lands right after the end of the row, the two are one longer row.
    /// (Visit order, and so the packed layout, is unchanged; only the loop nest gets shallower.)
    func coalesced() -> StridedRegion {
        var r = self
        let last = N - 1
        var axis = N - 2
        while axis >= 0 {
            if r.shape[axis] != 1 {
                guard r.strides[axis] == r.strides[last] &* r.shape[last] else { break }
                r.shape[last] &*= r.shape[axis]
                r.shape[axis] = 1
            }
            axis -= 1
        }
        return r
    }

    /// Calls `body(rowOffset)` with the memory offset of the start of each row (a run along the
    /// last visit axis), in row-major order of the outer axes.
    @inlinable @inline(__always)
    func forEachRow(_ body: (Int) -> Void) {
        if N == 1 { body(offset); return }
        for i in 0..<(N - 1) where shape[i] <= 0 { return }
        if shape[N - 1] <= 0 { return }
        var index = InlineArray<N, Int>(repeating: 0)
        var rowOffset = offset
        while true {
            body(rowOffset)
            // Advance the odometer over axes N-2 ... 0.
            var axis = N - 2
            while axis >= 0 {
                index[axis] &+= 1
                rowOffset &+= strides[axis]
                if index[axis] < shape[axis] { break }
                rowOffset &-= strides[axis] &* shape[axis]
                index[axis] = 0
                axis &-= 1
            }
            if axis < 0 { return }
        }
    }
}
