// Fixed-arity forms of `DataflowGraph.submit` (0 to 4 accesses). They do what the variadic form
// does; the compiler picks them first, and unlike the parameter-pack form they are specialised for
// the concrete resource types and their closures hold no resource, which keeps per-task cost low.

extension DataflowGraph {
    /// Submits a task without accesses; see ``submit(name:on:_:body:)-(_,_,_,(V)->Void)``. It depends on no task
    /// and takes the runtime's fast path (no dependency tracking, no submission lock).
    @discardableResult
    @inlinable
    public func submit(
        name: String = "task", on space: MemorySpace = .host,
        body: @escaping @Sendable () throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        try _submit(name: name, space: space, body: body)
    }

    /// Submits a task with 1 access; see ``submit(name:on:_:body:)-(_,_,_,(V)->Void)``.
    @discardableResult
    @inlinable
    public func submit<R1: DataflowResource, V1>(
        name: String = "task", on space: MemorySpace = .host,
        _ a1: Access<R1, V1>,
        body: @escaping @Sendable (V1) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        let node = _Task1(name: name, space: space, a1, work: body)
        var raw = (a1.raw,)
        try withUnsafeBytes(of: &raw) { (bytes) throws(DataflowError) in
            try _submit(node, UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: _RawAccess.self), count: 1))
        }
        return TaskHandle(node: node)
    }

    /// Submits a task with 2 accesses; see ``submit(name:on:_:body:)-(_,_,_,(V)->Void)``.
    @discardableResult
    @inlinable
    public func submit<R1: DataflowResource, V1, R2: DataflowResource, V2>(
        name: String = "task", on space: MemorySpace = .host,
        _ a1: Access<R1, V1>,
        _ a2: Access<R2, V2>,
        body: @escaping @Sendable (V1, V2) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        let node = _Task2(name: name, space: space, a1, a2, work: body)
        var raw = (a1.raw, a2.raw)
        try withUnsafeBytes(of: &raw) { (bytes) throws(DataflowError) in
            try _submit(node, UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: _RawAccess.self), count: 2))
        }
        return TaskHandle(node: node)
    }

    /// Submits a task with 3 accesses; see ``submit(name:on:_:body:)-(_,_,_,(V)->Void)``.
    @discardableResult
    @inlinable
    public func submit<R1: DataflowResource, V1, R2: DataflowResource, V2, R3: DataflowResource, V3>(
        name: String = "task", on space: MemorySpace = .host,
        _ a1: Access<R1, V1>,
        _ a2: Access<R2, V2>,
        _ a3: Access<R3, V3>,
        body: @escaping @Sendable (V1, V2, V3) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        let node = _Task3(name: name, space: space, a1, a2, a3, work: body)
        var raw = (a1.raw, a2.raw, a3.raw)
        try withUnsafeBytes(of: &raw) { (bytes) throws(DataflowError) in
            try _submit(node, UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: _RawAccess.self), count: 3))
        }
        return TaskHandle(node: node)
    }

    /// Submits a task with 4 accesses; see ``submit(name:on:_:body:)-(_,_,_,(V)->Void)``.
    @discardableResult
    @inlinable
    public func submit<R1: DataflowResource, V1, R2: DataflowResource, V2, R3: DataflowResource, V3, R4: DataflowResource, V4>(
        name: String = "task", on space: MemorySpace = .host,
        _ a1: Access<R1, V1>,
        _ a2: Access<R2, V2>,
        _ a3: Access<R3, V3>,
        _ a4: Access<R4, V4>,
        body: @escaping @Sendable (V1, V2, V3, V4) throws -> Void
    ) throws(DataflowError) -> TaskHandle {
        let node = _Task4(name: name, space: space, a1, a2, a3, a4, work: body)
        var raw = (a1.raw, a2.raw, a3.raw, a4.raw)
        try withUnsafeBytes(of: &raw) { (bytes) throws(DataflowError) in
            try _submit(node, UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: _RawAccess.self), count: 4))
        }
        return TaskHandle(node: node)
    }
}
