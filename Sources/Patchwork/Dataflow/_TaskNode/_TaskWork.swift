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
        assert(Self.fits(Work.self) && perform == nil, "\(Work.self) does not fit, or work is already stored")
        var moved = Optional(work)  // moved into the storage (a closure cannot consume a parameter)
        withUnsafeMutableBytes(of: &storage) { _ = $0.baseAddress.unsafelyUnwrapped.initializeMemory(as: Work.self, to: moved.take().unsafelyUnwrapped) }
        perform = Work.perform
    }

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
