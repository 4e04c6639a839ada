/// A read-only window onto the cells of one box of a ``Patch``: a base pointer, the patch's
/// strides and the box. What kernels read from.
///
/// ```swift
/// try patch.withView(of: patch.box.grown(by: 1)) { src in
///     let s = src.pointer(at: [0, 0])           // element (0, 0)
///     let east = s[src.strides[1]]              // raw-offset access, no checks
///     _ = src[[1, 0]] + east                    // access by point
/// }
/// ```
///
/// **Semantics.** A view does not own or retain the storage: it is valid only inside the closure
/// that handed it out (``Patch/withView(of:_:)``) or while the patch is kept alive
/// (``Patch/unsafeView(of:)``). It is a trivial struct (a pointer and `3N + …` integers) with no
/// reference counting, so passing it into a loop costs nothing. It is `@unchecked Sendable` so
/// that tasks on other threads can use it; the dataflow layer orders conflicting accesses.
///
/// Offsets are relative to ``baseAddress``, the element at `box.lower`; the element at `p` is
/// `baseAddress[offset(of: p)]`. Because the strides are those of the whole patch, a view may
/// reach cells outside `box` by offset (a stencil reads ghosts that way) as long as they lie in
/// the patch's allocated region.
///
/// - Complexity: access by point is O(N); access by offset is one load. Neither checks bounds in
///   release builds (point access asserts in debug builds).
@frozen
public struct PatchView<Element: PatchElement, let N: Int>: @unchecked Sendable {
    /// The element at `box.lower`.
    public let baseAddress: UnsafePointer<Element>
    /// Element strides per axis (`strides[N − 1] == 1`).
    public let strides: Point<N>
    /// The cells this view covers.
    public let box: Box<N>
    /// The region the underlying storage covers (for checks of out-of-box reads).
    public let allocatedBox: Box<N>

    /// Creates a view from its parts (for engines that manage their own storage).
    @inlinable @inline(__always)
    public init(baseAddress: UnsafePointer<Element>, strides: Point<N>, box: Box<N>, allocatedBox: Box<N>) {
        self.baseAddress = baseAddress
        self.strides = strides
        self.box = box
        self.allocatedBox = allocatedBox
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
    public func pointer(at point: Point<N>) -> UnsafePointer<Element> {
        baseAddress + offset(of: point)
    }

    /// The element at `point`; asserts in debug builds that `point` is in the allocated region.
    @inlinable
    public subscript(point: Point<N>) -> Element {
        @inline(__always) get {
            assert(allocatedBox.contains(point), "point \(point) outside \(allocatedBox)")
            return baseAddress[offset(of: point)]
        }
    }

    /// The element `offset` elements from ``baseAddress`` (unchecked).
    @inlinable
    public subscript(offset offset: Int) -> Element {
        @inline(__always) get { baseAddress[offset] }
    }

    /// The element at `point`, or ``ArrayError/pointOutside(point:region:what:)`` when `point` is
    /// outside the view's box.
    @inlinable
    public func value(at point: Point<N>) throws(ArrayError) -> Element {
        guard box.contains(point) else {
            throw .pointOutside(point: point.array, region: box.description, what: "view")
        }
        return baseAddress[offset(of: point)]
    }

    /// The number of cells in ``box``.
    @inlinable public var count: Int { box.volume }

    /// A view of `subBox`, which must lie inside the allocated region (it may reach ghosts beyond
    /// this view's box); throws ``ArrayError/boxOutside(box:region:what:)`` otherwise.
    @inlinable
    public func restricted(to subBox: Box<N>) throws(ArrayError) -> PatchView {
        guard allocatedBox.contains(subBox) else {
            throw .boxOutside(box: subBox.description, region: allocatedBox.description, what: "patch allocation")
        }
        let base = subBox.isEmpty ? baseAddress : baseAddress + offset(of: subBox.lower)
        return PatchView(baseAddress: base, strides: strides, box: subBox, allocatedBox: allocatedBox)
    }

    /// Calls `body` with each row of ``box`` (a run along the last, unit-stride axis) in
    /// row-major order: the row's first point and its elements.
    @inlinable @inline(__always)
    public func forEachRow<E: Error>(
        _ body: (_ start: Point<N>, _ row: UnsafeBufferPointer<Element>) throws(E) -> Void
    ) throws(E) {
        try box.forEachRow { (start: Point<N>, count: Int) throws(E) in
            try body(start, UnsafeBufferPointer(start: pointer(at: start), count: count))
        }
    }
}
