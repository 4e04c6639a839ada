/// A writable window onto the cells of one box of a ``Patch``: what kernels write to.
///
/// ```swift
/// try patch.withMutableView(of: patch.box) { dst in
///     dst[[0, 0]] = 1
///     dst.forEachRow { start, row in row.update(repeating: 0) }
/// }
/// ```
///
/// Same layout and rules as ``PatchView`` (base pointer at `box.lower`, the patch's strides, no
/// ownership, valid only while the patch lives, `@unchecked Sendable`), plus writes. Writes
/// through a `let` view are allowed: the view is a pointer, not the storage (`nonmutating`).
///
/// - Complexity: as ``PatchView``.
@frozen
public struct MutablePatchView<Element: PatchElement, let N: Int>: @unchecked Sendable {
    /// The element at `box.lower`.
    public let baseAddress: UnsafeMutablePointer<Element>
    /// Element strides per axis (`strides[N − 1] == 1`).
    public let strides: Point<N>
    /// The cells this view covers.
    public let box: Box<N>
    /// The region the underlying storage covers.
    public let allocatedBox: Box<N>

    /// Creates a view from its parts (for engines that manage their own storage).
    @inlinable @inline(__always)
    public init(baseAddress: UnsafeMutablePointer<Element>, strides: Point<N>, box: Box<N>, allocatedBox: Box<N>) {
        self.baseAddress = baseAddress
        self.strides = strides
        self.box = box
        self.allocatedBox = allocatedBox
    }

    /// The same cells, read-only.
    @inlinable
    public var readOnly: PatchView<Element, N> {
        @inline(__always) get {
            PatchView(baseAddress: UnsafePointer(baseAddress), strides: strides, box: box, allocatedBox: allocatedBox)
        }
    }

    /// The offset of `point` from ``baseAddress`` (negative for points below `box.lower`).
    @inlinable @inline(__always)
    public func offset(of point: Point<N>) -> Int {
        var o = 0
        for i in 0..<N { o &+= (point[i] &- box.lower[i]) &* strides[i] }
        return o
    }

    /// A pointer to the element at `point` (unchecked).
    @inlinable @inline(__always)
    public func pointer(at point: Point<N>) -> UnsafeMutablePointer<Element> {
        baseAddress + offset(of: point)
    }

    /// The element at `point`; asserts in debug builds that `point` is in the allocated region.
    @inlinable
    public subscript(point: Point<N>) -> Element {
        @inline(__always) get {
            assert(allocatedBox.contains(point), "point \(point) outside \(allocatedBox)")
            return baseAddress[offset(of: point)]
        }
        @inline(__always) nonmutating set {
            assert(allocatedBox.contains(point), "point \(point) outside \(allocatedBox)")
            baseAddress[offset(of: point)] = newValue
        }
    }

    /// The element `offset` elements from ``baseAddress`` (unchecked).
    @inlinable
    public subscript(offset offset: Int) -> Element {
        @inline(__always) get { baseAddress[offset] }
        @inline(__always) nonmutating set { baseAddress[offset] = newValue }
    }

    /// The element at `point`, or ``ArrayError/pointOutside(point:region:what:)``.
    @inlinable
    public func value(at point: Point<N>) throws(ArrayError) -> Element {
        try readOnly.value(at: point)
    }

    /// Sets the element at `point`; throws ``ArrayError/pointOutside(point:region:what:)`` when
    /// `point` is outside the view's box.
    @inlinable
    public func setValue(_ value: Element, at point: Point<N>) throws(ArrayError) {
        guard box.contains(point) else {
            throw .pointOutside(point: point.array, region: box.description, what: "view")
        }
        baseAddress[offset(of: point)] = value
    }

    /// The number of cells in ``box``.
    @inlinable public var count: Int { box.volume }

    /// A view of `subBox`, which must lie inside the allocated region; throws
    /// ``ArrayError/boxOutside(box:region:what:)`` otherwise.
    @inlinable
    public func restricted(to subBox: Box<N>) throws(ArrayError) -> MutablePatchView {
        guard allocatedBox.contains(subBox) else {
            throw .boxOutside(box: subBox.description, region: allocatedBox.description, what: "patch allocation")
        }
        let base = subBox.isEmpty ? baseAddress : baseAddress + offset(of: subBox.lower)
        return MutablePatchView(baseAddress: base, strides: strides, box: subBox, allocatedBox: allocatedBox)
    }

    /// Calls `body` with each row of ``box`` in row-major order: the row's first point and its
    /// elements, writable.
    @inlinable @inline(__always)
    public func forEachRow<E: Error>(
        _ body: (_ start: Point<N>, _ row: UnsafeMutableBufferPointer<Element>) throws(E) -> Void
    ) throws(E) {
        try box.forEachRow { (start: Point<N>, count: Int) throws(E) in
            try body(start, UnsafeMutableBufferPointer(start: pointer(at: start), count: count))
        }
    }

    /// Sets every cell of ``box`` to `value`.
    @inlinable
    public func fill(_ value: Element) {
        forEachRow { _, row in row.update(repeating: value) }
    }

    /// Copies `source`'s cells at `box.shifted(by: -shift)` into this view's cells `box`
    /// (`self[p] = source[p − shift]`). The source region must lie in `source`'s allocated region,
    /// else ``ArrayError/boxOutside(box:region:what:)``. The regions must not overlap in memory
    /// (use ``Patch/copy(from:box:shift:)``, which handles aliasing).
    @inlinable
    public func update(from source: PatchView<Element, N>, shift: Point<N> = .zero) throws(ArrayError) {
        let sourceBox = box.shifted(by: -shift)
        guard source.allocatedBox.contains(sourceBox) else {
            throw .boxOutside(box: sourceBox.description, region: source.allocatedBox.description, what: "source allocation")
        }
        forEachRow { start, row in
            _copyElements(to: row.baseAddress!, from: source.pointer(at: start - shift), count: row.count)
        }
    }
}
