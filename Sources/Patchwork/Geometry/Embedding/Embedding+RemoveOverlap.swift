extension Embedding {
    /// Places boxes that may overlap (ghost-inclusive patches) without overlap in a file array:
    /// KeLPIO's `RemoveOverlap`, extended to any box list.
    ///
    /// ```swift
    /// // 2×2 blocks of 8×8 cells with 1 ghost cell: 10×10 boxes overlapping by 2.
    /// let layout = try Embedding.removeOverlap(interiors: blocks, ghostWidth: 1)
    /// layout.fileShape        // (20, 20): 16 + 2·1·2 per axis
    /// layout.shift(of: 3) - layout.shift(of: 0)   // (2, 2) = 2·ghost·(1, 1)
    /// ```
    ///
    /// Two cases:
    /// - **Regular block layouts.** When the boxes form a tensor grid — on every axis the boxes
    ///   take their `[lower, upper)` sides from a set of intervals, and every combination of
    ///   intervals is exactly one box — block `(b₀, b₁, …)` is placed at the sum of the extents of
    ///   the blocks before it on each axis. The blocks keep their grid arrangement and the file has
    ///   no padding. For a block decomposition with ghost width g this shifts block `(b₀, b₁, …)` by
    ///   `2·g·(b₀, b₁, …)` (plus one translation that brings the first block to the origin).
    /// - **Any other list.** A deterministic level ("shelf") packing, not optimal (the general
    ///   problem is multi-dimensional bin packing, NP-hard): boxes sorted by decreasing extent along
    ///   axis 0 (then axis 1, …; ties by index) are laid one after another along the last axis
    ///   until a row would pass the target width, rows stack along axis N − 2 into a layer until it
    ///   would pass the target height, and so on; layers stack along axis 0 without limit. The
    ///   target extent on axes 1 … N − 1 is the larger of the widest box and the side of a cube of
    ///   the total volume. For random boxes of mixed sizes the density (``density``) measured about
    ///   0.75–0.95 in 2-D and 0.45–0.67 in 3-D (10 to 1000 boxes).
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` for an empty box or a file
    /// extent that overflows `Int`.
    ///
    /// - Complexity: O(n log n · N) plus the validation of ``init(boxes:shifts:fileShape:)``.
    public static func removeOverlap(boxes: [Box<N>]) throws(GeometryError) -> Embedding {
        try checkNonEmpty(boxes)
        if let grid = try _gridPlacement(boxes) {
            return try Embedding(boxes: boxes, shifts: grid.shifts, fileShape: grid.fileShape)
        }
        let packed = try _shelfPlacement(boxes)
        return try Embedding(boxes: boxes, shifts: packed.shifts, fileShape: packed.fileShape)
    }

    /// Places the ghost-inclusive boxes of `interiors` (each grown by `ghostWidth` on every side)
    /// without overlap: ``removeOverlap(boxes:)`` of the grown boxes. ``boxes`` holds the grown
    /// boxes. Throws ``GeometryError/invalidValue(name:value:requirement:)`` for a negative width
    /// or an empty interior.
    public static func removeOverlap(interiors: [Box<N>], ghostWidth: Int) throws(GeometryError) -> Embedding {
        guard ghostWidth >= 0 else {
            throw .invalidValue(name: "ghost width", value: ghostWidth, requirement: "non-negative")
        }
        try checkNonEmpty(interiors)
        return try removeOverlap(boxes: interiors.map { $0.grown(by: ghostWidth) })
    }
}

extension Embedding {
    /// The placement of a tensor grid of boxes (block `(b₀, …)` at the prefix sums of the block
    /// extents), or nil when the boxes are not a tensor grid.
    internal static func _gridPlacement(_ boxes: [Box<N>]) throws(GeometryError) -> (shifts: [Point<N>], fileShape: Point<N>)? {
        if boxes.isEmpty { return ([], .zero) }
        // Per axis: the distinct intervals, sorted, and each box's interval number on that axis.
        var blockOf = [Point<N>](repeating: .zero, count: boxes.count)
        var starts = [[Int]]()   // per axis: file position of each interval
        var counts = Point<N>.zero
        var fileShape = Point<N>.zero
        for a in 0..<N {
            var intervals = boxes.map { Interval(lower: $0.lower[a], upper: $0.upper[a]) }
            intervals.sort()
            var distinct = [Interval]()
            for v in intervals where distinct.last != v { distinct.append(v) }
            var position = [Int]()
            position.reserveCapacity(distinct.count)
            var total = 0
            for v in distinct {
                position.append(total)
                total = try checkedSum(total, v.upper - v.lower, axis: a)
            }
            for i in boxes.indices {
                let v = Interval(lower: boxes[i].lower[a], upper: boxes[i].upper[a])
                blockOf[i][a] = _binarySearch(distinct, v)
            }
            starts.append(position)
            counts[a] = distinct.count
            fileShape[a] = total
        }
        // A grid needs exactly one box per combination of intervals.
        let (cells, overflow) = _checkedProduct(counts)
        guard !overflow, cells == boxes.count else { return nil }
        var seen = [Bool](repeating: false, count: cells)
        for b in blockOf {
            var linear = 0
            for a in 0..<N { linear = linear * counts[a] + b[a] }
            if seen[linear] { return nil }
            seen[linear] = true
        }
        var shifts = [Point<N>]()
        shifts.reserveCapacity(boxes.count)
        for i in boxes.indices {
            var s = Point<N>.zero
            for a in 0..<N { s[a] = starts[a][blockOf[i][a]] &- boxes[i].lower[a] }
            shifts.append(s)
        }
        return (shifts, fileShape)
    }

    /// The level ("shelf") packing described at ``removeOverlap(boxes:)``.
    internal static func _shelfPlacement(_ boxes: [Box<N>]) throws(GeometryError) -> (shifts: [Point<N>], fileShape: Point<N>) {
        // Target extents: the side of a cube of the total volume, at least the widest box.
        var widest = Point<N>.zero
        var volume = 0.0
        for box in boxes {
            widest = Point.max(widest, box.shape)
            volume += Double(box.volume)
        }
        let side = volume > 0 ? Int(Swift.min(Double(Int.max / 4), (_root(volume, N)).rounded(.up))) : 0
        let target = Point.max(widest, Point(repeating: side))

        let order = boxes.indices.sorted { i, j in
            let si = boxes[i].shape, sj = boxes[j].shape
            for a in 0..<N where si[a] != sj[a] { return si[a] > sj[a] }
            return i < j
        }
        // cursor[a]: where the next box goes; height[a] (a < N − 1): the extent along a of the
        // open level at depth a (the largest box placed in it so far).
        var cursor = Point<N>.zero
        var height = Point<N>.zero
        var fileShape = Point<N>.zero
        var shifts = [Point<N>](repeating: .zero, count: boxes.count)
        for i in order {
            let s = boxes[i].shape
            // Close levels from the innermost out while the box does not fit the open one.
            var d = N - 1
            while d >= 1 {
                if cursor[d] > 0 && cursor[d] > target[d] - s[d] {
                    cursor[d - 1] = try checkedSum(cursor[d - 1], height[d - 1], axis: d - 1)
                    for e in d..<N { cursor[e] = 0; height[e] = 0 }
                    height[d - 1] = 0
                    d -= 1       // the enclosing level may now overflow in turn
                } else {
                    d -= 1
                }
            }
            shifts[i] = cursor - boxes[i].lower
            for a in 0..<N {
                fileShape[a] = Swift.max(fileShape[a], try checkedSum(cursor[a], s[a], axis: a))
            }
            cursor[N - 1] += s[N - 1]
            for a in 0..<(N - 1) { height[a] = Swift.max(height[a], s[a]) }
        }
        return (shifts, fileShape)
    }

    /// The `n`-th root of `x` (x > 0).
    internal static func _root(_ x: Double, _ n: Int) -> Double {
        if n == 1 { return x }
        if n == 2 { return x.squareRoot() }
        // Newton's method on yⁿ = x from above (no libm dependency).
        var y = Swift.max(1, x)
        for _ in 0..<200 {
            var p = 1.0
            for _ in 0..<(n - 1) { p *= y }
            let next = ((Double(n - 1)) * y + x / p) / Double(n)
            if abs(next - y) <= 1e-9 * y { return next }
            y = next
        }
        return y
    }

    /// The product of the coordinates and whether it overflowed.
    internal static func _checkedProduct(_ p: Point<N>) -> (Int, Bool) {
        var v = 1
        for a in 0..<N {
            let (m, o) = v.multipliedReportingOverflow(by: p[a])
            if o { return (0, true) }
            v = m
        }
        return (v, false)
    }

    /// The position of `value` in the sorted, distinct `intervals` (which hold it).
    internal static func _binarySearch(_ intervals: [Interval], _ value: Interval) -> Int {
        var lo = 0, hi = intervals.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if intervals[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// One side of a box along one axis.
    internal struct Interval: Comparable {
        var lower: Int
        var upper: Int
        static func < (a: Interval, b: Interval) -> Bool {
            a.lower != b.lower ? a.lower < b.lower : a.upper < b.upper
        }
    }
}
