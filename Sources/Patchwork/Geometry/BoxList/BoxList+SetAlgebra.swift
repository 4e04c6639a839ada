extension BoxList {
    // MARK: Union

    /// Adds the cells of `box` that the region lacks (union semantics).
    ///
    /// - Complexity: O(n + k·p) for k boxes meeting `box` and p pieces left of it.
    public mutating func insert(_ box: Box<N>) {
        if box.isEmpty { return }
        var pieces = [box]
        var next: [Box<N>] = []
        for b in boxes where b.intersects(box) {
            next.removeAll(keepingCapacity: true)
            for piece in pieces { piece.forEachPiece(subtracting: b) { next.append($0) } }
            swap(&pieces, &next)
            if pieces.isEmpty { return }
        }
        boxes += pieces
    }

    /// Adds the cells of `other` that the region lacks.
    ///
    /// - Complexity: about O(n + m + k) with a ``BoxIndex`` over this list.
    public mutating func formUnion(_ other: BoxList) {
        if other.boxes.isEmpty { return }
        if boxes.isEmpty { boxes = other.boxes; return }
        let index = BoxIndex(boxes)
        var added: [Box<N>] = []
        var pieces: [Box<N>] = []
        var next: [Box<N>] = []
        for box in other.boxes {
            pieces.removeAll(keepingCapacity: true)
            pieces.append(box)
            index.forEachIntersecting(box) { j in
                next.removeAll(keepingCapacity: true)
                for piece in pieces { piece.forEachPiece(subtracting: boxes[j]) { next.append($0) } }
                swap(&pieces, &next)
            }
            added += pieces
        }
        boxes += added
    }

    /// The region with the cells of `box` added.
    public func union(_ box: Box<N>) -> BoxList {
        var copy = self
        copy.insert(box)
        return copy
    }

    /// The cells of either region.
    public func union(_ other: BoxList) -> BoxList {
        var copy = self
        copy.formUnion(other)
        return copy
    }

    // MARK: Subtraction

    /// Removes the cells of `box`.
    ///
    /// - Complexity: O(n) plus at most 2N pieces per box that meets `box`.
    public mutating func subtract(_ box: Box<N>) {
        if box.isEmpty { return }
        var result: [Box<N>] = []
        result.reserveCapacity(boxes.count)
        for b in boxes { b.forEachPiece(subtracting: box) { result.append($0) } }
        boxes = result
    }

    /// Removes the cells of `other`.
    ///
    /// - Complexity: about O(n + m + k) with a ``BoxIndex`` over `other`.
    public mutating func subtract(_ other: BoxList) {
        if other.boxes.isEmpty || boxes.isEmpty { return }
        let index = BoxIndex(other.boxes)
        var result: [Box<N>] = []
        result.reserveCapacity(boxes.count)
        var pieces: [Box<N>] = []
        var next: [Box<N>] = []
        for box in boxes {
            pieces.removeAll(keepingCapacity: true)
            pieces.append(box)
            index.forEachIntersecting(box) { j in
                next.removeAll(keepingCapacity: true)
                for piece in pieces { piece.forEachPiece(subtracting: other.boxes[j]) { next.append($0) } }
                swap(&pieces, &next)
            }
            result += pieces
        }
        boxes = result
    }

    /// The region without the cells of `box`.
    public func subtracting(_ box: Box<N>) -> BoxList {
        var copy = self
        copy.subtract(box)
        return copy
    }

    /// The region without the cells of `other`.
    public func subtracting(_ other: BoxList) -> BoxList {
        var copy = self
        copy.subtract(other)
        return copy
    }

    // MARK: Intersection

    /// Keeps only the cells inside `box`.
    ///
    /// - Complexity: O(n).
    public mutating func formIntersection(_ box: Box<N>) {
        boxes = boxes.compactMap { b in
            let i = b.intersection(box)
            return i.isEmpty ? nil : i
        }
    }

    /// Keeps only the cells that are also in `other`.
    ///
    /// - Complexity: about O(n + m + k) with a ``BoxIndex`` over `other`.
    public mutating func formIntersection(_ other: BoxList) {
        self = intersection(other)
    }

    /// The cells of the region inside `box`.
    public func intersection(_ box: Box<N>) -> BoxList {
        var copy = self
        copy.formIntersection(box)
        return copy
    }

    /// The cells in both regions: the non-empty pairwise intersections (disjoint because both
    /// lists are).
    public func intersection(_ other: BoxList) -> BoxList {
        if boxes.isEmpty || other.boxes.isEmpty { return BoxList() }
        let index = BoxIndex(other.boxes)
        var result: [Box<N>] = []
        var found: [Int] = []
        for box in boxes {
            found.removeAll(keepingCapacity: true)
            index.forEachIntersecting(box) { found.append($0) }
            found.sort()
            for j in found { result.append(box.intersection(other.boxes[j])) }
        }
        return BoxList(unchecked: result)
    }
}
