/// A spatial index over an array of boxes that answers "which boxes meet this box" fast.
///
/// The boxes are sorted into size classes by their longest side (powers of two, two octaves per
/// class, so boxes of one class differ in size by less than 4×), and each class gets its own
/// uniform grid of bins, with a bin about the size of the class's mean box
/// (enlarged so that a class has at most about twice as many bins as boxes). Each grid records
/// every box of its class in each bin the box touches (compressed rows: one offset array, one
/// entry array). A query visits, in every class grid, the bins its box touches, and reports each
/// meeting box once: a box is reported only from the bin holding the lower corner of its
/// intersection with the query, so no "already seen" marks are needed and queries allocate
/// nothing.
///
/// Size classes keep graded box sizes cheap: with one grid sized by the mean box, a corner of
/// unit boxes beside large boxes would put thousands of unit boxes in one bin and make every
/// query there scan them all (O(n²) overall). With one grid per class, a box touches at most a
/// few bins of its own grid, and a bin holds few boxes of its class.
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
/// - Complexity: building is O(n + e), where e is the number of (box, bin) incidences (O(n): a
///   box touches a bounded number of bins of its class grid). A query costs O(c + bins touched +
///   boxes in them) for c (at most about 32) occupied classes; for a floor plan, graded or not,
///   that is O(c + k) for k results, so all neighbour lists of an n-box decomposition cost about
///   O(n log n) (the sorted lists), against O(n²) for comparing all pairs.
public struct BoxIndex<let N: Int>: Sendable {
    /// The indexed boxes; query results are indices into this array.
    public let boxes: [Box<N>]
    /// One grid per occupied size class, smallest boxes first.
    @usableFromInline internal let grids: [_BoxGrid<N>]

    /// Indexes `boxes` (which may overlap and may include empty boxes).
    ///
    /// - Complexity: O(n + e), see the type's documentation.
    @inlinable
    public init(_ boxes: [Box<N>]) {
        precondition(boxes.count <= Int(UInt32.max), "BoxIndex holds at most \(UInt32.max) boxes")
        self.boxes = boxes
        // The octave of each box's longest side: ⌊log2(longest)⌋ (0 ..< 64).
        var octaves = [UInt8](repeating: 0, count: boxes.count)
        var perOctave = [Int](repeating: 0, count: 64)
        for (i, box) in boxes.enumerated() where !box.isEmpty {
            var longest = 1
            for a in 0..<N { longest = Swift.max(longest, box.upper[a] &- box.lower[a]) }
            let octave = UInt8(truncatingIfNeeded: Int.bitWidth &- 1 &- longest.leadingZeroBitCount)
            octaves[i] = octave
            perOctave[Int(octave)] += 1
        }
        // Classes: from the lowest occupied octave, that octave and the next one.
        var classOfOctave = [Int](repeating: -1, count: 64)
        var classCount = 0
        var octave = 0
        while octave < 64 {
            if perOctave[octave] == 0 { octave += 1; continue }
            classOfOctave[octave] = classCount
            if octave + 1 < 64 { classOfOctave[octave + 1] = classCount }
            classCount += 1
            octave += 2
        }
        if classCount <= 1 {
            grids = classCount == 0 ? [] : [_BoxGrid(boxes, members: nil)]
            return
        }
        var members = [[Int]](repeating: [], count: classCount)
        for o in 0..<64 where perOctave[o] > 0 { members[classOfOctave[o]].reserveCapacity(perOctave[o]) }
        for (i, box) in boxes.enumerated() where !box.isEmpty {
            members[classOfOctave[Int(octaves[i])]].append(i)
        }
        grids = members.map { _BoxGrid(boxes, members: $0) }
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
        if box.isEmpty { return }
        boxes.withUnsafeBufferPointer { boxes in
            for grid in grids { grid.forEachIntersecting(box, in: boxes, body) }
        }
    }

    /// The number of (box, bin) entries that a query for `box` reads: the candidates it tests,
    /// for tests of the index's cost.
    internal func candidateCount(_ box: Box<N>) -> Int {
        if box.isEmpty { return 0 }
        var total = 0
        for grid in grids {
            guard let (lo, hi) = grid.binRange(ofQuery: box) else { continue }
            _BoxGrid.forEachBin(lo, hi, grid.binCounts) { b in total += grid.binStarts[b + 1] - grid.binStarts[b] }
        }
        return total
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

