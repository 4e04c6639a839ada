/// A task's work, stored inside its record: a value that knows how to run itself (the user's
/// closure with the views made at submission, or a closure), run through a function of its type.
///
/// Keeping the closure and its views in place, rather than in a closure around them, saves an
/// allocation per task and an object for the running worker to fetch. Work larger than
/// ``capacity`` bytes is kept in a closure around it (``_TaskNode/running(_:name:space:)``).
@usableFromInline
internal struct _TaskWork {
    /// What ``perform`` is asked to do with the stored work.
    @usableFromInline
    enum Step {
        /// Run it and keep it (a recorded task runs again at the next replay).
        case run
        /// Run it, then destroy it (also when it throws).
        case runAndDiscard
        /// Destroy it without running it.
        case discard
    }

    /// The bytes of ``storage``.
    @inlinable static var capacity: Int { MemoryLayout<(Int, Int, Int, Int, Int, Int, Int, Int)>.size }

    /// The work, when ``perform`` is set.
    @usableFromInline var storage: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Runs or destroys the work in ``storage``, knowing its type; nil when none is stored.
    @usableFromInline var perform: ((UnsafeMutableRawPointer, Step, _TaskContext) throws -> Void)?

    @inlinable init() {}

    /// True when a `Work` fits in ``storage``.
    @inlinable
    static func fits<Work>(_: Work.Type) -> Bool {
        MemoryLayout<Work>.size <= capacity && MemoryLayout<Work>.alignment <= MemoryLayout<Int>.alignment
    }

    /// Stores `work` (which must fit; nothing may be stored yet).
    @inlinable
    mutating func store<Work: _TaskWorkItem>(_ work: consuming Work) {
        var moved = Optional(work)  // moved into the storage (a closure cannot consume a parameter)
        withUnsafeMutableBytes(of: &storage) { $0.baseAddress.unsafelyUnwrapped.initializeMemory(as: Work.self, to: moved.take().unsafelyUnwrapped) }
        perform = Work.perform
    }

    /// True when work is stored.
    @inline(__always) var isEmpty: Bool { perform == nil }

    /// Does `step` with the stored work (none: nothing); after `.runAndDiscard` or `.discard`
    /// none is stored.
    @inline(__always)
    mutating func callAsFunction(_ step: Step, _ context: _TaskContext) throws {
        guard let perform else { return }
        if step != .run { self.perform = nil }
        try withUnsafeMutableBytes(of: &storage) { try perform($0.baseAddress.unsafelyUnwrapped, step, context) }
    }

    /// Destroys the stored work, if any, without running it.
    @inline(__always)
    mutating func discard(of task: _TaskNode) {
        try? self(.discard, _TaskContext(node: task))
    }
}

/// Work that ``_TaskWork`` can store: a value that knows how to run itself.
@usableFromInline
internal protocol _TaskWorkItem {
    func run(_ context: _TaskContext) throws
}

extension _TaskWorkItem {
    /// Does `step` with the `Self` at `raw` (``_TaskWork/perform``).
    @inlinable
    static func perform(_ raw: UnsafeMutableRawPointer, _ step: _TaskWork.Step, _ context: _TaskContext) throws {
        let work = raw.assumingMemoryBound(to: Self.self)
        switch step {
        case .run:
            try work.pointee.run(context)
        case .runAndDiscard:
            defer { work.deinitialize(count: 1) }
            try work.pointee.run(context)
        case .discard:
            work.deinitialize(count: 1)
        }
    }
}

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
