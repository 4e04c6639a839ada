/// Something a task can name in its accesses: a patch, an array, a plain value in a reference.
///
/// A resource is a reference (its identity is what the runtime tracks) with a region type (a
/// ``Box`` for arrays, ``WholeValue`` for plain values), bounds that every access must lie in, and
/// two kinds of views: a read-only one handed to `read` accesses and a writable one handed to
/// `write`, `readWrite` and `accumulate` accesses. Because the closure's parameter types follow
/// from the access, a kernel cannot write what it declared as read.
///
/// ```swift
/// final class Row: DataflowResource { ... }      // Region == Box<1>
/// graph.submit(.read(row, box), .write(out, box)) { (src: Row.ReadView, dst: Row.WriteView) in ... }
/// ```
///
/// Memory spaces: a resource with ``isSpaceManaged`` true keeps a copy of its data per
/// ``MemorySpace``; the runtime calls ``copyContents(from:to:)`` before a task that runs in a space
/// whose copy is stale, and asks for views in the space where the task runs. A resource that lives
/// only in host memory (``Shared``) returns false and never sees a copy.
///
/// Thread safety: the runtime creates views on worker threads, at most one writer per cell at a
/// time; the resource must allow concurrent views of disjoint regions.
public protocol DataflowResource: AnyObject, Sendable {
    /// The kind of region an access names (`Box<N>` or ``WholeValue``).
    associatedtype Region: DataflowRegion
    /// What a `read` access hands to the task.
    associatedtype ReadView
    /// What a `write`, `readWrite` or `accumulate` access hands to the task.
    associatedtype WriteView

    /// The region holding all of the resource: accesses outside it are rejected.
    var dataflowBounds: Region { get }
    /// A name for messages and traces.
    var dataflowName: String { get }
    /// The space that holds the user's copy (host unless the resource says otherwise).
    var homeSpace: MemorySpace { get }
    /// True when the resource keeps one copy per memory space (false: host memory only).
    var isSpaceManaged: Bool { get }

    /// A read-only view of `region` of the copy in `space`.
    func makeReadView(_ region: Region, in space: MemorySpace) -> ReadView
    /// A writable view of `region` of the copy in `space`.
    func makeWriteView(_ region: Region, in space: MemorySpace) -> WriteView
    /// Copies all of the data from the copy in `source` to the copy in `destination`, creating the
    /// destination copy when it does not exist yet.
    func copyContents(from source: MemorySpace, to destination: MemorySpace) throws
}

extension DataflowResource {
    public var dataflowName: String { "\(Self.self)" }
    public var homeSpace: MemorySpace { .host }
    public var isSpaceManaged: Bool { false }
    public func copyContents(from source: MemorySpace, to destination: MemorySpace) throws {}
}
