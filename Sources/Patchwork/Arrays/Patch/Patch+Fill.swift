extension Patch {
    /// Sets every element, ghosts included, to `value`.
    ///
    /// - Complexity: O(``count``).
    @inlinable
    public func fill(_ value: Element) {
        _PatchStorage.fill(storage.base, count: storage.count, with: value)
    }

    /// Sets the cells of `box` to `value`; `box` must lie in ``allocatedBox``, else
    /// ``ArrayError/boxOutside(box:region:what:)``.
    @inlinable
    public func fill(_ value: Element, in box: Box<N>) throws(ArrayError) {
        try unsafeMutableView(of: box).fill(value)
    }

    /// Sets every cell `p` of `box` (default: the data box) to `value(p)`, in row-major order;
    /// `box` must lie in ``allocatedBox``.
    ///
    /// ```swift
    /// try patch.fill { p in Double(p[0] * 100 + p[1]) }
    /// ```
    @inlinable
    public func fill(in box: Box<N>? = nil, with value: (Point<N>) -> Element) throws(ArrayError) {
        let view = try unsafeMutableView(of: box ?? self.box)
        defer { withExtendedLifetime(storage) {} }
        view.forEachRow { start, row in
            var p = start
            for i in 0..<row.count {
                row[i] = value(p)
                p[N - 1] &+= 1
            }
        }
    }

    /// Copies `source`'s cells in `box` into this patch's cells `box.shifted(by: shift)`:
    /// `self[p + shift] = source[p]` for `p` in `box` (a periodic image uses a non-zero shift).
    ///
    /// Both regions must lie in the respective allocated regions, else
    /// ``ArrayError/boxOutside(box:region:what:)``. Overlapping regions of the same storage
    /// are handled (copied through a temporary).
    ///
    /// - Complexity: O(`box.volume`), one `memcpy` per row.
    public func copy(from source: Patch, box: Box<N>, shift: Point<N> = .zero) throws(ArrayError) {
        let destinationBox = box.shifted(by: shift)
        let target = try unsafeMutableView(of: destinationBox)
        let origin = try source.unsafeView(of: box)
        if sharesStorage(with: source) && shift != .zero && box.intersects(destinationBox) {
            let temporary = try Patch(box: box)
            try temporary.unsafeMutableView(of: box).update(from: origin)
            try target.update(from: temporary.unsafeView(of: box), shift: shift)
            withExtendedLifetime(temporary) {}
        } else if !(sharesStorage(with: source) && shift == .zero) {
            try target.update(from: origin, shift: shift)
        }
        withExtendedLifetime((self, source)) {}
    }

    /// Copies this patch's cells in `box` into `destination`'s cells `box.shifted(by: shift)`;
    /// the mirror of ``copy(from:box:shift:)``.
    public func copy(to destination: Patch, box: Box<N>, shift: Point<N> = .zero) throws(ArrayError) {
        try destination.copy(from: self, box: box, shift: shift)
    }
}
