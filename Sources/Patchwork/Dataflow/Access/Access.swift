/// One declared access of a task: a resource, a region of it, a mode, and — in its type — the view
/// the task's closure receives for it.
///
/// ```swift
/// graph.submit(name: "smooth", .read(a, box.grown(by: 1)), .write(b, box)) { src, dst in
///     // src: A.ReadView (read-only), dst: B.WriteView
/// }
/// ```
///
/// `read` hands a `ReadView`; `write` (old contents not needed), `readWrite` and `accumulate`
/// (commutative) hand a `WriteView`. Regions are checked against the resource's bounds when the
/// task is submitted (``DataflowError/accessOutOfBounds(resource:region:bounds:)``).
///
/// - Complexity: a value of a few words; making it allocates nothing.
public struct Access<Resource: DataflowResource, View>: @unchecked Sendable {
    /// The resource named.
    public let resource: Resource
    /// The region of it.
    public let region: Resource.Region
    /// How the task uses the region.
    public let mode: AccessMode
    /// Makes the view of `region` of the resource as the task sees it: its copy in the running
    /// task's space, or the resource itself when there is no context (see
    /// ``submissionView(in:checked:)``).
    @usableFromInline internal let makeView: (Resource, Resource.Region, _TaskContext?) -> View

    @inlinable
    internal init(
        _ resource: Resource, _ region: Resource.Region, _ mode: AccessMode,
        makeView: @escaping (Resource, Resource.Region, _TaskContext?) -> View
    ) {
        self.resource = resource
        self.region = region
        self.mode = mode
        self.makeView = makeView
    }

    /// The view, made now, when a task running in `space` uses the resource itself (it needs no
    /// copy in another space): the running task then touches neither the resource nor its
    /// tracker, which keeps the submitting thread's reference counting off the running one's
    /// cache lines. Nil when the view must wait for the task's copy of the resource, or when the
    /// region is not `checked` to lie in the resource (submission then rejects the access).
    @inlinable
    internal func submissionView(in space: MemorySpace, checked inBounds: Bool) -> View? {
        var placement = _ViewPlacement.anySpace
        placement.add(self, checked: inBounds)
        return placement.allowsSubmissionViews(in: space) ? makeView(resource, region, nil) : nil
    }

    /// The runtime's form of the access, holding its own reference to the resource.
    @inlinable
    internal var raw: _RawAccess {
        _RawAccess(resource: resource, box: region.dataflowBox, mode: mode)
    }

    /// The runtime's form of the access, naming the resource at `address` (this access's resource,
    /// which the caller keeps alive while the runtime uses the access): no reference is counted.
    @inlinable @inline(__always)
    internal func raw(at address: UnsafePointer<Resource>) -> _RawAccess {
        _RawAccess(address, box: region.dataflowBox, mode: mode)
    }
}

extension Access where View == Resource.ReadView {
    /// Reads `region` of `resource`; the task gets a read-only view.
    @inlinable
    public static func read(_ resource: Resource, _ region: Resource.Region) -> Access {
        Access(resource, region, .read) { _TaskContext.resolve($0, in: $2).makeReadView($1) }
    }

    /// Reads all of `resource`.
    @inlinable
    public static func read(_ resource: Resource) -> Access {
        read(resource, resource.dataflowBounds)
    }
}

extension Access where View == Resource.WriteView {
    /// Overwrites `region` of `resource` (its old contents are not needed).
    @inlinable
    public static func write(_ resource: Resource, _ region: Resource.Region) -> Access {
        Access(resource, region, .write) { _TaskContext.resolve($0, in: $2).makeWriteView($1) }
    }

    /// Reads and updates `region` of `resource` in place.
    @inlinable
    public static func readWrite(_ resource: Resource, _ region: Resource.Region) -> Access {
        Access(resource, region, .readWrite) { _TaskContext.resolve($0, in: $2).makeWriteView($1) }
    }

    /// A commutative update of `region` of `resource`: never concurrent with another accumulate on
    /// the same resource, in any order among them.
    @inlinable
    public static func accumulate(_ resource: Resource, _ region: Resource.Region) -> Access {
        Access(resource, region, .accumulate) { _TaskContext.resolve($0, in: $2).makeWriteView($1) }
    }

    /// Overwrites all of `resource`.
    @inlinable
    public static func write(_ resource: Resource) -> Access { write(resource, resource.dataflowBounds) }
    /// Reads and updates all of `resource`.
    @inlinable
    public static func readWrite(_ resource: Resource) -> Access { readWrite(resource, resource.dataflowBounds) }
    /// A commutative update of all of `resource`.
    @inlinable
    public static func accumulate(_ resource: Resource) -> Access { accumulate(resource, resource.dataflowBounds) }
}
