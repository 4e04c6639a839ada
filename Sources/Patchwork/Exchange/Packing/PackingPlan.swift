/// The packing half of one peer's message: every quantity bound to one peer packed into ONE
/// contiguous buffer at precomputed offsets (pace's `HaloDataTransformer`), and the unpacking
/// half on the other side.
///
/// A segment names a quantity (by its position in the list passed at pack time), a strided region
/// in that quantity's storage, and where its elements go in the buffer. Rotations and vector sign
/// flips are already folded into the segments when the plan is built: a rotated region is just one
/// with permuted or negative strides, and a swapped vector component reads the other quantity of
/// the pair, negated where the turn says so. Packing and unpacking therefore run the same tight
/// loop for every case.
@usableFromInline
internal struct PackingPlan<let N: Int>: Sendable {
    /// One strided region of one quantity and its place in the buffer.
    @usableFromInline
    struct Segment: Sendable {
        /// The quantity's position in the list passed to `pack` / `unpack`.
        @usableFromInline var quantity: Int
        /// The region of that quantity's storage.
        @usableFromInline var region: StridedRegion<N>
        /// The first element of the segment in the buffer.
        @usableFromInline var bufferOffset: Int
        /// True when the values are negated while packing (vector components under a turn).
        @usableFromInline var negated: Bool
        /// The cells of the quantity's patch the segment covers (what a task declares it touches).
        @usableFromInline var box: Box<N>
    }

    @usableFromInline var segments: [Segment] = []
    /// The number of elements in the buffer.
    @usableFromInline var elementCount = 0

    @inlinable init() {}

    /// Appends a segment at the end of the buffer.
    mutating func append(quantity: Int, region: StridedRegion<N>, box: Box<N>, negated: Bool = false) {
        segments.append(Segment(
            quantity: quantity, region: region.coalesced(), bufferOffset: elementCount, negated: negated, box: box))
        elementCount += region.count
    }

    /// Packs every segment from `quantities` (base pointers of each quantity's storage) into
    /// `buffer`.
    @inlinable
    func pack<T: BitwiseCopyable & SignedNumeric>(
        _ quantities: UnsafeBufferPointer<UnsafeMutablePointer<T>>, into buffer: UnsafeMutablePointer<T>
    ) {
        for s in segments {
            if s.negated {
                StridedCopy.gatherNegated(UnsafePointer(quantities[s.quantity]), s.region, into: buffer + s.bufferOffset)
            } else {
                StridedCopy.gather(UnsafePointer(quantities[s.quantity]), s.region, into: buffer + s.bufferOffset)
            }
        }
    }

    /// Unpacks `buffer` into every segment of `quantities`, replacing or adding.
    @inlinable
    func unpack<T: BitwiseCopyable & SignedNumeric>(
        _ buffer: UnsafePointer<T>, into quantities: UnsafeBufferPointer<UnsafeMutablePointer<T>>, adding: Bool = false
    ) {
        for s in segments {
            if adding {
                StridedCopy.scatterAdding(buffer + s.bufferOffset, into: quantities[s.quantity], s.region)
            } else {
                StridedCopy.scatter(buffer + s.bufferOffset, into: quantities[s.quantity], s.region)
            }
        }
    }
}
