/// A ``Patch`` is a dataflow resource: tasks declare accesses on boxes of it (ghosts included).
///
/// ```swift
/// try graph.submit(name: "sweep", .read(u, u.box.grown(by: 1)), .write(v, v.box)) { src, dst in
///     try Stencil.jacobi5(from: src, to: dst, over: dst.box)
/// }
/// ```
///
/// The runtime tracks the patch's storage (copies of a `Patch` value share it, so they are the
/// same resource); `read` hands a ``PatchView``, the writing modes a ``MutablePatchView``. A
/// replica in another memory space is a new patch of the same shape (``Patch/clone()`` without
/// the contents); copying between replicas copies the whole storage, ghosts included.
extension Patch: DataflowResource {
    public typealias Region = Box<N>
    public typealias ReadView = PatchView<Element, N>
    public typealias WriteView = MutablePatchView<Element, N>

    public var dataflowIdentity: ObjectIdentifier { storageIdentifier }
    /// The allocated box: accesses may name ghost cells.
    public var dataflowBounds: Box<N> { allocatedBox }
    public var dataflowName: String { "patch \(box)" }
    public var isSpaceManaged: Bool { true }

    @inlinable
    public func makeReadView(_ region: Box<N>) -> PatchView<Element, N> {
        try! unsafeView(of: region)  // the runtime checked region ⊆ allocatedBox: cannot fail
    }

    @inlinable
    public func makeWriteView(_ region: Box<N>) -> MutablePatchView<Element, N> {
        try! unsafeMutableView(of: region)
    }

    public func makeReplica(in space: MemorySpace) throws -> Patch {
        try Patch(box: box, ghostWidths: ghostWidths)
    }

    public func copyContents(to destination: Patch) throws {
        withUnsafeBufferPointer { source in
            destination.withUnsafeMutableBufferPointer { target in
                _ = target.update(fromContentsOf: source)
            }
        }
    }
}
