/// The patches of one floor plan that this rank holds: KeLP's `XArray`, AMReX's `FabArray`.
///
/// ```swift
/// let domain = try Box<2>(lower: [0, 0], upper: [8, 8])
/// let plan = try Decomposition(domain: domain,
///     boxes: [try Box(lower: [0, 0], upper: [4, 8]), try Box(lower: [4, 0], upper: [8, 8])],
///     owners: [0, 0], rankCount: 1)
/// let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
/// u.fill { p in Double(p[0] + p[1]) }
/// try u.value(at: [5, 2])                               // 7.0
/// for (index, patch) in u.localPatches { print(index, patch.box) }
/// ```
///
/// Patch `i` of the decomposition has the data box `staggering.dataBox(for: boxes[i])` and
/// `ghostWidth` ghost cells per side. The array allocates the patches owned by ``rank``
/// (``patchIndices``, increasing; ``patches`` in the same order).
///
/// **Semantics.** Like ``Patch``, a `PatchArray` is a value holding references to its storage:
/// copies share the patches (and the ``id``); writes are `nonmutating`. ``clone()`` makes an
/// independent copy. `Sendable`; conflicting concurrent writes must be ordered by the caller.
///
/// - Complexity: creation allocates every local patch with its ghosts (and, for more than a few
///   local patches, a ``BoxIndex`` over them). Access by global point scans a few local patches
///   or queries that index (O(1) for a floor plan); views and fills are O(cells).
public struct PatchArray<Element: PatchElement, let N: Int>: Sendable, Identifiable {
    /// The floor plan.
    public let decomposition: Decomposition<N>
    /// Ghost cells on both sides of every patch, per axis.
    public let ghostWidths: Point<N>
    /// The widest ghost layer (every axis' width when the ghosts are uniform).
    @inlinable public var ghostWidth: Int {
        var w = 0
        for axis in 0..<N { w = Swift.max(w, ghostWidths[axis]) }
        return w
    }
    /// Where values sit on the cells (cell- or face-centred).
    public let staggering: Staggering
    /// The rank whose patches this array holds.
    public let rank: Int
    /// The global indices of the local patches, increasing.
    public let patchIndices: [Int]
    /// The local patches, in the order of ``patchIndices``.
    public let patches: [Patch<Element, N>]
    /// The data box of the whole domain: `staggering.dataBox(for: decomposition.domain)`.
    public let dataDomain: Box<N>
    @usableFromInline internal let token: _ArrayToken
    /// An index over the local patches' data boxes for access by global point, when there are
    /// more than ``_lookupThreshold`` of them (nil: a scan is as fast).
    @usableFromInline internal let patchLookup: BoxIndex<N>?
    /// The shared window holding the patches of every rank, for arrays made with
    /// ``init(decomposition:ghostWidths:staggering:sharedWith:initialValue:)``.
    internal private(set) var sharedMemory: _SharedPatchMemory? = nil

    /// An identity shared by the copies of this array (not by clones), for dataflow bookkeeping.
    public var id: ObjectIdentifier { ObjectIdentifier(token) }

    /// Allocates the patches of `decomposition` owned by `rank`, every element set to
    /// `initialValue`.
    ///
    /// Throws ``ArrayError/rankOutOfRange(rank:rankCount:)``,
    /// ``ArrayError/invalidAxis(axis:dimensions:)`` for a staggering axis outside `0 ..< N`,
    /// ``ArrayError/ghostWidthOutOfRange(width:allowed:reason:)`` for a negative width, one above
    /// ``Patch/maximumGhostWidth``, or one wider than the domain along a periodic axis (a ghost
    /// region would wrap around more than once).
    public init(
        decomposition: Decomposition<N>, ghostWidth: Int = 0, staggering: Staggering = .cellCentred,
        rank: Int = 0, initialValue: Element = .zero
    ) throws(ArrayError) {
        try self.init(decomposition: decomposition, ghostWidths: Point(repeating: ghostWidth),
                      staggering: staggering, rank: rank, initialValue: initialValue)
    }

    /// Allocates the patches of `decomposition` owned by `rank` with `ghostWidths[a]` ghost cells
    /// on both sides along axis `a` (e.g. `[3, 3, 0]`: a horizontal halo and no vertical one).
    /// Throws as ``init(decomposition:ghostWidth:staggering:rank:initialValue:)``.
    public init(
        decomposition: Decomposition<N>, ghostWidths: Point<N>, staggering: Staggering = .cellCentred,
        rank: Int = 0, initialValue: Element = .zero
    ) throws(ArrayError) {
        try self.init(decomposition: decomposition, ghostWidths: ghostWidths, staggering: staggering,
                      rank: rank, initialValue: initialValue, sharedMemory: nil)
    }

