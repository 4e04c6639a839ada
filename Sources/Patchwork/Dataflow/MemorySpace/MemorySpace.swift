/// A place where a copy of a resource's data can live: host memory, a staging area, a GPU, a disk.
///
/// ```swift
/// graph.submit(name: "pack", on: .staging, .read(a, box)) { view in ... }
/// ```
///
/// Each resource has a home space (host unless the resource says otherwise). A task says where it
/// runs; before it runs, the runtime makes sure the resource has a valid copy there (copying from a
/// valid copy elsewhere), and a write there makes the copies in other spaces stale. Data goes back
/// to the home space lazily: only when read outside the runtime or at an explicit
/// ``DataflowGraph/synchronize(_:)``.
///
/// Spaces are plain values compared by `id`; `name` is for traces and messages.
public struct MemorySpace: Sendable, Hashable, CustomStringConvertible {
    /// The identity of the space (0 is host).
    public let id: Int
    /// A human-readable name.
    public let name: String

    /// Creates a space; two spaces with the same `id` are the same space.
    @inlinable
    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }

    /// Host memory: the default space of tasks and the home of resources.
    @inlinable public static var host: MemorySpace { MemorySpace(id: 0, name: "host") }
    /// A second host space (a staging area), used to exercise copies and versions without a GPU.
    @inlinable public static var staging: MemorySpace { MemorySpace(id: 1, name: "staging") }

    @inlinable public static func == (a: MemorySpace, b: MemorySpace) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    public var description: String { name }
}
