/// Where every patch of a shared-memory ``PatchArray`` lives: one MPI-3 shared window, one
/// segment per rank holding that rank's patches back to back (64-byte aligned), so that any rank
/// of the node can address any rank's patch.
final class _SharedPatchMemory: @unchecked Sendable {
    let segments: _MPISharedSegments
    /// The communicator the window belongs to.
    let communicator: ObjectIdentifier
    /// Per global patch: its owner and its byte offset in the owner's segment.
    let owners: [Int]
    let offsets: [Int]

    init(segments: _MPISharedSegments, communicator: ObjectIdentifier, owners: [Int], offsets: [Int]) {
        self.segments = segments
        self.communicator = communicator
        self.owners = owners
        self.offsets = offsets
    }

    /// The first byte of global patch `i`'s storage, whichever rank owns it.
    func address(ofPatch i: Int) -> UnsafeMutableRawPointer { segments.bases[owners[i]] + offsets[i] }

    /// Where this rank places local patch `i`.
    func placement(ofPatch i: Int) -> _PatchPlacement { _PatchPlacement(address: address(ofPatch: i), owner: self) }

    /// The byte offset of every patch in its owner's segment and every rank's segment size, for
    /// patches of `elementStride`-byte elements covering `allocatedBoxes`.
    static func layout<let N: Int>(owners: [Int], allocatedBoxes: [Box<N>], elementStride: Int, rankCount: Int) -> (offsets: [Int], segmentBytes: [Int]) {
        var offsets = Array(repeating: 0, count: owners.count)
        var ends = Array(repeating: 0, count: rankCount)
        for (i, owner) in owners.enumerated() {
            offsets[i] = ends[owner]
            ends[owner] += (allocatedBoxes[i].volume * elementStride + 63) / 64 * 64
        }
        return (offsets, ends)
    }
}

extension PatchArray {
    /// Allocates this rank's patches of `decomposition` in one MPI-3 shared window of
    /// `communicator`, where every rank of the node can address every rank's patches: a
    /// ``HaloExchange`` of such arrays (``HaloExchange/useSharedMemory(_:transfer:timeout:)``) writes
    /// each halo straight into the neighbour's ghost cells, one copy instead of a pack and an
    /// unpack. Collective: every rank passes the same floor plan, ghost widths and staggering.
    ///
    /// ```swift
    /// let comm = try MPICommunicator.world()
    /// let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidths: [3, 3, 0], sharedWith: comm)
    /// let fill = try HaloExchange.collective(plan: halo, quantities: [.scalar(u)], communicator: comm)
    /// try fill.useSharedMemory(comm)        // .direct: the arrays are shared
    /// ```
    ///
    /// Where the ranks span several nodes the patches are allocated privately, as by
    /// ``init(decomposition:ghostWidths:staggering:rank:initialValue:)`` (``isShared`` is false).
    /// The window stays mapped until the process ends (freeing it is collective, and a rank may
    /// drop its array before the others). Clones are private arrays.
    ///
    /// - Throws: what ``CollectiveTransport/checkFloorPlan(_:)`` throws (on every rank);
    ///   ``DistributedError/array(_:)`` for what the private initializer rejects and
    ///   ``DistributedError/sharedLayoutMismatch(rank:bytes:expected:)`` when the ranks' ghost
    ///   widths, staggering or element types differ (on the failing ranks), and
    ///   ``DistributedError/failedOnOtherRanks(firstRank:failingRanks:)`` on the other ranks;
    ///   ``DistributedError/transport(_:)`` when MPI fails.
    /// - Complexity: collective: one window allocation and two agreements.
    public init(
        decomposition: Decomposition<N>, ghostWidths: Point<N>, staggering: Staggering = .cellCentred,
        sharedWith communicator: MPICommunicator, initialValue: Element = .zero
    ) throws(DistributedError) {
        let rank = communicator.rank
        try communicator.checkFloorPlan(decomposition)
        var local: DistributedError? = nil
        do { try Self.validate(decomposition: decomposition, ghostWidths: ghostWidths, staggering: staggering, rank: rank) } catch {
            local = .array(error)
        }
        try communicator.agree(local)
        let boxes = decomposition.boxes.map { staggering.dataBox(for: $0).grown(lower: ghostWidths, upper: ghostWidths) }  // as allocatedBox(ofPatch:)
        let layout = _SharedPatchMemory.layout(owners: decomposition.owners, allocatedBoxes: boxes,
                                               elementStride: MemoryLayout<Element>.stride, rankCount: communicator.size)
        let segments: _MPISharedSegments?
        do { segments = try communicator.sharedSegments(bytes: layout.segmentBytes[rank]) } catch { throw .transport(error) }
        guard let segments else {
            do {
                try self.init(decomposition: decomposition, ghostWidths: ghostWidths, staggering: staggering, rank: rank, initialValue: initialValue)
            } catch { throw .array(error) }
            return
        }
        // Every rank laid out every segment alike: the sizes MPI reports must be the ones expected
        // (a segment is at least one cache line, see sharedSegments(bytes:)).
        for r in 0..<communicator.size where segments.sizes[r] != max(64, layout.segmentBytes[r]) {
            local = .sharedLayoutMismatch(rank: r, bytes: segments.sizes[r], expected: max(64, layout.segmentBytes[r]))
            break
        }
        try communicator.agree(local)
        let memory = _SharedPatchMemory(segments: segments, communicator: ObjectIdentifier(communicator),
                                        owners: decomposition.owners, offsets: layout.offsets)
        do {
            try self.init(decomposition: decomposition, ghostWidths: ghostWidths, staggering: staggering,
                          rank: rank, initialValue: initialValue, sharedMemory: memory)
        } catch { throw .array(error) }
    }

    /// Whether the patches live in an MPI-3 shared window that the other ranks of the node can
    /// address (see ``init(decomposition:ghostWidths:staggering:sharedWith:initialValue:)``).
    public var isShared: Bool { sharedMemory != nil }
}
