extension PatchArray {
    /// Calls `body` with a read-only view of `box ∩ region` for every local patch where that is
    /// not empty, with the patch's global index; `region` is the patch's data box, or its
    /// allocated box when `includingGhosts` (neighbouring patches' ghost regions then overlap
    /// and cells may be visited more than once).
    ///
    /// ```swift
    /// u.forEachView(of: window) { index, view in
    ///     view.forEachRow { start, row in total += row.reduce(0, +) }
    /// }
    /// ```
    ///
    /// - Complexity: O(local patches · N) plus `body`.
    @inlinable
    public func forEachView<E: Error>(
        of box: Box<N>, includingGhosts: Bool = false,
        _ body: (_ patch: Int, _ view: PatchView<Element, N>) throws(E) -> Void
    ) throws(E) {
        for k in patches.indices {
            let patch = patches[k]
            let part = (includingGhosts ? patch.allocatedBox : patch.box).intersection(box)
            if part.isEmpty { continue }
            try body(patchIndices[k], try! patch.unsafeView(of: part))  // inside: cannot fail
            withExtendedLifetime(patch) {}
        }
    }

    /// Calls `body` with a writable view of `box ∩ region` for every local patch where that is
    /// not empty; as ``forEachView(of:includingGhosts:_:)``.
    @inlinable
    public func forEachMutableView<E: Error>(
        of box: Box<N>, includingGhosts: Bool = false,
        _ body: (_ patch: Int, _ view: MutablePatchView<Element, N>) throws(E) -> Void
    ) throws(E) {
        for k in patches.indices {
            let patch = patches[k]
            let part = (includingGhosts ? patch.allocatedBox : patch.box).intersection(box)
            if part.isEmpty { continue }
            try body(patchIndices[k], try! patch.unsafeMutableView(of: part))
            withExtendedLifetime(patch) {}
        }
    }

    /// A read-only view of `box` (default: the data box) of local patch `index`; throws
    /// ``ArrayError/patchNotLocal(patch:patchCount:rank:)`` or
    /// ``ArrayError/boxOutside(box:region:what:)``.
    @inlinable
    public func withView<R>(
        patch index: Int, box: Box<N>? = nil, _ body: (PatchView<Element, N>) throws(ArrayError) -> R
    ) throws(ArrayError) -> R {
        let p = try patch(index)
        return try p.withView(of: box ?? p.box, body)
    }

    /// A writable view of `box` (default: the data box) of local patch `index`; throws as
    /// ``withView(patch:box:_:)``.
    @inlinable
    public func withMutableView<R>(
        patch index: Int, box: Box<N>? = nil, _ body: (MutablePatchView<Element, N>) throws(ArrayError) -> R
    ) throws(ArrayError) -> R {
        let p = try patch(index)
        return try p.withMutableView(of: box ?? p.box, body)
    }
}
