/// A spatial index over an array of boxes that answers "which boxes meet this box" fast.
///
/// The index lays a uniform grid of bins over the bounding box of the indexed boxes, with a bin
/// about the size of the mean box (enlarged so that there are at most about twice as many bins as
/// boxes), and records every box in each bin it touches (compressed rows: one offset array, one
/// entry array). A query visits the bins its box touches and reports each meeting box once: a box
/// is reported only from the bin holding the lower corner of its intersection with the query, so
/// no "already seen" marks are needed and queries allocate nothing.
///
/// ```swift
/// let index = BoxIndex(plan.boxes)
/// index.intersecting(someBox)                 // [3, 17]: indices into plan.boxes
/// index.forEachIntersecting(someBox) { i in … }
/// let halos = try index.neighbourLists(width: 2) // for each box, the boxes its halo meets
/// ```
///
/// Semantics: indices refer to the array given to ``init(_:)`` (also kept as ``boxes``); empty
/// boxes are indexed but never reported (they meet nothing). The index is an immutable `Sendable`
/// value, safe to query from many threads at once.
///
/// - Complexity: building is O(n + e), where e is the number of (box, bin) incidences (O(n) when
///   box sizes are comparable, as in a floor plan). A query costs O(bins touched + boxes in them);
///   for a floor plan that is O(1 + k) for k results, so all neighbour lists of an n-box
///   decomposition cost O(n), against O(n²) for comparing all pairs.
public struct BoxIndex<let N: Int>: Sendable {
    /// The indexed boxes; query results are indices into this array.
    public let boxes: [Box<N>]
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

    /// Indexes `boxes` (which may overlap and may include empty boxes).
    ///
    /// - Complexity: O(n + e), see the type's documentation.
    @inlinable
    public init(_ boxes: [Box<N>]) {
        precondition(boxes.count <= Int(UInt32.max), "BoxIndex holds at most \(UInt32.max) boxes")
        self.boxes = boxes
        var bounds = Box<N>.empty
        var meanExtent = InlineArray<N, Double>(repeating: 0)
        var nonEmpty = 0
        for box in boxes where !box.isEmpty {
            bounds = bounds.boundingBox(box)
            let shape = box.shape
            for a in 0..<N { meanExtent[a] += Double(shape[a]) }
            nonEmpty += 1
        }
        guard nonEmpty > 0 else {
            origin = .zero
            binSize = Point(repeating: 1)
            binCounts = .zero
            binStarts = [0]
            entries = []
            return
        }
        // Bin size: the mean box extent, enlarged until the grid has at most ~2n bins.
        let extent = bounds.shape
        var size = Point<N>(repeating: 1)
        for a in 0..<N {
            size[a] = Swift.max(1, Swift.min(extent[a], Int((meanExtent[a] / Double(nonEmpty)).rounded(.up))))
        }
        let maxBins = Double(Swift.max(64, 2 * nonEmpty))
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
        for box in boxes where !box.isEmpty {
            let (lo, hi) = Self.binRange(of: box, origin: bounds.lower, size: size, counts: counts)
            Self.forEachBin(lo, hi, counts) { b in starts[b + 1] += 1 }
        }
        for b in 0..<total { starts[b + 1] += starts[b] }
        var cursor = starts
        var filled = [UInt32](repeating: 0, count: starts[total])
        for (i, box) in boxes.enumerated() where !box.isEmpty {
            let (lo, hi) = Self.binRange(of: box, origin: bounds.lower, size: size, counts: counts)
            Self.forEachBin(lo, hi, counts) { b in
                filled[cursor[b]] = UInt32(truncatingIfNeeded: i)
                cursor[b] += 1
            }
        }
        binStarts = starts
        entries = filled
    }

    /// The number of indexed boxes.
    @inlinable public var count: Int { boxes.count }

    /// The indices of the indexed boxes that share at least one cell with `box`, in increasing
    /// order.
    ///
    /// - Complexity: O(bins touched + boxes in them + k log k) for k results.
    @inlinable
    public func intersecting(_ box: Box<N>) -> [Int] {
        var result: [Int] = []
        forEachIntersecting(box) { result.append($0) }
        result.sort()
        return result
    }

    /// Calls `body` once with the index of every indexed box that shares at least one cell with
    /// `box`, in an unspecified (but deterministic) order. Allocates nothing.
    ///
    /// - Complexity: O(bins touched + boxes in them).
    @inlinable
    public func forEachIntersecting(_ box: Box<N>, _ body: (Int) -> Void) {
        if box.isEmpty || binStarts.count <= 1 { return }
        // Clamp the query to the grid; a query wholly outside it meets nothing.
        var lo = Point<N>.zero
        var hi = Point<N>.zero
        for a in 0..<N {
            let first = box.lower[a] &- origin[a]
            let last = box.upper[a] &- 1 &- origin[a]
            if last < 0 || first >= binCounts[a] &* binSize[a] { return }
            lo[a] = first < 0 ? 0 : first / binSize[a]
            hi[a] = Swift.min(binCounts[a] &- 1, last / binSize[a])
        }
        boxes.withUnsafeBufferPointer { boxes in
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
    }

    /// For each indexed box `i`, the indices of the other boxes that meet `boxes[i]` grown by
    /// `width` (in increasing order): the boxes its halo of that width reads from. Empty boxes get
    /// an empty list. Throws ``GeometryError/invalidValue(name:value:requirement:)`` when `width`
    /// is negative.
    ///
    /// - Complexity: O(n) queries, about O(n + K log K) for K neighbour pairs of a floor plan.
    @inlinable
    public func neighbourLists(width: Int) throws(GeometryError) -> [[Int]] {
        guard width >= 0 else {
            throw .invalidValue(name: "width", value: width, requirement: "non-negative")
        }
        var lists = [[Int]]()
        lists.reserveCapacity(boxes.count)
        var scratch: [Int] = []
        for i in boxes.indices {
            if boxes[i].isEmpty { lists.append([]); continue }
            // Collect into a reused buffer, then copy out once at the exact size.
            scratch.removeAll(keepingCapacity: true)
            forEachIntersecting(boxes[i].grown(by: width)) { j in if j != i { scratch.append(j) } }
            scratch.sort()
            lists.append(Array(scratch))
        }
        return lists
    }
}

extension BoxIndex {
    /// The range of bins (inclusive) that a non-empty box inside the grid touches.
    @inlinable
    internal static func binRange(
        of box: Box<N>, origin: Point<N>, size: Point<N>, counts: Point<N>
    ) -> (Point<N>, Point<N>) {
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
