/// Tasks of the fixed-arity `submit` forms: each holds the user's closure and, per access, the
/// region and the view maker (not the resource: a running task takes its resources from their
/// trackers, see ``_TaskContext/view(_:_:_:as:)``). One allocation per task besides the user's
/// closure, and no reference count shared with the submitting thread.

@usableFromInline
final class _Task1<R1: DataflowResource, V1>: _TaskNode, @unchecked Sendable {
    @usableFromInline let region1: R1.Region
    @usableFromInline let view1: (R1, R1.Region, _TaskContext) -> V1
    @usableFromInline var work: ((V1) throws -> Void)?

    @inlinable
    init(name: String, space: MemorySpace, _ a1: Access<R1, V1>, work: @escaping (V1) throws -> Void) {
        region1 = a1.region
        view1 = a1.makeView
        self.work = work
        super.init(name: name, space: space, body: nil)
    }

    @inlinable
    override func run(_ context: _TaskContext) throws {
        try work.unsafelyUnwrapped(
            context.view(0, region1, view1, as: R1.self))
    }

    @inlinable
    override func dropWork() { work = nil }
}

@usableFromInline
final class _Task2<R1: DataflowResource, V1, R2: DataflowResource, V2>: _TaskNode, @unchecked Sendable {
    @usableFromInline let region1: R1.Region
    @usableFromInline let view1: (R1, R1.Region, _TaskContext) -> V1
    @usableFromInline let region2: R2.Region
    @usableFromInline let view2: (R2, R2.Region, _TaskContext) -> V2
    @usableFromInline var work: ((V1, V2) throws -> Void)?

    @inlinable
    init(name: String, space: MemorySpace, _ a1: Access<R1, V1>, _ a2: Access<R2, V2>, work: @escaping (V1, V2) throws -> Void) {
        region1 = a1.region
        view1 = a1.makeView
        region2 = a2.region
        view2 = a2.makeView
        self.work = work
        super.init(name: name, space: space, body: nil)
    }

    @inlinable
    override func run(_ context: _TaskContext) throws {
        try work.unsafelyUnwrapped(
            context.view(0, region1, view1, as: R1.self),
            context.view(1, region2, view2, as: R2.self))
    }

    @inlinable
    override func dropWork() { work = nil }
}

@usableFromInline
final class _Task3<R1: DataflowResource, V1, R2: DataflowResource, V2, R3: DataflowResource, V3>: _TaskNode, @unchecked Sendable {
    @usableFromInline let region1: R1.Region
    @usableFromInline let view1: (R1, R1.Region, _TaskContext) -> V1
    @usableFromInline let region2: R2.Region
    @usableFromInline let view2: (R2, R2.Region, _TaskContext) -> V2
    @usableFromInline let region3: R3.Region
    @usableFromInline let view3: (R3, R3.Region, _TaskContext) -> V3
    @usableFromInline var work: ((V1, V2, V3) throws -> Void)?

    @inlinable
    init(name: String, space: MemorySpace, _ a1: Access<R1, V1>, _ a2: Access<R2, V2>, _ a3: Access<R3, V3>, work: @escaping (V1, V2, V3) throws -> Void) {
        region1 = a1.region
        view1 = a1.makeView
        region2 = a2.region
        view2 = a2.makeView
        region3 = a3.region
        view3 = a3.makeView
        self.work = work
        super.init(name: name, space: space, body: nil)
    }

    @inlinable
    override func run(_ context: _TaskContext) throws {
        try work.unsafelyUnwrapped(
            context.view(0, region1, view1, as: R1.self),
            context.view(1, region2, view2, as: R2.self),
            context.view(2, region3, view3, as: R3.self))
    }

    @inlinable
    override func dropWork() { work = nil }
}

@usableFromInline
final class _Task4<R1: DataflowResource, V1, R2: DataflowResource, V2, R3: DataflowResource, V3, R4: DataflowResource, V4>: _TaskNode, @unchecked Sendable {
    @usableFromInline let region1: R1.Region
    @usableFromInline let view1: (R1, R1.Region, _TaskContext) -> V1
    @usableFromInline let region2: R2.Region
    @usableFromInline let view2: (R2, R2.Region, _TaskContext) -> V2
    @usableFromInline let region3: R3.Region
    @usableFromInline let view3: (R3, R3.Region, _TaskContext) -> V3
    @usableFromInline let region4: R4.Region
    @usableFromInline let view4: (R4, R4.Region, _TaskContext) -> V4
    @usableFromInline var work: ((V1, V2, V3, V4) throws -> Void)?

    @inlinable
    init(name: String, space: MemorySpace, _ a1: Access<R1, V1>, _ a2: Access<R2, V2>, _ a3: Access<R3, V3>, _ a4: Access<R4, V4>, work: @escaping (V1, V2, V3, V4) throws -> Void) {
        region1 = a1.region
        view1 = a1.makeView
        region2 = a2.region
        view2 = a2.makeView
        region3 = a3.region
        view3 = a3.makeView
        region4 = a4.region
        view4 = a4.makeView
        self.work = work
        super.init(name: name, space: space, body: nil)
    }

    @inlinable
    override func run(_ context: _TaskContext) throws {
        try work.unsafelyUnwrapped(
            context.view(0, region1, view1, as: R1.self),
            context.view(1, region2, view2, as: R2.self),
            context.view(2, region3, view3, as: R3.self),
            context.view(3, region4, view4, as: R4.self))
    }

    @inlinable
    override func dropWork() { work = nil }
}
