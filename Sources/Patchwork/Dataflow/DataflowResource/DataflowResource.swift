/// Something a task can name in its accesses: a patch, an array, a plain value in a reference.
///
/// A resource has an identity (what the runtime tracks: the object itself, or the storage a value
/// type shares among its copies, as a ``Patch`` does) and a region type (a
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
/// Memory spaces: the resource itself is the copy in its ``homeSpace``. For a resource with
/// ``isSpaceManaged`` true, the runtime keeps one replica per other space where tasks ran
/// (``makeReplica(in:)``), copies the newest data into it before a task runs there
/// (``copyContents(to:)``) and hands the task views of that replica. A resource that lives only in
/// host memory (``Shared``) returns false and never sees a copy.
///
/// Views: a task that runs in the resource's home space gets views made when it is submitted (on
/// the submitting thread, before its predecessors have run); a task in another space gets them on
/// the worker that runs it. So a view must only say where the data is, not read or write it, and
/// the resource must allow concurrent views of disjoint regions (at most one writer per cell runs
/// at a time).
public protocol DataflowResource: Sendable {
    /// The kind of region an access names (`Box<N>` or ``WholeValue``).
    associatedtype Region: DataflowRegion
    /// What a `read` access hands to the task.
    associatedtype ReadView
    /// What a `write`, `readWrite` or `accumulate` access hands to the task.
    associatedtype WriteView

    /// What the runtime tracks: equal for two values that share their data, different otherwise.
    var dataflowIdentity: ObjectIdentifier { get }
    /// The region holding all of the resource: accesses outside it are rejected.
    var dataflowBounds: Region { get }
    /// A name for messages and traces.
    var dataflowName: String { get }
    /// The space that holds this copy, the user's (host unless the resource says otherwise).
    var homeSpace: MemorySpace { get }
    /// True when the resource can have replicas in other memory spaces (false: host memory only).
    var isSpaceManaged: Bool { get }

    /// A read-only view of `region`.
    func makeReadView(_ region: Region) -> ReadView
    /// A writable view of `region`.
    func makeWriteView(_ region: Region) -> WriteView
    /// A new replica with the same bounds for `space` (contents not needed: the runtime copies
    /// into it before use).
    func makeReplica(in space: MemorySpace) throws -> Self
    /// Copies all of the data into `destination`, a replica of this resource (or the original).
    func copyContents(to destination: Self) throws
}

extension DataflowResource {
    public var dataflowName: String { "\(Self.self)" }
    public var homeSpace: MemorySpace { .host }
    public var isSpaceManaged: Bool { false }
    public func makeReplica(in space: MemorySpace) throws -> Self { self }
    public func copyContents(to destination: Self) throws {}
}

extension DataflowResource where Self: AnyObject {
    /// A class resource is tracked by its object identity.
    public var dataflowIdentity: ObjectIdentifier { ObjectIdentifier(self) }
}
