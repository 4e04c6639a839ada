/// The accesses of one task, with the tuple of views its closure receives (`Views`).
///
/// ```swift
/// let list = AccessList(.read(a, box), .write(b, box))   // AccessList<(A.ReadView, B.WriteView)>
/// ```
///
/// A ``Kernel`` returns one from its `accesses(_:)`; ``DataflowGraph/submit(name:on:_:body:)-(_,_,_,(V)->Void)``
/// builds one from its arguments. With a single access, `Views` is that access's view itself.
///
/// - Complexity: one array of the accesses and one closure, allocated once per task.
public struct AccessList<Views>: @unchecked Sendable {
    @usableFromInline internal let raw: [_RawAccess]
    @usableFromInline internal let makeViews: (_TaskContext) -> Views

    /// The accesses, in order; the closure's views come in the same order.
    @inlinable
    public init<each R: DataflowResource, each V>(_ accesses: repeat Access<each R, each V>)
    where Views == (repeat each V) {
        var raw: [_RawAccess] = []
        for access in repeat each accesses { raw.append(access.raw) }
        self.raw = raw
        self.makeViews = { context in (repeat (each accesses).makeView((each accesses).resource, (each accesses).region, context)) }
    }

    /// The number of accesses.
    public var count: Int { raw.count }
    /// The mode of each access, in order.
    public var modes: [AccessMode] { raw.map(\.mode) }
}
