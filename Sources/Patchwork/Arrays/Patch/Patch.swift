/// One box of data with a ring of ghost cells: contiguous, row-major (last index fastest),
/// 64-byte aligned storage, as KeLP's `Grid` or AMReX's `FArrayBox`.
///
/// ```swift
/// let box = try Box<2>(lower: [0, 0], upper: [64, 32])
/// let p = try Patch<Double, 2>(box: box, ghostWidth: 1)
/// p.allocatedBox                      // [-1, -1]..<[65, 33]
/// p[[3, 4]] = 2.5                     // storage is shared: no `var` needed
/// try p.value(at: [99, 0])            // throws ArrayError.pointOutside
/// try p.withMutableView(of: box) { v in v[[0, 0]] = 1 }
/// ```
///
/// - `box` is the data box: the cells the patch owns (for a face-centred quantity it is already
///   one larger along the staggered axis, see ``Staggering``).
/// - The storage covers ``allocatedBox`` `= box.grown(by: ghostWidth)`, element `p` at
///   ``offset(of:)`` `= Σ (p[i] − allocatedBox.lower[i]) · strides[i]` with
///   `strides[N − 1] == 1`. Its first element is 64-byte aligned.
///
/// **Semantics.** `Patch` is a struct holding a reference to its storage (like a Fab handle):
/// copying a `Patch` shares the elements, writes through any copy are seen by all, and the memory
/// is freed when the last copy goes away. Use ``clone()`` for an independent copy. Writes go
/// through `nonmutating` accessors. `Patch` is `Sendable`; concurrent writes to overlapping
/// cells are a data race that the caller (the dataflow layer) must order.
///
/// - Complexity: creation allocates and fills `allocatedBox.volume` elements; element access by
///   point is O(N); views are O(N) to create and free of ARC traffic in loops.
public struct Patch<Element: PatchElement, let N: Int>: Sendable {
    /// The cells the patch owns (its interior).
    public let box: Box<N>
    /// The number of ghost cells on both sides of ``box`` along each axis (for example
    /// `[3, 3, 0]` for a column model with no vertical halo, as pace's arrays).
    public let ghostWidths: Point<N>
    /// The region the storage covers: `box` grown by ``ghostWidths`` on both sides.
    public let allocatedBox: Box<N>
    /// Element strides per axis (`strides[N − 1] == 1`), as a point for arithmetic.
    public let strides: Point<N>
    @usableFromInline internal let storage: _PatchStorage<Element>

    /// The largest ghost width a patch accepts (a guard against typos; halos are a few cells).
    public static var maximumGhostWidth: Int { 32 }

    /// The widest ghost layer (every axis' width when the ghosts are uniform).
    @inlinable public var ghostWidth: Int {
        var w = 0
        for axis in 0..<N { w = Swift.max(w, ghostWidths[axis]) }
        return w
    }

    /// Allocates a patch for `box` with `ghostWidth` ghost cells per side, every element
    /// (ghosts included) set to `initialValue`.
    ///
    /// Throws ``ArrayError/emptyBox(box:)`` for an empty box,
    /// ``ArrayError/ghostWidthOutOfRange(width:allowed:reason:)`` for a negative width or one
    /// above ``maximumGhostWidth``, and ``ArrayError/sizeOverflow(box:elementByteCount:)`` when
    /// the byte count overflows.
    public init(box: Box<N>, ghostWidth: Int = 0, initialValue: Element = .zero) throws(ArrayError) {
        try self.init(box: box, ghostWidths: Point(repeating: ghostWidth), initialValue: initialValue)
    }

    /// Allocates a patch for `box` with `ghostWidths[a]` ghost cells on both sides along axis `a`;
    /// throws as ``init(box:ghostWidth:initialValue:)`` for any axis' width.
    public init(box: Box<N>, ghostWidths: Point<N>, initialValue: Element = .zero) throws(ArrayError) {
        try self.init(box: box, ghostWidths: ghostWidths, initialValue: initialValue, placement: nil)
    }

