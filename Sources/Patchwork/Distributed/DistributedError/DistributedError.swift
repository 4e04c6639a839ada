/// What went wrong in a distributed operation (floor-plan agreement, collectives on arrays,
/// collectively built or checked exchanges); each case names the offending values.
///
/// Collective checks compute their verdict from data every rank has gathered, so every rank
/// throws the same error and none is left waiting for the others.
///
/// ```swift
/// do { try comm.checkFloorPlan(plan) }
/// catch .rankCountMismatch(let planRanks, let ranks, _) { print("plan for \(planRanks), run on \(ranks)") }
/// ```
public enum DistributedError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The floor plan on `ranks` is made for `floorPlanRanks` ranks but the run has `transportRanks`.
    case rankCountMismatch(floorPlanRanks: Int, transportRanks: Int, ranks: [Int])
    /// The floor plans differ between ranks: `differingRanks` hold one other than rank 0's.
    case floorPlanMismatch(differingRanks: [Int], fingerprints: [UInt64])
    /// The exchanges built on `differingRanks` differ from rank 0's (motion plan, quantity list,
    /// ghost width, staggering, element type or tag).
    case exchangeMismatch(differingRanks: [Int], reason: String)
    /// The ranks built their exchanges for different element types: `differingRanks` hold one
    /// other than rank 0's; `elementTypes` names every rank's (`"float64"`, `"int64"`, …).
    case elementTypeMismatch(differingRanks: [Int], elementTypes: [String])
    /// An array is rank `arrayRank` of a `rankCount`-rank floor plan, but the transport is rank
    /// `transportRank` of `transportSize`.
    case arrayMismatch(arrayRank: Int, rankCount: Int, transportRank: Int, transportSize: Int)
    /// A root rank outside `0 ..< size`.
    case invalidRoot(root: Int, size: Int)
    /// A gathered array's patch data does not have the size its floor plan says (rank `rank`
    /// sent `received` elements, `expected` were due).
    case gatheredSizeMismatch(rank: Int, expected: Int, received: Int)
    /// This rank's exchange failed.
    case exchange(ExchangeError)
    /// Another rank failed: `firstRank` is the lowest failing rank, `failingRanks` how many failed.
    case failedOnOtherRanks(firstRank: Int, failingRanks: Int)
    /// A message or collective failed.
    case transport(TransportError)
    /// An array could not be built or read.
    case array(ArrayError)
    /// Rank `rank`'s segment of a shared-memory array has `bytes` bytes where this rank's layout
    /// expects `expected`: the ranks asked for different ghost widths, staggering or elements.
    case sharedLayoutMismatch(rank: Int, bytes: Int, expected: Int)

    public var description: String {
        switch self {
        case let .rankCountMismatch(planRanks, transportRanks, ranks):
            "the floor plan on rank\(ranks.count == 1 ? "" : "s") \(ranks) is made for \(planRanks) ranks, but the run has \(transportRanks) ranks"
        case let .floorPlanMismatch(differing, fingerprints):
            "ranks \(differing) hold a floor plan other than rank 0's (fingerprints by rank: \(fingerprints.map { String($0, radix: 16) }))"
        case let .exchangeMismatch(differing, reason):
            "the exchanges built on ranks \(differing) differ from rank 0's: \(reason)"
        case let .elementTypeMismatch(differing, types):
            "the exchanges built on ranks \(differing) have another element type than rank 0's (element types by rank: \(types))"
        case let .arrayMismatch(arrayRank, rankCount, transportRank, transportSize):
            "the array is rank \(arrayRank) of a \(rankCount)-rank floor plan, but the transport is rank \(transportRank) of \(transportSize)"
        case let .invalidRoot(root, size):
            "root rank \(root) is outside 0..<\(size)"
        case let .gatheredSizeMismatch(rank, expected, received):
            "rank \(rank) sent \(received) elements of its patches, \(expected) were expected"
        case let .exchange(e): "exchange: \(e)"
        case let .failedOnOtherRanks(first, count):
            "\(count) rank\(count == 1 ? "" : "s") failed, the first being rank \(first)"
        case let .transport(e): "transport: \(e)"
        case let .array(e): "array: \(e)"
        case let .sharedLayoutMismatch(rank, bytes, expected):
            "rank \(rank)'s shared-memory patches take \(bytes) bytes, this rank's layout expects \(expected): the ranks' ghost widths, staggering or element types differ"
        }
    }
}
