extension Box {
    /// The cells of a box in row-major order (last axis fastest), as a `Sequence` of points.
    ///
    /// ```swift
    /// let b = try Box<2>(lower: [0, 0], upper: [2, 3])
    /// Array(b.cells)   // (0,0) (0,1) (0,2) (1,0) (1,1) (1,2)
    /// ```
    ///
    /// A value type holding only the box; iterating allocates nothing. For tight loops prefer
    /// ``Box/forEachCell(_:)`` or ``Box/forEachRow(_:)``.
    @frozen
    public struct Cells: Sequence, Sendable {
        /// The box whose cells are visited.
        public let box: Box

        @inlinable
        public init(_ box: Box) { self.box = box }

        /// The number of cells (the box's volume).
        @inlinable
        public var underestimatedCount: Int { box.volume }

        @inlinable
        public func makeIterator() -> Iterator { Iterator(box) }

        /// Walks the cells in row-major order.
        @frozen
        public struct Iterator: IteratorProtocol, Sendable {
            @usableFromInline internal let box: Box
            @usableFromInline internal var current: Point<N>
            @usableFromInline internal var done: Bool

            @inlinable
            internal init(_ box: Box) {
                self.box = box
                self.current = box.lower
                self.done = box.isEmpty
            }

            @inlinable
            public mutating func next() -> Point<N>? {
                if done { return nil }
                let result = current
                var a = N - 1
                while a >= 0 {
                    current[a] &+= 1
                    if current[a] < box.upper[a] { return result }
                    current[a] = box.lower[a]
                    a -= 1
                }
                done = true
                return result
            }
        }
    }

    /// The cells in row-major order (last axis fastest).
    @inlinable
    public var cells: Cells { Cells(self) }

    /// Calls `body` with every cell in row-major order (last axis fastest).
    ///
    /// - Complexity: O(volume); allocates nothing.
    @inlinable @inline(__always)
    public func forEachCell<E: Error>(_ body: (Point<N>) throws(E) -> Void) throws(E) {
        try forEachRow { (start: Point<N>, length: Int) throws(E) in
            var p = start
            let first = start[N - 1]
            for k in 0..<length {
                p[N - 1] = first &+ k
                try body(p)
            }
        }
    }

    /// Calls `body` with the first cell and the length of every row (a run of cells along the
    /// last axis) in row-major order: the shape of a loop nest whose inner loop is contiguous in
    /// row-major storage.
    ///
    /// ```swift
    /// box.forEachRow { start, length in
    ///     let offset = layout.offset(of: start)     // then `length` consecutive elements
    /// }
    /// ```
    ///
    /// - Complexity: O(volume / shape[N − 1]) calls; allocates nothing.
    @inlinable @inline(__always)
    public func forEachRow<E: Error>(_ body: (_ start: Point<N>, _ length: Int) throws(E) -> Void) throws(E) {
        if isEmpty { return }
        let length = upper[N - 1] &- lower[N - 1]
        var p = lower
        while true {
            try body(p, length)
            var a = N - 2
            while a >= 0 {
                p[a] &+= 1
                if p[a] < upper[a] { break }
                p[a] = lower[a]
                a -= 1
            }
            if a < 0 { return }
        }
    }
}
