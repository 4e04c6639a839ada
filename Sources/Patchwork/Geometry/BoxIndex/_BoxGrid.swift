/// One size class of a ``BoxIndex``: a uniform grid of bins over the bounding box of the class's
/// boxes, each bin listing (as indices into the whole index's boxes) the boxes of the class that
/// touch it, in compressed rows.
///
/// The bin size is the mean extent of the class's boxes per axis, enlarged (doubling along the
/// axis with the most bins) until the grid has at most about twice as many bins as boxes. An
/// immutable `Sendable` value.
///
/// - Complexity: building is O(m + e) for the m boxes of the class and e (box, bin) incidences.
@usableFromInline
internal struct _BoxGrid<let N: Int>: Sendable {
    /// The lower corner of bin (0, …, 0).
    @usableFromInline internal let origin: Point<N>
    /// The number of cells along each axis of one bin (≥ 1).
    @usableFromInline internal let binSize: Point<N>
    /// The number of bins along each axis (all 0 when nothing is indexed).
    @usableFromInline internal let binCounts: Point<N>
    /// `binStarts[b] ..< binStarts[b + 1]` are the entries of bin `b` (row-major bin number).
    @usableFromInline internal let binStarts: [Int]
    /// Box indices, grouped by bin.
    @usableFromInline internal let entries: [UInt32]

    /// A grid over `boxes[i]` for `i` in `members` (ascending indices of non-empty boxes), or over
    /// every non-empty box when `members` is nil.
    @inlinable
    internal init(_ boxes: [Box<N>], members: [Int]?) {
        // Visits the member boxes in increasing index order.
        func forEachMember(_ body: (Int, Box<N>) -> Void) {
            if let members {
                for i in members { body(i, boxes[i]) }
            } else {
                for (i, box) in boxes.enumerated() where !box.isEmpty { body(i, box) }
            }
        }
        var bounds = Box<N>.empty
        var meanExtent = InlineArray<N, Double>(repeating: 0)
        var count = 0
        forEachMember { _, box in
            bounds = bounds.boundingBox(box)
            let shape = box.shape
            for a in 0..<N { meanExtent[a] += Double(shape[a]) }
            count += 1
        }
        guard count > 0 else {
            origin = .zero
            binSize = Point(repeating: 1)
            binCounts = .zero
            binStarts = [0]
            entries = []
            return
        }
        // Bin size: the mean box extent, enlarged until the grid has at most ~2m bins.
        let extent = bounds.shape
        var size = Point<N>(repeating: 1)
        for a in 0..<N {
            size[a] = Swift.max(1, Swift.min(extent[a], Int((meanExtent[a] / Double(count)).rounded(.up))))
        }
        let maxBins = Double(Swift.max(64, 2 * count))
        func binTotal(_ size: Point<N>) -> Double {
            var t = 1.0
            for a in 0..<N { t *= (Double(extent[a]) / Double(size[a])).rounded(.up) }
            return t
        }
        while binTotal(size) > maxBins {
            // Double the bin along the axis with the most bins (halves that axis's bin count).
            var widest = 0
            for a in 1..<Swift.max(1, N) where extent[a] / size[a] > extent[widest] / size[widest] { widest = a }
            size[widest] = Swift.min(extent[widest], 2 * size[widest])
        }
        var counts = Point<N>.zero
        for a in 0..<N { counts[a] = (extent[a] + size[a] - 1) / size[a] }
        origin = bounds.lower
        binSize = size
        binCounts = counts

        // Two passes: count the entries of each bin, then fill them (compressed rows).
        let total = counts.product
        var starts = [Int](repeating: 0, count: total + 1)
        forEachMember { _, box in
            let (lo, hi) = Self.binRange(of: box, origin: bounds.lower, size: size)
            Self.forEachBin(lo, hi, counts) { b in starts[b + 1] += 1 }
        }
        for b in 0..<total { starts[b + 1] += starts[b] }
        var cursor = starts
        var filled = [UInt32](repeating: 0, count: starts[total])
        forEachMember { i, box in
            let (lo, hi) = Self.binRange(of: box, origin: bounds.lower, size: size)
            Self.forEachBin(lo, hi, counts) { b in
                filled[cursor[b]] = UInt32(truncatingIfNeeded: i)
                cursor[b] += 1
            }
        }
        binStarts = starts
        entries = filled
    }

