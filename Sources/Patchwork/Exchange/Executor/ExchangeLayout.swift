/// The inspector's work for one rank: every move of a plan turned into strided regions of the
/// quantities' storage, split into local copies and per-peer packing plans.
struct ExchangeLayout<Element: PatchElement & SignedNumeric, let N: Int> {
    var pointers: [UnsafeMutablePointer<Element>] = []
    /// The patch behind each pointer.
    var patches: [Patch<Element, N>] = []
    var localCopies: [HaloExchange<Element, N>.LocalCopy] = []
    var outgoing: [(key: Int, value: PackingPlan<N>)] = []
    var incoming: [(key: Int, value: PackingPlan<N>)] = []
    /// When every array lives in MPI-3 shared memory: per outgoing message (in the order of
    /// ``outgoing``), its moves as copies straight into the peer's patches, whose base pointers
    /// are in ``remotePointers``.
    var remoteCopies: [[HaloExchange<Element, N>.LocalCopy]]? = nil
    var remotePointers: [UnsafeMutablePointer<Element>] = []
    /// A digest of everything both sides of a message derive its layout from.
    var signature: UInt64 = 0

    /// A component array with where its pointers start in the table.
    private struct Component {
        var array: PatchArray<Element, N>
        var tableStart: Int
        var staggeredAxis: Int?
    }

    /// The layout of a halo exchange: `quantities` are read and written in place.
    init(plan: MotionPlan<N>, quantities: [ExchangeQuantity<Element, N>], transport: (any Transport)?) throws(ExchangeError) {
        try self.init(plan: plan, sources: quantities, destinations: nil, transport: transport)
    }

