extension PatchArray {
    /// The global index of the first local patch whose data box holds `point` (ghosts are not
    /// searched), or nil.
    ///
    /// - Complexity: O(N) per local patch for a few local patches, else one ``BoxIndex`` query.
    @inlinable
    public func patchIndex(containing point: Point<N>) -> Int? {
        localPosition(containing: point).map { patchIndices[$0] }
    }

    /// The position in ``patches`` of the first local patch whose data box holds `point`.
    @inlinable
    internal func localPosition(containing point: Point<N>) -> Int? {
        if let patchLookup {
            var first = Int.max
            var cell = point
            for a in 0..<N { cell[a] &+= 1 }
            patchLookup.forEachIntersecting(Box(uncheckedLower: point, upper: cell)) { k in first = Swift.min(first, k) }
            return first == Int.max ? nil : first
        }
        for k in patches.indices where patches[k].box.contains(point) { return k }
        return nil
    }

    /// The error for a point that no local patch holds: outside the domain, or owned elsewhere.
    @usableFromInline @inline(never)
    internal func notFound(_ point: Point<N>) -> ArrayError {
        guard dataDomain.contains(point) else {
            return .pointOutside(point: point.array, region: dataDomain.description, what: "domain")
        }
        for (i, box) in decomposition.boxes.enumerated() where staggering.dataBox(for: box).contains(point) {
            return .pointNotLocal(point: point.array, patch: i, owner: decomposition.owners[i], rank: rank)
        }
        return .pointOutside(point: point.array, region: dataDomain.description, what: "patches of the floor plan covering the domain")
    }

    /// The value at global `point` from the local patch that owns it; throws
    /// ``ArrayError/pointOutside(point:region:what:)`` outside the domain (or in a gap between
    /// patches) and ``ArrayError/pointNotLocal(point:patch:owner:rank:)`` for a point another
    /// rank owns.
    @inlinable
    public func value(at point: Point<N>) throws(ArrayError) -> Element {
        guard let k = localPosition(containing: point) else { throw notFound(point) }
        return patches[k][point]
    }

    /// Sets the value at global `point` in the local patch that owns it (for a face shared by
    /// two staggered patches, in the first); throws as ``value(at:)``.
    @inlinable
    public func setValue(_ value: Element, at point: Point<N>) throws(ArrayError) {
        guard let k = localPosition(containing: point) else { throw notFound(point) }
        patches[k][point] = value
    }

    /// The value at global `point`; traps when no local patch holds it (use ``value(at:)`` for
    /// points from users).
    @inlinable
    public subscript(point: Point<N>) -> Element {
        get {
            guard let k = localPosition(containing: point) else { preconditionFailure("\(notFound(point))") }
            return patches[k][point]
        }
        nonmutating set {
            guard let k = localPosition(containing: point) else { preconditionFailure("\(notFound(point))") }
            patches[k][point] = newValue
        }
    }

    /// Sets every element of every local patch, ghosts included, to `value`.
    public func fill(_ value: Element) {
        for patch in patches { patch.fill(value) }
    }

    /// Sets every cell `p` of every local patch's data box (and its ghosts when
    /// `includingGhosts`) to `value(p)`.
    ///
    /// ```swift
    /// u.fill { p in sin(Double(p[0]) * h) }
    /// ```
    @inlinable
    public func fill(includingGhosts: Bool = false, with value: (Point<N>) -> Element) {
        for patch in patches {
            try! patch.fill(in: includingGhosts ? patch.allocatedBox : patch.box, with: value)  // boxes inside: cannot fail
        }
    }

    /// Makes this array's elements equal to `source`'s (data and ghosts); throws
    /// ``ArrayError/layoutMismatch(detail:)`` unless the layouts match.
    public func copy(from source: PatchArray) throws(ArrayError) {
        try checkSameLayout(as: source)
        for (d, s) in zip(patches, source.patches) where !d.sharesStorage(with: s) {
            d.storage.copyContents(of: s.storage)
        }
    }
}
