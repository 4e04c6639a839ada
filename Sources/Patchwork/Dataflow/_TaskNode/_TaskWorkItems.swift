// The kinds of work a task record keeps (see `_TaskWork`).

/// Work given as a closure of the task's context (views made when the task runs; exchange and
/// I/O tasks).
@usableFromInline
internal struct _ContextBody: _TaskWorkItem {
    @usableFromInline let body: (_TaskContext) throws -> Void
    @inlinable init(_ body: @escaping (_TaskContext) throws -> Void) { self.body = body }
    @inlinable func run(_ context: _TaskContext) throws { try body(context) }
}

/// The work of a task without accesses.
@usableFromInline
internal struct _PlainBody: _TaskWorkItem {
    @usableFromInline let body: () throws -> Void
    @inlinable init(_ body: @escaping () throws -> Void) { self.body = body }
    @inlinable func run(_ context: _TaskContext) throws { try body() }
}

// The user's closure of a fixed-arity `submit` form with its views, all made at submission. One
// type per arity: the closure is stored as the form receives it (a parameter pack would need a
// reabstraction thunk, an allocation per task).

@usableFromInline
internal struct _BodyAndViews1<V1>: _TaskWorkItem {
    @usableFromInline let body: (V1) throws -> Void
    @usableFromInline let v1: V1
    @inlinable init(_ body: @escaping (V1) throws -> Void, _ v1: V1) { (self.body, self.v1) = (body, v1) }
    @inlinable func run(_ context: _TaskContext) throws { try body(v1) }
}

@usableFromInline
internal struct _BodyAndViews2<V1, V2>: _TaskWorkItem {
    @usableFromInline let body: (V1, V2) throws -> Void
    @usableFromInline let v1: V1, v2: V2
    @inlinable init(_ body: @escaping (V1, V2) throws -> Void, _ v1: V1, _ v2: V2) { (self.body, self.v1, self.v2) = (body, v1, v2) }
    @inlinable func run(_ context: _TaskContext) throws { try body(v1, v2) }
}

@usableFromInline
internal struct _BodyAndViews3<V1, V2, V3>: _TaskWorkItem {
    @usableFromInline let body: (V1, V2, V3) throws -> Void
    @usableFromInline let v1: V1, v2: V2, v3: V3
    @inlinable init(_ body: @escaping (V1, V2, V3) throws -> Void, _ v1: V1, _ v2: V2, _ v3: V3) {
        (self.body, self.v1, self.v2, self.v3) = (body, v1, v2, v3)
    }
    @inlinable func run(_ context: _TaskContext) throws { try body(v1, v2, v3) }
}

@usableFromInline
internal struct _BodyAndViews4<V1, V2, V3, V4>: _TaskWorkItem {
    @usableFromInline let body: (V1, V2, V3, V4) throws -> Void
    @usableFromInline let v1: V1, v2: V2, v3: V3, v4: V4
    @inlinable init(_ body: @escaping (V1, V2, V3, V4) throws -> Void, _ v1: V1, _ v2: V2, _ v3: V3, _ v4: V4) {
        (self.body, self.v1, self.v2, self.v3, self.v4) = (body, v1, v2, v3, v4)
    }
    @inlinable func run(_ context: _TaskContext) throws { try body(v1, v2, v3, v4) }
}
