extension Patch {
    /// A read-only view of the whole allocated region (data box and ghosts), valid inside `body`.
    ///
    /// - Complexity: O(N); the storage is kept alive for the duration of `body`.
    @inlinable
    public func withView<R, E: Error>(_ body: (PatchView<Element, N>) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(PatchView(baseAddress: UnsafePointer(storage.base), strides: strides,
                                  box: allocatedBox, allocatedBox: allocatedBox))
    }

    /// A writable view of the whole allocated region (data box and ghosts), valid inside `body`.
    @inlinable
    public func withMutableView<R, E: Error>(_ body: (MutablePatchView<Element, N>) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(MutablePatchView(baseAddress: storage.base, strides: strides,
                                         box: allocatedBox, allocatedBox: allocatedBox))
    }

    /// A read-only view of `box`, valid inside `body`. `box` must lie in ``allocatedBox``, else
    /// ``ArrayError/boxOutside(box:region:what:)`` (and `body` is not called).
    @inlinable
    public func withView<R>(of box: Box<N>, _ body: (PatchView<Element, N>) throws(ArrayError) -> R) throws(ArrayError) -> R {
        let view = try unsafeView(of: box)
        defer { withExtendedLifetime(storage) {} }
        return try body(view)
    }

    /// A writable view of `box`, valid inside `body`. `box` must lie in ``allocatedBox``, else
    /// ``ArrayError/boxOutside(box:region:what:)`` (and `body` is not called).
    @inlinable
    public func withMutableView<R>(of box: Box<N>, _ body: (MutablePatchView<Element, N>) throws(ArrayError) -> R) throws(ArrayError) -> R {
        let view = try unsafeMutableView(of: box)
        defer { withExtendedLifetime(storage) {} }
        return try body(view)
    }

    /// A read-only view of `box` that is valid only while this patch (or a copy of it) is alive:
    /// for engines that hold the patch themselves. Prefer ``withView(of:_:)``.
    @inlinable
    public func unsafeView(of box: Box<N>) throws(ArrayError) -> PatchView<Element, N> {
        try unsafeMutableView(of: box).readOnly
    }

    /// A writable view of `box` that is valid only while this patch (or a copy of it) is alive.
    /// Prefer ``withMutableView(of:_:)``.
    @inlinable
    public func unsafeMutableView(of box: Box<N>) throws(ArrayError) -> MutablePatchView<Element, N> {
        guard allocatedBox.contains(box) else {
            throw .boxOutside(box: box.description, region: allocatedBox.description, what: "patch allocation")
        }
        let base = box.isEmpty ? storage.base : storage.base + offset(of: box.lower)
        return MutablePatchView(baseAddress: base, strides: strides, box: box, allocatedBox: allocatedBox)
    }

    /// The whole storage as one buffer (``count`` elements in row-major order over
    /// ``allocatedBox``), valid inside `body`: for I/O and packing.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// The whole storage as one writable buffer, valid inside `body`.
    @inlinable
    public func withUnsafeMutableBufferPointer<R, E: Error>(_ body: (UnsafeMutableBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }
}
