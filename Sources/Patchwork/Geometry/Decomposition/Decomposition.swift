/// A floor plan: a domain cut into boxes ("patches"), each with an owner rank (KeLP's
/// `FloorPlan` / `Decomposition`).
///
/// Every rank holds the whole floor plan (replicated metadata, as in AMReX); a `PatchArray` then
/// allocates the patches that its rank owns.
///
/// ```swift
/// let domain = try Box<2>(lower: [0, 0], upper: [128, 128])
/// let plan = try Decomposition(blocks: domain, counts: [4, 4], ranks: 2)
/// plan.patches(ownedBy: 0)      // patch indices owned by rank 0
/// ```
///
/// A decomposition is an immutable `Sendable` value. Its ``identity`` names it for plan caches:
/// two decompositions with the same domain, boxes, owners and periodicity share one identity.
public struct Decomposition<let N: Int>: Sendable {
    /// The index space the boxes cut.
    public let domain: Box<N>
    /// The boxes, one per patch; patch `i` is `boxes[i]`.
    public let boxes: [Box<N>]
    /// The owner rank of each patch.
    public let owners: [Int]
    /// The number of ranks the patches are spread over.
    public let rankCount: Int
    /// Which axes wrap around (a periodic axis joins the domain's upper face to its lower face).
    public let periodic: [Bool]

    /// Creates a floor plan from its parts, checking them: one owner per box, owners in
    /// `0 ..< rankCount`, one periodicity flag per axis, every box non-empty and inside the domain,
    /// boxes pairwise disjoint, and, when `requireCovering`, the boxes cover the domain.
    @inlinable
    public init(
        domain: Box<N>, boxes: [Box<N>], owners: [Int], rankCount: Int,
        periodic: [Bool] = Array(repeating: false, count: N), requireCovering: Bool = false
    ) throws(GeometryError) {
        guard owners.count == boxes.count else {
            throw .invalidValue(name: "owner count", value: owners.count, requirement: "equal to the box count \(boxes.count)")
        }
        guard rankCount >= 1 else {
            throw .invalidValue(name: "rank count", value: rankCount, requirement: "at least 1")
        }
        guard periodic.count == N else { throw .wrongDimension(expected: N, got: periodic.count) }
        for (i, owner) in owners.enumerated() where !(0..<rankCount).contains(owner) {
            throw .indexOutOfRange(name: "owner rank of patch \(i)", index: owner, range: 0..<rankCount)
        }
        self.init(uncheckedDomain: domain, boxes: boxes, owners: owners, rankCount: rankCount, periodic: periodic)
        try validate(requireCovering: requireCovering)
    }

    /// Creates a floor plan without checking it (for constructors whose output is valid by
    /// construction; debug builds still validate it).
    @usableFromInline
    init(uncheckedDomain domain: Box<N>, boxes: [Box<N>], owners: [Int], rankCount: Int, periodic: [Bool]) {
        self.domain = domain
        self.boxes = boxes
        self.owners = owners
        self.rankCount = rankCount
        self.periodic = periodic
    }

    /// The number of patches.
    public var count: Int { boxes.count }

    /// The indices of the patches owned by `rank`, in increasing order.
    public func patches(ownedBy rank: Int) -> [Int] {
        owners.indices.filter { owners[$0] == rank }
    }

    /// A key naming this floor plan for plan caches (equal for equal floor plans).
    public var identity: DecompositionIdentity { DecompositionIdentity(self) }
}

/// The identity of a floor plan: equal for decompositions with the same domain, boxes, owners,
/// rank count and periodicity. Plan caches (halo plans, I/O plans) are keyed by it, as AMReX keys
/// its FillBoundary cache by box layout and rank mapping.
public struct DecompositionIdentity: Hashable, Sendable {
    let rank: Int
    let values: [Int]

    init<let N: Int>(_ plan: Decomposition<N>) {
        var v: [Int] = [plan.rankCount]
        v.reserveCapacity(4 * N * plan.count + plan.count + 4 * N)
        v += plan.domain.lower.array + plan.domain.upper.array
        v += plan.periodic.map { $0 ? 1 : 0 }
        for (box, owner) in zip(plan.boxes, plan.owners) {
            v += box.lower.array
            v += box.upper.array
            v.append(owner)
        }
        rank = N
        values = v
    }
}