    /// The range of bins (inclusive) that a non-empty query box touches, clamped to the grid, or
    /// nil when it misses the grid.
    @inlinable @inline(__always)
    internal func binRange(ofQuery box: Box<N>) -> (Point<N>, Point<N>)? {
        if binStarts.count <= 1 { return nil }
        var lo = Point<N>.zero
        var hi = Point<N>.zero
        for a in 0..<N {
            let first = box.lower[a] &- origin[a]
            let last = box.upper[a] &- 1 &- origin[a]
            if last < 0 || first >= binCounts[a] &* binSize[a] { return nil }
            lo[a] = first < 0 ? 0 : first / binSize[a]
            hi[a] = Swift.min(binCounts[a] &- 1, last / binSize[a])
        }
        return (lo, hi)
    }

    /// Calls `body` once with the index of every box of this grid that shares a cell with the
    /// non-empty `box`; `boxes` are the whole index's boxes.
    @inlinable
    internal func forEachIntersecting(_ box: Box<N>, in boxes: UnsafeBufferPointer<Box<N>>, _ body: (Int) -> Void) {
        guard let (lo, hi) = binRange(ofQuery: box) else { return }
        binStarts.withUnsafeBufferPointer { starts in
            entries.withUnsafeBufferPointer { entries in
                var bin = lo
                var binLower = origin + lo * binSize  // the first cell of `bin`
                while true {
                    var b = 0
                    for a in 0..<N { b = b &* binCounts[a] &+ bin[a] }
                    for e in starts[b] ..< starts[b &+ 1] {
                        let j = Int(entries[e])
                        let other = boxes[j]
                        guard box.intersects(other) else { continue }
                        // Report from the bin holding the intersection's lower corner only.
                        // The intersection touches this bin, so its corner is at or below the
                        // bin's upper side; it is in the bin when it is not below its lower side.
                        var home = true
                        for a in 0..<N where Swift.max(box.lower[a], other.lower[a]) < binLower[a] {
                            home = false
                            break
                        }
                        if home { body(j) }
                    }
                    // Odometer step over the bin range, last axis fastest.
                    var a = N &- 1
                    while a >= 0 {
                        if bin[a] < hi[a] { bin[a] &+= 1; binLower[a] &+= binSize[a]; break }
                        bin[a] = lo[a]
                        binLower[a] = origin[a] &+ lo[a] &* binSize[a]
                        a &-= 1
                    }
                    if a < 0 { break }
                }
            }
        }
    }

    /// The range of bins (inclusive) that a non-empty box inside the grid touches.
    @inlinable
    internal static func binRange(of box: Box<N>, origin: Point<N>, size: Point<N>) -> (Point<N>, Point<N>) {
        var lo = Point<N>.zero
        var hi = Point<N>.zero
        for a in 0..<N {
            lo[a] = (box.lower[a] - origin[a]) / size[a]
            hi[a] = (box.upper[a] - 1 - origin[a]) / size[a]
        }
        return (lo, hi)
    }

    /// Calls `body` with the row-major number of every bin in the inclusive range `lo ... hi`.
    @inlinable
    internal static func forEachBin(_ lo: Point<N>, _ hi: Point<N>, _ counts: Point<N>, _ body: (Int) -> Void) {
        var bin = lo
        while true {
            var b = 0
            for a in 0..<N { b = b &* counts[a] &+ bin[a] }
            body(b)
            var a = N - 1
            while a >= 0 {
                if bin[a] < hi[a] { bin[a] += 1; break }
                bin[a] = lo[a]
                a -= 1
            }
            if a < 0 { return }
        }
    }
}