    /// An array whose local patches are placed in `sharedMemory` (their own allocations when nil).
    init(
        decomposition: Decomposition<N>, ghostWidths: Point<N>, staggering: Staggering,
        rank: Int, initialValue: Element, sharedMemory: _SharedPatchMemory?
    ) throws(ArrayError) {
        try Self.validate(decomposition: decomposition, ghostWidths: ghostWidths, staggering: staggering, rank: rank)
        let indices = decomposition.patches(ownedBy: rank)
        var patches: [Patch<Element, N>] = []
        patches.reserveCapacity(indices.count)
        for i in indices {
            patches.append(try Patch(box: staggering.dataBox(for: decomposition.boxes[i]),
                                     ghostWidths: ghostWidths, initialValue: initialValue,
                                     placement: sharedMemory?.placement(ofPatch: i)))
        }
        self.decomposition = decomposition
        self.ghostWidths = ghostWidths
        self.staggering = staggering
        self.rank = rank
        self.patchIndices = indices
        self.patches = patches
        self.patchLookup = Self.makeLookup(patches)
        self.dataDomain = staggering.dataBox(for: decomposition.domain)
        self.token = _ArrayToken()
        self.sharedMemory = sharedMemory
    }

    /// Local patch counts above which access by global point uses a ``BoxIndex``.
    @usableFromInline internal static var _lookupThreshold: Int { 8 }

    /// The index over the data boxes of `patches`, or nil when there are few.
    static func makeLookup(_ patches: [Patch<Element, N>]) -> BoxIndex<N>? {
        patches.count > _lookupThreshold ? BoxIndex(patches.map(\.box)) : nil
    }

    /// The box that patch `index` of the floor plan allocates (its data box grown by the ghost
    /// widths), on whichever rank owns it.
    public func allocatedBox(ofPatch index: Int) -> Box<N> {
        staggering.dataBox(for: decomposition.boxes[index]).grown(lower: ghostWidths, upper: ghostWidths)
    }

    /// Throws what the initializers throw for these arguments, allocating nothing.
    static func validate(decomposition: Decomposition<N>, ghostWidths: Point<N>, staggering: Staggering, rank: Int) throws(ArrayError) {
        guard (0..<decomposition.rankCount).contains(rank) else {
            throw .rankOutOfRange(rank: rank, rankCount: decomposition.rankCount)
        }
        try staggering.validate(dimensions: N)
        for axis in 0..<N where decomposition.periodic[axis] {
            let extent = decomposition.domain.shape[axis]
            if ghostWidths[axis] > extent {
                throw .ghostWidthOutOfRange(
                    width: ghostWidths[axis], allowed: 0...Swift.min(extent, Patch<Element, N>.maximumGhostWidth),
                    reason: "wider than the periodic domain along axis \(axis) (\(extent) cells)")
            }
        }
        // The ghost widths, checked on a one-cell patch.
        _ = try Patch<Element, N>(box: Box(uncheckedLower: .zero, upper: Point(repeating: 1)), ghostWidths: ghostWidths)
    }

    /// The local patches with their global indices.
    @inlinable
    public var localPatches: some RandomAccessCollection<(index: Int, patch: Patch<Element, N>)> {
        patches.indices.lazy.map { (index: patchIndices[$0], patch: patches[$0]) }
    }

    /// The local position of global patch `index` in ``patches``, or nil when not local.
    @inlinable
    public func localPosition(ofPatch index: Int) -> Int? {
        var lo = 0, hi = patchIndices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if patchIndices[mid] < index { lo = mid + 1 } else { hi = mid }
        }
        return lo < patchIndices.count && patchIndices[lo] == index ? lo : nil
    }

    /// The local patch with global index `index`; throws ``ArrayError/patchNotLocal(patch:patchCount:rank:)``
    /// when there is no such patch or another rank owns it.
    @inlinable
    public func patch(_ index: Int) throws(ArrayError) -> Patch<Element, N> {
        guard let position = localPosition(ofPatch: index) else {
            throw .patchNotLocal(patch: index, patchCount: decomposition.count, rank: rank)
        }
        return patches[position]
    }

    /// An independent copy: same layout, new storage with the same elements, a new ``id``.
    public func clone() -> PatchArray {
        PatchArray(copying: self)
    }

    private init(copying other: PatchArray) {
        decomposition = other.decomposition
        ghostWidths = other.ghostWidths
        staggering = other.staggering
        rank = other.rank
        patchIndices = other.patchIndices
        patches = other.patches.map { $0.clone() }
        patchLookup = other.patchLookup  // same boxes
        dataDomain = other.dataDomain
        token = _ArrayToken()
    }

    /// True when `other` has the same floor plan, ghost width, staggering and rank, so that its
    /// patches match this array's one for one.
    public func hasSameLayout<Other: PatchElement>(as other: PatchArray<Other, N>) -> Bool {
        ghostWidths == other.ghostWidths && staggering == other.staggering && rank == other.rank
            && decomposition.identity == other.decomposition.identity
    }

    /// Throws ``ArrayError/layoutMismatch(detail:)`` unless ``hasSameLayout(as:)``.
    public func checkSameLayout<Other: PatchElement>(as other: PatchArray<Other, N>) throws(ArrayError) {
        guard hasSameLayout(as: other) else {
            throw .layoutMismatch(detail: "ghost widths \(ghostWidths) vs \(other.ghostWidths), \(staggering) vs \(other.staggering), rank \(rank) vs \(other.rank), same floor plan: \(decomposition.identity == other.decomposition.identity)")
        }
    }
}

/// The identity token of a ``PatchArray``: its address is the array's `id`.
@usableFromInline
internal final class _ArrayToken: Sendable {
    @usableFromInline init() {}
}