    /// The layout of a copy from `sources` into `destinations` (quantity by quantity, possibly on
    /// different floor plans of the same ranks), or of a halo exchange when `destinations` is nil.
    init(
        plan: MotionPlan<N>, sources: [ExchangeQuantity<Element, N>], destinations: [ExchangeQuantity<Element, N>]?,
        transport: (any Transport)?
    ) throws(ExchangeError) {
        guard let first = sources.first?.components.first else {
            throw .quantityMismatch(quantity: 0, reason: "an exchange needs at least one quantity")
        }
        let sourcePlan = first.decomposition
        let rank = first.rank
        // One table of base pointers: component-major, local patch position minor.
        let sourceGroups = try appendTable(sources, floorPlan: sourcePlan, rank: rank)
        var destinationPlan = sourcePlan
        var destinationGroups = sourceGroups
        if let destinations {
            guard destinations.count == sources.count else {
                throw .quantityMismatch(
                    quantity: min(sources.count, destinations.count),
                    reason: "\(sources.count) source quantities but \(destinations.count) destination quantities")
            }
            let d = destinations[0].components[0]
            guard d.rank == rank, d.decomposition.rankCount == sourcePlan.rankCount else {
                throw .quantityMismatch(
                    quantity: 0,
                    reason: "the destination is rank \(d.rank) of a \(d.decomposition.rankCount)-rank floor plan, the source rank \(rank) of a \(sourcePlan.rankCount)-rank one")
            }
            destinationPlan = d.decomposition
            destinationGroups = try appendTable(destinations, floorPlan: destinationPlan, rank: rank)
            for q in sourceGroups.indices {
                let (s, t) = (sourceGroups[q], destinationGroups[q])
                guard s.count == t.count, zip(s, t).allSatisfy({ $0.staggeredAxis == $1.staggeredAxis }) else {
                    throw .quantityMismatch(
                        quantity: q,
                        reason: "source has \(s.count) component(s) staggered \(s.map { $0.array.staggering }), destination \(t.count) staggered \(t.map { $0.array.staggering })")
                }
            }
        }
        let floorPlan = sourcePlan
        if destinations == nil {
            try plan.check("floor plan", builtFor: plan.sourceFloorPlan, against: sourcePlan)
            try plan.check("floor plan", builtFor: plan.destinationFloorPlan, against: sourcePlan)
        } else {
            try plan.check("source floor plan", builtFor: plan.sourceFloorPlan, against: sourcePlan)
            try plan.check("destination floor plan", builtFor: plan.destinationFloorPlan, against: destinationPlan)
        }
        if let transport, transport.rank != rank || transport.size != floorPlan.rankCount {
            throw .transportMismatch(transportRank: transport.rank, transportSize: transport.size, arrayRank: rank, rankCount: floorPlan.rankCount)
        }
        var outgoingByPeer: [Int: PackingPlan<N>] = [:]
        var incomingByPeer: [Int: PackingPlan<N>] = [:]
        let shared = (sources + (destinations ?? [])).allSatisfy { $0.components.allSatisfy(\.isShared) }
        var remoteByPeer: [Int: [HaloExchange<Element, N>.LocalCopy]] = [:]
        var remoteIndex: [RemotePatch: Int] = [:]
        for move in plan.moves {
            guard move.sourcePatch >= 0, move.sourcePatch < sourcePlan.count else {
                throw .quantityMismatch(quantity: 0, reason: "the plan reads patch \(move.sourcePatch) but the source floor plan has \(sourcePlan.count)")
            }
            guard move.destinationPatch >= 0, move.destinationPatch < destinationPlan.count else {
                throw .quantityMismatch(quantity: 0, reason: "the plan writes patch \(move.destinationPatch) but the destination floor plan has \(destinationPlan.count)")
            }
            let sourceOwner = sourcePlan.owners[move.sourcePatch]
            let destinationOwner = destinationPlan.owners[move.destinationPatch]
            guard sourceOwner == rank || destinationOwner == rank else { continue }
            if sourceOwner != destinationOwner && transport == nil {
                throw .transportMismatch(transportRank: -1, transportSize: 0, arrayRank: rank, rankCount: floorPlan.rankCount)
            }
            for (group, sourceGroup) in zip(destinationGroups, sourceGroups) {
                for (c, destination) in group.enumerated() {
                    let (s, negated) = Self.sourceComponent(of: c, turns: move.turns, vector: group.count == 2)
                    let source = sourceGroup[s]
                    var sourceRegion: (region: StridedRegion<N>, box: Box<N>)? = nil
                    var sourcePointer = 0
                    if sourceOwner == rank {
                        let position = source.array.localPosition(ofPatch: move.sourcePatch)!
                        sourcePointer = source.tableStart + position
                        sourceRegion = try Self.sourceRegion(
                            of: move, in: source.array.patches[position], staggeredAxis: destination.staggeredAxis)
                    }
                    if destinationOwner == rank {
                        let position = destination.array.localPosition(ofPatch: move.destinationPatch)!
                        let destinationRegion = try Self.destinationRegion(
                            of: move, in: destination.array.patches[position], staggeredAxis: destination.staggeredAxis)
                        if let sourceRegion {
                            localCopies.append(Self.copy(
                                from: sourcePointer, sourceRegion, into: destination.tableStart + position, destinationRegion,
                                box: move.destinationBox, negated: negated))
                        } else {
                            incomingByPeer[sourceOwner, default: PackingPlan()]
                                .append(quantity: destination.tableStart + position, region: destinationRegion, box: move.destinationBox)
                        }
                    } else if let sourceRegion {
                        outgoingByPeer[destinationOwner, default: PackingPlan()]
                            .append(quantity: sourcePointer, region: sourceRegion.region, box: sourceRegion.box, negated: negated)
                        if shared {
                            let target = RemotePatch(array: destination.array.id, patch: move.destinationPatch)
                            let remote = remoteIndex[target] ?? remotePointers.count
                            if remote == remotePointers.count {
                                remoteIndex[target] = remote
                                remotePointers.append(destination.array.sharedMemory!.address(ofPatch: move.destinationPatch).assumingMemoryBound(to: Element.self))
                            }
                            let region = try Self.destinationRegion(
                                of: move, allocatedBox: destination.array.allocatedBox(ofPatch: move.destinationPatch),
                                patch: move.destinationPatch)
                            remoteByPeer[destinationOwner, default: []].append(Self.copy(
                                from: sourcePointer, sourceRegion, into: remote, region, box: move.destinationBox, negated: negated))
                        }
                    }
                }
            }
        }
        outgoing = outgoingByPeer.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        incoming = incomingByPeer.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        if shared { remoteCopies = outgoing.map { remoteByPeer[$0.key] ?? [] } }
        signature = Self.signature(
            plan: plan, floorPlans: destinations == nil ? [sourcePlan] : [sourcePlan, destinationPlan],
            groups: destinations == nil ? [sourceGroups] : [sourceGroups, destinationGroups])
    }

    /// Appends the base pointers of every component of `quantities` to the table; each must be
    /// rank `rank` of `floorPlan`.
    private mutating func appendTable(
        _ quantities: [ExchangeQuantity<Element, N>], floorPlan: Decomposition<N>, rank: Int
    ) throws(ExchangeError) -> [[Component]] {
        let identity = floorPlan.identity
        var groups: [[Component]] = []
        for (q, quantity) in quantities.enumerated() {
            var group: [Component] = []
            for array in quantity.components {
                guard array.rank == rank, array.decomposition.identity == identity else {
                    throw .quantityMismatch(quantity: q, reason: "its floor plan or rank differs from quantity 0's")
                }
                var axis: Int? = nil
                if case .faceCentred(let a) = array.staggering { axis = a }
                group.append(Component(array: array, tableStart: pointers.count, staggeredAxis: axis))
                pointers += array.patches.map { $0.storage.base }
                patches += array.patches
            }
            groups.append(group)
        }
        return groups
    }

    /// A patch of another rank, named by its array and global index.
    private struct RemotePatch: Hashable {
        var array: ObjectIdentifier
        var patch: Int
    }

