/// The copy kernels of the exchange: gather a strided region into a contiguous buffer (pack),
/// scatter a contiguous buffer into a strided region (unpack), and copy or add one strided region
/// into another (local moves). Rows whose innermost stride is 1 move with `memcpy`; every loop
/// runs on raw pointers and allocates nothing.
@usableFromInline
internal enum StridedCopy {
    /// Packs `region` of `source` into `buffer` (room for `region.count` elements) in visit order.
    @inlinable
    static func gather<T: BitwiseCopyable, let N: Int>(
        _ source: UnsafePointer<T>, _ region: StridedRegion<N>, into buffer: UnsafeMutablePointer<T>
    ) {
        let run = region.shape[N - 1], step = region.strides[N - 1]
        var out = buffer
        region.forEachRow { row in
            let src = source + row
            if step == 1 {
                out.update(from: src, count: run)
            } else {
                for k in 0..<run { out[k] = src[k &* step] }
            }
            out += run
        }
    }

    /// Packs `region` of `source` negated (a vector component whose sign flips under rotation).
    @inlinable
    static func gatherNegated<T: BitwiseCopyable & SignedNumeric, let N: Int>(
        _ source: UnsafePointer<T>, _ region: StridedRegion<N>, into buffer: UnsafeMutablePointer<T>
    ) {
        let run = region.shape[N - 1], step = region.strides[N - 1]
        var out = buffer
        region.forEachRow { row in
            let src = source + row
            for k in 0..<run { out[k] = -src[k &* step] }
            out += run
        }
    }

    /// Unpacks `buffer` (visit order) into `region` of `destination`.
    @inlinable
    static func scatter<T: BitwiseCopyable, let N: Int>(
        _ buffer: UnsafePointer<T>, into destination: UnsafeMutablePointer<T>, _ region: StridedRegion<N>
    ) {
        let run = region.shape[N - 1], step = region.strides[N - 1]
        var input = buffer
        region.forEachRow { row in
            let dst = destination + row
            if step == 1 {
                dst.update(from: input, count: run)
            } else {
                for k in 0..<run { dst[k &* step] = input[k] }
            }
            input += run
        }
    }

    /// Unpacks `buffer` adding into `region` of `destination` (KeLP's adding mover).
    @inlinable
    static func scatterAdding<T: BitwiseCopyable & AdditiveArithmetic, let N: Int>(
        _ buffer: UnsafePointer<T>, into destination: UnsafeMutablePointer<T>, _ region: StridedRegion<N>
    ) {
        let run = region.shape[N - 1], step = region.strides[N - 1]
        var input = buffer
        region.forEachRow { row in
            let dst = destination + row
            for k in 0..<run { dst[k &* step] += input[k] }
            input += run
        }
    }

    /// Copies `sourceRegion` of `source` into `destinationRegion` of `destination`; both regions
    /// have the same shape (visit order pairs the elements).
    @inlinable
    static func copy<T: BitwiseCopyable, let N: Int>(
        _ source: UnsafePointer<T>, _ sourceRegion: StridedRegion<N>,
        into destination: UnsafeMutablePointer<T>, _ destinationRegion: StridedRegion<N>,
        negated: Bool = false, adding: Bool = false
    ) where T: SignedNumeric {
        let run = sourceRegion.shape[N - 1]
        let s = sourceRegion.strides[N - 1], d = destinationRegion.strides[N - 1]
        // Pair rows: walk the destination's rows while stepping the source odometer alongside.
        var rows = ContiguousRowOffsets<N>(sourceRegion)
        destinationRegion.forEachRow { drow in
            let src = source + rows.next(), dst = destination + drow
            switch (negated, adding) {
            case (false, false):
                if s == 1 && d == 1 { dst.update(from: src, count: run) }
                else { for k in 0..<run { dst[k &* d] = src[k &* s] } }
            case (true, false): for k in 0..<run { dst[k &* d] = -src[k &* s] }
            case (false, true): for k in 0..<run { dst[k &* d] += src[k &* s] }
            case (true, true): for k in 0..<run { dst[k &* d] -= src[k &* s] }
            }
        }
    }
}

/// An odometer over the row offsets of a region, advanced one row at a time (used to walk two
/// regions of the same shape in step).
@usableFromInline
internal struct ContiguousRowOffsets<let N: Int> {
    @usableFromInline var region: StridedRegion<N>
    @usableFromInline var index: InlineArray<N, Int>
    @usableFromInline var offset: Int

    @inlinable init(_ region: StridedRegion<N>) {
        self.region = region
        self.index = InlineArray(repeating: 0)
        self.offset = region.offset
    }

    /// The offset of the current row; moves to the next row.
    @inlinable @inline(__always)
    mutating func next() -> Int {
        let current = offset
        var axis = N - 2
        while axis >= 0 {
            index[axis] &+= 1
            offset &+= region.strides[axis]
            if index[axis] < region.shape[axis] { break }
            offset &-= region.strides[axis] &* region.shape[axis]
            index[axis] = 0
            axis &-= 1
        }
        return current
    }
}
