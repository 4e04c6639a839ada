/// The work of a task submitted with the fixed-arity `submit` forms: the user's closure and, per
/// access, what makes its view. It is stored in memory its task record owns and keeps when it is
/// recycled (``_TaskNode/setWork(_:)``), so submitting a task allocates no closure of the runtime's
/// own and no record; the record keeps the conforming type to run or destroy it.
@usableFromInline
protocol _TaskWork {
    /// Runs the work with the views of the running task of `context`.
    func run(_ context: _TaskContext) throws
}

extension _TaskWork {
    /// Does `operation` on the work of this type stored at `storage`.
    @inlinable
    static func perform(_ operation: _WorkOperation, at storage: UnsafeMutableRawPointer, _ context: _TaskContext) throws {
        let work = storage.assumingMemoryBound(to: Self.self)
        switch operation {
        case .run: try work.move().run(context)
        case .runKeeping: try work.pointee.run(context)
        case .destroy: work.deinitialize(count: 1)
        }
    }
}

/// What is done with a stored ``_TaskWork``.
@usableFromInline
enum _WorkOperation {
    /// Run it and forget it (an ordinary task).
    case run
    /// Run it and keep it (a recorded task, run by every replay).
    case runKeeping
    /// Forget it without running it (a skipped task, or a record freed before it ran).
    case destroy
}

/// How a task gets the view of one of its accesses: the view made at submission, or the region and
/// view maker to make it from the task's copy of the resource when it runs.
@usableFromInline
struct _DeferredView<R: DataflowResource, V> {
    @usableFromInline let early: V?
    @usableFromInline let region: R.Region
    @usableFromInline let make: (R, R.Region, _TaskContext?) -> V

    /// The view of `access` for a task running in `space`; `inBounds` as checked at submission.
    @inlinable
    init(_ access: Access<R, V>, in space: MemorySpace, checked inBounds: Bool) {
        early = access.submissionView(in: space, checked: inBounds)
        region = access.region
        make = access.makeView
    }

    /// The view, as access number `k` of the running task of `context`.
    @inlinable @inline(__always)
    func view(_ k: Int, _ context: _TaskContext) -> V {
        context.view(k, early: early, region, make, as: R.self)
    }
}

/// The work of a task with one access.
@usableFromInline
struct _WorkOf1<R1: DataflowResource, V1>: _TaskWork {
    @usableFromInline let body: (V1) throws -> Void
    @usableFromInline let v1: _DeferredView<R1, V1>

    @inlinable init(_ body: @escaping (V1) throws -> Void, _ v1: _DeferredView<R1, V1>) {
        self.body = body
        self.v1 = v1
    }

    @inlinable func run(_ context: _TaskContext) throws { try body(v1.view(0, context)) }
}

/// The work of a task with two accesses.
@usableFromInline
struct _WorkOf2<R1: DataflowResource, V1, R2: DataflowResource, V2>: _TaskWork {
    @usableFromInline let body: (V1, V2) throws -> Void
    @usableFromInline let v1: _DeferredView<R1, V1>
    @usableFromInline let v2: _DeferredView<R2, V2>

    @inlinable init(_ body: @escaping (V1, V2) throws -> Void, _ v1: _DeferredView<R1, V1>, _ v2: _DeferredView<R2, V2>) {
        self.body = body
        self.v1 = v1
        self.v2 = v2
    }

    @inlinable func run(_ context: _TaskContext) throws { try body(v1.view(0, context), v2.view(1, context)) }
}

/// The work of a task with three accesses.
@usableFromInline
struct _WorkOf3<R1: DataflowResource, V1, R2: DataflowResource, V2, R3: DataflowResource, V3>: _TaskWork {
    @usableFromInline let body: (V1, V2, V3) throws -> Void
    @usableFromInline let v1: _DeferredView<R1, V1>
    @usableFromInline let v2: _DeferredView<R2, V2>
    @usableFromInline let v3: _DeferredView<R3, V3>

    @inlinable init(
        _ body: @escaping (V1, V2, V3) throws -> Void,
        _ v1: _DeferredView<R1, V1>, _ v2: _DeferredView<R2, V2>, _ v3: _DeferredView<R3, V3>
    ) {
        self.body = body
        self.v1 = v1
        self.v2 = v2
        self.v3 = v3
    }

    @inlinable func run(_ context: _TaskContext) throws {
        try body(v1.view(0, context), v2.view(1, context), v3.view(2, context))
    }
}

/// The work of a task with four accesses.
@usableFromInline
struct _WorkOf4<R1: DataflowResource, V1, R2: DataflowResource, V2, R3: DataflowResource, V3, R4: DataflowResource, V4>: _TaskWork {
    @usableFromInline let body: (V1, V2, V3, V4) throws -> Void
    @usableFromInline let v1: _DeferredView<R1, V1>
    @usableFromInline let v2: _DeferredView<R2, V2>
    @usableFromInline let v3: _DeferredView<R3, V3>
    @usableFromInline let v4: _DeferredView<R4, V4>

    @inlinable init(
        _ body: @escaping (V1, V2, V3, V4) throws -> Void,
        _ v1: _DeferredView<R1, V1>, _ v2: _DeferredView<R2, V2>, _ v3: _DeferredView<R3, V3>, _ v4: _DeferredView<R4, V4>
    ) {
        self.body = body
        self.v1 = v1
        self.v2 = v2
        self.v3 = v3
        self.v4 = v4
    }

    @inlinable func run(_ context: _TaskContext) throws {
        try body(v1.view(0, context), v2.view(1, context), v3.view(2, context), v4.view(3, context))
    }
}
