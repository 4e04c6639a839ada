/// A task's work stored inside its record: the user's closure with the views made at
/// submission, in place, run through a function of their type (no closure around them: one
/// allocation less per task, and one object less for the running worker to fetch).
///
/// The fixed-arity `submit` forms use it when every view was made at submission and the closure
/// and views fit in ``capacity`` bytes; other work stays a closure (`_TaskNode.body`).
@usableFromInline
internal struct _InlineWork {
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
    @usableFromInline var perform: ((UnsafeMutableRawPointer, Step) throws -> Void)?

    @inlinable init() {}

    /// True when a `Work` fits in ``storage``.
    @inlinable
    static func fits<Work>(_: Work.Type) -> Bool {
        MemoryLayout<Work>.size <= capacity && MemoryLayout<Work>.alignment <= MemoryLayout<Int>.alignment
    }

    /// Stores `work` (which must fit; nothing may be stored yet).
    @inlinable
    mutating func store<Work: _InlineWorkItem>(_ work: consuming Work) {
        var moved = Optional(work)  // moved into the storage (a closure cannot consume a parameter)
        withUnsafeMutableBytes(of: &storage) { $0.baseAddress.unsafelyUnwrapped.initializeMemory(as: Work.self, to: moved.take().unsafelyUnwrapped) }
        perform = Work.perform
    }

    /// Does `step` with the stored work; after `.runAndDiscard` or `.discard` none is stored.
    @inline(__always)
    mutating func callAsFunction(_ step: Step) throws {
        guard let perform else { return }
        if step != .run { self.perform = nil }
        try withUnsafeMutableBytes(of: &storage) { try perform($0.baseAddress.unsafelyUnwrapped, step) }
    }
}

/// Work that ``_InlineWork`` can store: a value that knows how to run itself.
@usableFromInline
internal protocol _InlineWorkItem {
    func run() throws
}

extension _InlineWorkItem {
    /// Does `step` with the `Self` at `raw` (``_InlineWork/perform``).
    @inlinable
    static func perform(_ raw: UnsafeMutableRawPointer, _ step: _InlineWork.Step) throws {
        let work = raw.assumingMemoryBound(to: Self.self)
        switch step {
        case .run:
            try work.pointee.run()
        case .runAndDiscard:
            defer { work.deinitialize(count: 1) }
            try work.pointee.run()
        case .discard:
            work.deinitialize(count: 1)
        }
    }
}

// The user's closure of a fixed-arity `submit` form with its views, all made at submission. One
// type per arity: the closure is stored as the form receives it (a parameter pack would need a
// reabstraction thunk, an allocation per task).

@usableFromInline
internal struct _BodyAndViews1<V1>: _InlineWorkItem {
    @usableFromInline let body: (V1) throws -> Void
    @usableFromInline let v1: V1
    @inlinable init(_ body: @escaping (V1) throws -> Void, _ v1: V1) { (self.body, self.v1) = (body, v1) }
    @inlinable func run() throws { try body(v1) }
}

@usableFromInline
internal struct _BodyAndViews2<V1, V2>: _InlineWorkItem {
    @usableFromInline let body: (V1, V2) throws -> Void
    @usableFromInline let v1: V1, v2: V2
    @inlinable init(_ body: @escaping (V1, V2) throws -> Void, _ v1: V1, _ v2: V2) { (self.body, self.v1, self.v2) = (body, v1, v2) }
    @inlinable func run() throws { try body(v1, v2) }
}

@usableFromInline
internal struct _BodyAndViews3<V1, V2, V3>: _InlineWorkItem {
    @usableFromInline let body: (V1, V2, V3) throws -> Void
    @usableFromInline let v1: V1, v2: V2, v3: V3
    @inlinable init(_ body: @escaping (V1, V2, V3) throws -> Void, _ v1: V1, _ v2: V2, _ v3: V3) {
        (self.body, self.v1, self.v2, self.v3) = (body, v1, v2, v3)
    }
    @inlinable func run() throws { try body(v1, v2, v3) }
}

@usableFromInline
internal struct _BodyAndViews4<V1, V2, V3, V4>: _InlineWorkItem {
    @usableFromInline let body: (V1, V2, V3, V4) throws -> Void
    @usableFromInline let v1: V1, v2: V2, v3: V3, v4: V4
    @inlinable init(_ body: @escaping (V1, V2, V3, V4) throws -> Void, _ v1: V1, _ v2: V2, _ v3: V3, _ v4: V4) {
        (self.body, self.v1, self.v2, self.v3, self.v4) = (body, v1, v2, v3, v4)
    }
    @inlinable func run() throws { try body(v1, v2, v3, v4) }
}
