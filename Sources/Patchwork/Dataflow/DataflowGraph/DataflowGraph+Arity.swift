// Fixed-arity forms of `DataflowGraph.submit` (0 to 4 accesses). They do what the variadic form
// does; the compiler picks them first, and unlike the parameter-pack form they are specialised for
// the concrete resource types; their closures hold no resource, and their accesses name the
// resources by address (`Access.raw(at:)`) for the call: no reference is counted per access.

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
        return try withUnsafePointer(to: a1.resource) { (r1) throws(DataflowError) in
            // With every view made now, the record keeps them and the closure (`_TaskWork`).
            // Else the closure keeps the views made now or, for a copy in another space, the regions
            // and view makers, not the resources (see `_TaskContext.view(_:early:_:_:as:)`). A region
            // outside its resource gets no view: submission rejects it.
            var accesses = (a1.raw(at: r1))
            let (early1, region1, make1) = (a1.submissionView(in: space, checked: accesses.inBounds), a1.region, a1.makeView)
            if let v1 = early1 {
                return try _submit(_BodyAndViews1(body, v1), name: name, space: space, &accesses, count: 1)
            }
            let node = _TaskNode(name: name, space: space, work: _ContextBody { context in
                try body(
                    context.view(0, early: early1, region1, make1, as: R1.self))
            })
            return try _submit(node, &accesses, count: 1)
        }
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
        return try withUnsafePointer(to: a1.resource) { (r1) throws(DataflowError) in
            try withUnsafePointer(to: a2.resource) { (r2) throws(DataflowError) in
                // With every view made now, the record keeps them and the closure (`_TaskWork`).
                // Else the closure keeps the views made now or, for a copy in another space, the regions
                // and view makers, not the resources (see `_TaskContext.view(_:early:_:_:as:)`). A region
                // outside its resource gets no view: submission rejects it.
                var accesses = (a1.raw(at: r1), a2.raw(at: r2))
                let (early1, region1, make1) = (a1.submissionView(in: space, checked: accesses.0.inBounds), a1.region, a1.makeView)
                let (early2, region2, make2) = (a2.submissionView(in: space, checked: accesses.1.inBounds), a2.region, a2.makeView)
                if let v1 = early1, let v2 = early2 {
                    return try _submit(_BodyAndViews2(body, v1, v2), name: name, space: space, &accesses, count: 2)
                }
                let node = _TaskNode(name: name, space: space, work: _ContextBody { context in
                    try body(
                        context.view(0, early: early1, region1, make1, as: R1.self),
                        context.view(1, early: early2, region2, make2, as: R2.self))
                })
                return try _submit(node, &accesses, count: 2)
            }
        }
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
        return try withUnsafePointer(to: a1.resource) { (r1) throws(DataflowError) in
            try withUnsafePointer(to: a2.resource) { (r2) throws(DataflowError) in
                try withUnsafePointer(to: a3.resource) { (r3) throws(DataflowError) in
                    // With every view made now, the record keeps them and the closure (`_TaskWork`).
                    // Else the closure keeps the views made now or, for a copy in another space, the regions
                    // and view makers, not the resources (see `_TaskContext.view(_:early:_:_:as:)`). A region
                    // outside its resource gets no view: submission rejects it.
                    var accesses = (a1.raw(at: r1), a2.raw(at: r2), a3.raw(at: r3))
                    let (early1, region1, make1) = (a1.submissionView(in: space, checked: accesses.0.inBounds), a1.region, a1.makeView)
                    let (early2, region2, make2) = (a2.submissionView(in: space, checked: accesses.1.inBounds), a2.region, a2.makeView)
                    let (early3, region3, make3) = (a3.submissionView(in: space, checked: accesses.2.inBounds), a3.region, a3.makeView)
                    if let v1 = early1, let v2 = early2, let v3 = early3 {
                        return try _submit(_BodyAndViews3(body, v1, v2, v3), name: name, space: space, &accesses, count: 3)
                    }
                    let node = _TaskNode(name: name, space: space, work: _ContextBody { context in
                        try body(
                            context.view(0, early: early1, region1, make1, as: R1.self),
                            context.view(1, early: early2, region2, make2, as: R2.self),
                            context.view(2, early: early3, region3, make3, as: R3.self))
                    })
                    return try _submit(node, &accesses, count: 3)
                }
            }
        }
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
        return try withUnsafePointer(to: a1.resource) { (r1) throws(DataflowError) in
            try withUnsafePointer(to: a2.resource) { (r2) throws(DataflowError) in
                try withUnsafePointer(to: a3.resource) { (r3) throws(DataflowError) in
                    try withUnsafePointer(to: a4.resource) { (r4) throws(DataflowError) in
                        // With every view made now, the record keeps them and the closure (`_TaskWork`).
                        // Else the closure keeps the views made now or, for a copy in another space, the regions
                        // and view makers, not the resources (see `_TaskContext.view(_:early:_:_:as:)`). A region
                        // outside its resource gets no view: submission rejects it.
                        var accesses = (a1.raw(at: r1), a2.raw(at: r2), a3.raw(at: r3), a4.raw(at: r4))
                        let (early1, region1, make1) = (a1.submissionView(in: space, checked: accesses.0.inBounds), a1.region, a1.makeView)
                        let (early2, region2, make2) = (a2.submissionView(in: space, checked: accesses.1.inBounds), a2.region, a2.makeView)
                        let (early3, region3, make3) = (a3.submissionView(in: space, checked: accesses.2.inBounds), a3.region, a3.makeView)
                        let (early4, region4, make4) = (a4.submissionView(in: space, checked: accesses.3.inBounds), a4.region, a4.makeView)
                        if let v1 = early1, let v2 = early2, let v3 = early3, let v4 = early4 {
                            return try _submit(_BodyAndViews4(body, v1, v2, v3, v4), name: name, space: space, &accesses, count: 4)
                        }
                        let node = _TaskNode(name: name, space: space, work: _ContextBody { context in
                            try body(
                                context.view(0, early: early1, region1, make1, as: R1.self),
                                context.view(1, early: early2, region2, make2, as: R2.self),
                                context.view(2, early: early3, region3, make3, as: R3.self),
                                context.view(3, early: early4, region4, make4, as: R4.self))
                        })
                        return try _submit(node, &accesses, count: 4)
                    }
                }
            }
        }
    }
}

