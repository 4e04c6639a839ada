/// What was wrong with a request to the `Arrays` layer: each case names the offending values.
///
/// ```swift
/// do { _ = try patch.value(at: [99, 0]) }
/// catch let error { print(error) }   // point (99, 0) is outside the allocated region ...
/// ```
///
/// Bad input (a ghost width out of range, a point or box outside an array, a rank that does not
/// exist) is reported with these errors and never traps; nothing is modified when one is thrown.
public enum ArrayError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A ghost width outside `allowed`; `reason` says which limit applies (negative, the global
    /// maximum ``Patch/maximumGhostWidth``, or the extent of a periodic domain axis).
    case ghostWidthOutOfRange(width: Int, allowed: ClosedRange<Int>, reason: String)
    /// A patch needs at least one interior cell.
    case emptyBox(box: String)
    /// The allocation for `box` would overflow `Int` (element count × element size).
    case sizeOverflow(box: String, elementByteCount: Int)
    /// A point outside `region` (`what` names the region: "patch allocation", "domain", …).
    case pointOutside(point: [Int], region: String, what: String)
    /// A box that must lie inside `region` does not (`what` names the region).
    case boxOutside(box: String, region: String, what: String)
    /// A point of the domain whose patch is owned by another rank.
    case pointNotLocal(point: [Int], patch: Int, owner: Int, rank: Int)
    /// A patch index outside the decomposition, or of a patch that this rank does not own.
    case patchNotLocal(patch: Int, patchCount: Int, rank: Int)
    /// A rank outside `0 ..< rankCount`.
    case rankOutOfRange(rank: Int, rankCount: Int)
    /// A staggering axis outside `0 ..< dimensions`.
    case invalidAxis(axis: Int, dimensions: Int)
    /// Two arrays or patches that must have the same layout differ (`detail` says how).
    case layoutMismatch(detail: String)

    public var description: String {
        switch self {
        case let .ghostWidthOutOfRange(width, allowed, reason):
            "ghost width \(width) is outside \(allowed.lowerBound)...\(allowed.upperBound) (\(reason))"
        case let .emptyBox(box):
            "a patch needs at least one cell, but its box \(box) is empty"
        case let .sizeOverflow(box, size):
            "the storage for \(box) with \(size)-byte elements overflows the address space"
        case let .pointOutside(point, region, what):
            "point \(point) is outside the \(what) \(region)"
        case let .boxOutside(box, region, what):
            "box \(box) is not inside the \(what) \(region)"
        case let .pointNotLocal(point, patch, owner, rank):
            "point \(point) lies in patch \(patch), owned by rank \(owner), not by rank \(rank)"
        case let .patchNotLocal(patch, patchCount, rank):
            "patch \(patch) (of \(patchCount)) is not a patch held by rank \(rank)"
        case let .rankOutOfRange(rank, rankCount):
            "rank \(rank) is outside 0..<\(rankCount)"
        case let .invalidAxis(axis, dimensions):
            "axis \(axis) is outside 0..<\(dimensions)"
        case let .layoutMismatch(detail):
            "layouts differ: \(detail)"
        }
    }
}
