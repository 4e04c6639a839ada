
/// A plain Swift value held in a reference, so that tasks can declare accesses on it.
///
/// ```swift
/// let total = Shared(0.0)
/// graph.submit(.accumulate(total)) { (sum: SharedWriteView<Double>) in sum.value += 1 }
/// try graph.wait()
/// total.value          // 1.0 (read it after the tasks that write it are done)
/// ```
///
/// The runtime orders tasks on a `Shared` value as on any resource (its one region is
/// ``WholeValue``); inside a task, ``SharedReadView`` only reads and ``SharedWriteView`` reads and
/// writes. Outside tasks, ``value`` is safe to use only when no task that writes it is pending
/// (after ``DataflowGraph/wait()-9t6o7`` or ``DataflowGraph/wait(for:)-(TaskHandle)``).
///
/// - Complexity: a view is a reference; reading and writing are direct.
public final class Shared<Value>: DataflowResource, @unchecked Sendable {
    public typealias Region = WholeValue
    public typealias ReadView = SharedReadView<Value>
    public typealias WriteView = SharedWriteView<Value>

    @usableFromInline internal var storage: Value
    /// A name for messages and traces.
    public let dataflowName: String

    /// Holds `value`.
    public init(_ value: Value, name: String = "shared") {
        self.storage = value
        self.dataflowName = name
    }

    /// The value (outside tasks: only when no task writing it is pending).
    @inlinable
    public var value: Value {
        get { storage }
        set { storage = newValue }
    }

    public var dataflowBounds: WholeValue { WholeValue() }

    public func makeReadView(_ region: WholeValue) -> SharedReadView<Value> {
        SharedReadView(shared: self)
    }

    public func makeWriteView(_ region: WholeValue) -> SharedWriteView<Value> {
        SharedWriteView(shared: self)
    }
}

/// The read-only view of a ``Shared`` value that a `read` access hands to a task.
public struct SharedReadView<Value> {
    @usableFromInline internal let shared: Shared<Value>
    @usableFromInline internal init(shared: Shared<Value>) { self.shared = shared }
    /// The value.
    @inlinable public var value: Value { shared.storage }
}

/// The writable view of a ``Shared`` value that a `write`, `readWrite` or `accumulate` access
/// hands to a task.
public struct SharedWriteView<Value> {
    @usableFromInline internal let shared: Shared<Value>
    @usableFromInline internal init(shared: Shared<Value>) { self.shared = shared }
    /// The value; setting it is allowed only here, inside the task.
    @inlinable public var value: Value {
        get { shared.storage }
        nonmutating set { shared.storage = newValue }
    }
}
