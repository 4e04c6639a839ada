/// The accesses of one task, with the tuple of views its closure receives (`Views`).
///
/// ```swift
/// let list = AccessList(.read(a, box), .write(b, box))   // AccessList<(A.ReadView, B.WriteView)>
/// ```
///
/// A ``Kernel`` returns one from its `accesses(_:)`; ``DataflowGraph/submit(name:on:_:body:)-(_,_,_,(V)->Void)``
/// builds one from its arguments. With a single access, `Views` is that access's view itself.
///
/// - Complexity: one array of the accesses, one list of their resources and one closure,
///   allocated once per task.
public struct AccessList<Views>: @unchecked Sendable {
    @usableFromInline internal let raw: [_RawAccess]
    /// Makes the views, for the running task of the context or, without one, at submission.
    @usableFromInline internal let makeViews: (_TaskContext?) -> Views
    /// The spaces where a task can get its views at submission (see ``Access/submissionView(in:checked:)``).
    @usableFromInline internal let placement: _ViewPlacement

    /// The accesses, in order; the closure's views come in the same order.
    @inlinable
    public init<each R: DataflowResource, each V>(_ accesses: repeat Access<each R, each V>)
    where Views == (repeat each V) {
        // One list holds the resources of all the accesses.
        var resources: [any DataflowResource] = []
        for access in repeat each accesses { resources.append(access.resource) }
        let list = _ResourceList.holding(resources)
        var raw: [_RawAccess] = []
        var placement = _ViewPlacement.anySpace
        for access in repeat each accesses {
            raw.append(_RawAccess(access.resource, heldBy: list, at: raw.count, box: access.region.dataflowBox, mode: access.mode))
            placement.add(access, checked: raw[raw.count - 1].inBounds)
        }
        self.raw = raw
        self.placement = placement
        self.makeViews = { context in (repeat (each accesses).makeView((each accesses).resource, (each accesses).region, context)) }
    }

    /// The number of accesses.
    public var count: Int { raw.count }
    /// The mode of each access, in order.
    public var modes: [AccessMode] { raw.map(\.mode) }
}

/// Where the tasks of an ``AccessList`` can get their views made at submission: in any space (no
/// access needs a copy), only in one space (the home of the resources that can have copies), or
/// nowhere (homes differ, or a region lies outside its resource: submission rejects it).
@usableFromInline
internal enum _ViewPlacement {
    case anySpace
    case only(MemorySpace)
    case whenRunning

    /// Narrows the placement by one access whose region was `checked` against its resource.
    @inlinable
    mutating func add<R: DataflowResource, V>(_ access: Access<R, V>, checked inBounds: Bool) {
        if !inBounds { self = .whenRunning; return }
        guard access.resource.isSpaceManaged else { return }
        let home = access.resource.homeSpace
        switch self {
        case .anySpace: self = .only(home)
        case .only(let space) where space != home: self = .whenRunning
        default: break
        }
    }

    @inlinable
    func allowsSubmissionViews(in space: MemorySpace) -> Bool {
        switch self {
        case .anySpace: true
        case .only(let home): home == space
        case .whenRunning: false
        }
    }
}
