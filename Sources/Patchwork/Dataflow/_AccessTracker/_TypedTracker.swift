/// The tracker of a resource of type `R`: it keeps the resource as `R`, so that a running task
/// gets its resources from their trackers without a dynamic cast and without holding a reference
/// of its own (see ``_TaskContext/view(_:_:_:as:)``).
@usableFromInline
final class _TypedTracker<R: DataflowResource>: _AccessTracker, @unchecked Sendable {
    @usableFromInline let typedResource: R

    init(typed resource: R) {
        self.typedResource = resource
        super.init(resource: resource)
    }
}

/// A tracker for `resource`, typed by its dynamic type (the existential is opened).
func _makeTracker(for resource: any DataflowResource) -> _AccessTracker {
    func make<R: DataflowResource>(_ r: R) -> _AccessTracker { _TypedTracker(typed: r) }
    return make(resource)
}