    /// A direct copy of a move, its rows folded where both sides fold alike (they are walked in step).
    static func copy(
        from source: Int, _ sourceRegion: (region: StridedRegion<N>, box: Box<N>), into destination: Int,
        _ destinationRegion: StridedRegion<N>, box: Box<N>, negated: Bool
    ) -> HaloExchange<Element, N>.LocalCopy {
        var (s, d) = (sourceRegion.region, destinationRegion)
        let (cs, cd) = (s.coalesced(), d.coalesced())
        if Point(cs.shape) == Point(cd.shape) { (s, d) = (cs, cd) }
        return .init(source: source, sourceRegion: s, sourceBox: sourceRegion.box,
                     destination: destination, destinationRegion: d, destinationBox: box, negated: negated)
    }

    /// Which source component fills destination component `c`, and whether it is negated: one
    /// clockwise turn carries `(u, v)` to `(v, −u)`, two to `(−u, −v)`, three to `(−v, u)`.
    static func sourceComponent(of c: Int, turns: Int, vector: Bool) -> (Int, Bool) {
        guard vector else { return (c, false) }
        switch (turns, c) {
        case (1, 0): return (1, false)
        case (1, _): return (0, true)
        case (2, _): return (c, true)
        case (3, 0): return (1, true)
        case (3, _): return (0, false)
        default: return (c, false)
        }
    }

    static func destinationRegion(of move: Move<N>, in patch: Patch<Element, N>, staggeredAxis: Int?) throws(ExchangeError) -> StridedRegion<N> {
        try destinationRegion(of: move, allocatedBox: patch.allocatedBox, patch: move.destinationPatch)
    }

    /// The strided region of `move`'s destination box in a row-major patch covering `allocatedBox`.
    static func destinationRegion(of move: Move<N>, allocatedBox: Box<N>, patch: Int) throws(ExchangeError) -> StridedRegion<N> {
        let box = move.destinationBox
        guard allocatedBox.contains(box) else {
            throw .moveOutsidePatch(move: "\(move.sourcePatch)→\(move.destinationPatch) \(box)", patch: patch, allocated: allocatedBox.description)
        }
        var strides = InlineArray<N, Int>(repeating: 0)
        var offset = 0, stride = 1
        for axis in (0..<N).reversed() {
            strides[axis] = stride
            offset += (box.lower[axis] - allocatedBox.lower[axis]) * stride
            stride *= allocatedBox.upper[axis] - allocatedBox.lower[axis]
        }
        return StridedRegion(offset: offset, strides: strides, shape: box.shape.coordinates)
    }

    /// The strided region of the source patch that fills `move` (in the destination's visit
    /// order), and the box of source cells it reads.
    static func sourceRegion(of move: Move<N>, in patch: Patch<Element, N>, staggeredAxis: Int?) throws(ExchangeError) -> (region: StridedRegion<N>, box: Box<N>) {
        let box = move.destinationBox
        let t = move.transform
        let first = t.apply(box.lower, staggeredAxis: staggeredAxis)
        let last = t.apply(box.upper - Point(repeating: 1), staggeredAxis: staggeredAxis)
        let covered = Box(uncheckedLower: Point.min(first, last), upper: Point.max(first, last) + Point(repeating: 1))
        guard patch.allocatedBox.contains(covered) else {
            throw .moveOutsidePatch(move: "\(move.sourcePatch)→\(move.destinationPatch) \(box)", patch: move.sourcePatch, allocated: patch.allocatedBox.description)
        }
        var strides = InlineArray<N, Int>(repeating: 0)
        for axis in 0..<N {
            let step = t.sourceStep(along: axis)
            var s = 0
            for k in 0..<N { s += step[k] * patch.strides[k] }
            strides[axis] = s
        }
        return (StridedRegion(offset: patch.offset(of: first), strides: strides, shape: box.shape.coordinates), covered)
    }

    /// A digest every rank derives alike from the motion plan (every move), the floor plan, and the
    /// quantity list (components, staggering, ghost width, element size and type): the layout of every
    /// message depends on exactly these. The default tag folds it to the range every MPI
    /// guarantees, 1 ..< 32767.
    private static func signature(plan: MotionPlan<N>, floorPlans: [Decomposition<N>], groups: [[[Component]]]) -> UInt64 {
        var h = _StableHasher()
        h.combine(Int(truncatingIfNeeded: plan.fingerprint))
        for floorPlan in floorPlans { h.combine(Int(truncatingIfNeeded: floorPlan.identity.fingerprint)) }
        h.combine(MemoryLayout<Element>.stride)
        h.combine(Int(Element.elementType.code))
        for side in groups {
            h.combine(side.count)
            for group in side {
                h.combine(group.count)
                for c in group {
                    h.combine(c.array.ghostWidth)
                    h.combine(c.staggeredAxis ?? -1)
                }
            }
        }
        return h.value
    }
}
