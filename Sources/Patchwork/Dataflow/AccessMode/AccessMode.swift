/// How a task uses the data it names: the four access modes of the dataflow runtime.
///
/// ```swift
/// graph.submit(.read(a, box), .readWrite(b, box)) { src, dst in ... }
/// ```
///
/// Two accesses to intersecting regions of the same resource *conflict* — and the later task waits
/// for the earlier one — unless both are `read` (readers share) or both are `accumulate`
/// (commutative updates run in any order, but never at the same time: the runtime gives each one
/// exclusive use of the resource while it runs).
///
/// - Complexity: the conflict test is O(1).
public enum AccessMode: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Reads the region; the closure gets a read-only view.
    case read
    /// Overwrites the region without reading it (its old contents are not needed).
    case write
    /// Reads and updates the region in place.
    case readWrite
    /// A commutative update (`+=`): concurrent with nothing, in any order among other accumulates.
    case accumulate

    /// True when the access changes the data.
    @inlinable
    public var writes: Bool { self != .read }

    /// True when an access of this mode must be ordered after (or before) one of `other`'s mode on
    /// an intersecting region.
    @inlinable
    public func conflicts(with other: AccessMode) -> Bool {
        switch (self, other) {
        case (.read, .read), (.accumulate, .accumulate): false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .read: "read"
        case .write: "write"
        case .readWrite: "readWrite"
        case .accumulate: "accumulate"
        }
    }
}