    /// A patch whose storage is placed where `placement` says (its own allocation when nil).
    init(box: Box<N>, ghostWidths: Point<N>, initialValue: Element, placement: _PatchPlacement?) throws(ArrayError) {
        guard !box.isEmpty else { throw .emptyBox(box: box.description) }
        let limit = Self.maximumGhostWidth
        for axis in 0..<N {
            let width = ghostWidths[axis]
            guard width >= 0 else {
                throw .ghostWidthOutOfRange(width: width, allowed: 0...limit, reason: "negative")
            }
            guard width <= limit else {
                throw .ghostWidthOutOfRange(width: width, allowed: 0...limit, reason: "above Patch.maximumGhostWidth")
            }
        }
        let allocated = box.grown(lower: ghostWidths, upper: ghostWidths)
        var strides = Point<N>.zero
        var count = 1
        var overflow = false
        for axis in (0..<N).reversed() {
            strides[axis] = count
            let (c, o) = count.multipliedReportingOverflow(by: allocated.upper[axis] - allocated.lower[axis])
            count = c
            overflow = overflow || o
        }
        let (_, o) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow, !o else {
            throw .sizeOverflow(box: allocated.description, elementByteCount: MemoryLayout<Element>.stride)
        }
        self.box = box
        self.ghostWidths = ghostWidths
        self.allocatedBox = allocated
        self.strides = strides
        if let placement {
            self.storage = _PatchStorage(count: count, repeating: initialValue, placement: placement)
        } else {
            self.storage = _PatchStorage(count: count, repeating: initialValue)
        }
    }

    /// The number of allocated elements (`allocatedBox.volume`).
    @inlinable public var count: Int { storage.count }

    /// The allocated bytes.
    public var byteCount: Int { storage.count * MemoryLayout<Element>.stride }

    /// An identifier of the storage, equal for copies of one patch (for aliasing checks and
    /// dataflow bookkeeping).
    public var storageIdentifier: ObjectIdentifier { ObjectIdentifier(storage) }

    /// True when the two patches share storage.
    @inlinable public func sharesStorage(with other: Patch) -> Bool { storage === other.storage }

    /// The linear offset of `point` in the storage (not checked: `point` should lie in
    /// ``allocatedBox``).
    @inlinable @inline(__always)
    public func offset(of point: Point<N>) -> Int {
        var o = 0
        for i in 0..<N { o &+= (point[i] &- allocatedBox.lower[i]) &* strides[i] }
        return o
    }

    /// The element at `point`; traps when `point` is outside ``allocatedBox`` (use
    /// ``value(at:)`` for points that come from users). Setting is `nonmutating`: storage is
    /// shared.
    @inlinable
    public subscript(point: Point<N>) -> Element {
        get {
            precondition(allocatedBox.contains(point), "point \(point) outside \(allocatedBox)")
            return storage.base[offset(of: point)]
        }
        nonmutating set {
            precondition(allocatedBox.contains(point), "point \(point) outside \(allocatedBox)")
            storage.base[offset(of: point)] = newValue
        }
    }

    /// The element at `point`, or ``ArrayError/pointOutside(point:region:what:)`` when `point` is
    /// outside ``allocatedBox``.
    @inlinable
    public func value(at point: Point<N>) throws(ArrayError) -> Element {
        guard allocatedBox.contains(point) else { throw outside(point) }
        return storage.base[offset(of: point)]
    }

    /// Sets the element at `point`; throws ``ArrayError/pointOutside(point:region:what:)`` when
    /// `point` is outside ``allocatedBox``.
    @inlinable
    public func setValue(_ value: Element, at point: Point<N>) throws(ArrayError) {
        guard allocatedBox.contains(point) else { throw outside(point) }
        storage.base[offset(of: point)] = value
    }

    @usableFromInline @inline(never)
    internal func outside(_ point: Point<N>) -> ArrayError {
        .pointOutside(point: point.array, region: allocatedBox.description, what: "patch allocation")
    }

    /// An independent copy of the patch (same box, ghost width and elements, new storage).
    public func clone() -> Patch {
        let copy = try! Patch(box: box, ghostWidths: ghostWidths)  // same shape: cannot fail
        copy.storage.copyContents(of: storage)
        return copy
    }
}
