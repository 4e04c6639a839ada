extension CollectiveTransport {
    /// Collects a whole distributed array on `root` as one single-rank ``PatchArray`` (every patch
    /// of the floor plan, ghosts included, owned by rank 0 of a 1-rank copy of the floor plan);
    /// other ranks get nil. For output and tests.
    ///
    /// ```swift
    /// if let whole = try comm.gather(u, root: 0) { try whole.value(at: [3, 4, 5]) }
    /// ```
    ///
    /// Each rank sends its local patches' storage (ghosts included) in one message; the root
    /// places them by the floor plan. Every rank must call it.
    ///
    /// - Throws: ``DistributedError/invalidRoot(root:size:)``,
    ///   ``DistributedError/arrayMismatch(arrayRank:rankCount:transportRank:transportSize:)``,
    ///   ``DistributedError/gatheredSizeMismatch(rank:expected:received:)`` on the root when a
    ///   rank's patches do not have the sizes the root's floor plan says, ``DistributedError/transport(_:)``.
    /// - Complexity: O(allocated cells of the array) on the root, O(local cells) elsewhere; one
    ///   gather (2 GiB at most in all, MPI's 32-bit counts).
    public func gather<E: PatchElement, let N: Int>(_ array: PatchArray<E, N>, root: Int) throws(DistributedError) -> PatchArray<E, N>? {
        guard root >= 0, root < size else { throw .invalidRoot(root: root, size: size) }
        try checkArray(array)
        var mine: [E] = []
        mine.reserveCapacity(array.patches.reduce(0) { $0 + $1.count })
        for patch in array.patches {
            patch.withUnsafeBufferPointer { mine.append(contentsOf: $0) }
        }
        let all: [[E]]
        do { all = try gather(mine, root: root) } catch { throw .transport(error) }
        guard rank == root else { return nil }
        let plan = array.decomposition
        let whole: PatchArray<E, N>
        do {
            let single = try Decomposition(
                domain: plan.domain, boxes: plan.boxes, owners: Array(repeating: 0, count: plan.count),
                rankCount: 1, periodic: plan.periodic)
            whole = try PatchArray(decomposition: single, ghostWidth: array.ghostWidth, staggering: array.staggering)
        } catch {
            throw .gatheredSizeMismatch(rank: root, expected: 0, received: 0)  // unreachable: the plan was valid
        }
        var offsets = [Int](repeating: 0, count: size)
        for (index, owner) in plan.owners.enumerated() {
            let patch = whole.patches[index]
            let start = offsets[owner]
            guard all[owner].count >= start + patch.count else {
                let expected = plan.patches(ownedBy: owner).reduce(0) { $0 + whole.patches[$1].count }
                throw .gatheredSizeMismatch(rank: owner, expected: expected, received: all[owner].count)
            }
            all[owner].withUnsafeBufferPointer { source in
                patch.withUnsafeMutableBufferPointer { destination in
                    _ = destination.update(fromContentsOf: UnsafeBufferPointer(rebasing: source[start..<(start + patch.count)]))
                }
            }
            offsets[owner] = start + patch.count
        }
        for r in 0..<size where offsets[r] != all[r].count {
            throw .gatheredSizeMismatch(rank: r, expected: offsets[r], received: all[r].count)
        }
        return whole
    }

    /// Collects a whole distributed array on `root` as a dense row-major array of its data domain
    /// (``PatchArray/dataDomain``, last index fastest); cells that no patch covers hold
    /// `background`. Other ranks get nil. Throws as the array `gather(_:root:)` does.
    ///
    /// ```swift
    /// if let values = try comm.gatherValues(u, root: 0) { write(values) }
    /// ```
    ///
    /// - Complexity: O(allocated cells + domain cells) on the root.
    public func gatherValues<E: PatchElement, let N: Int>(
        _ array: PatchArray<E, N>, root: Int, background: E = .zero
    ) throws(DistributedError) -> [E]? {
        guard let whole = try gather(array, root: root) else { return nil }
        return whole.denseValues(background: background)
    }
}

extension PatchArray {
    /// The data domain as a dense row-major array from this rank's patches' data boxes (cells of
    /// other ranks' patches and gaps hold `background`).
    func denseValues(background: Element) -> [Element] {
        let domain = dataDomain
        var strides = Point<N>.zero
        var stride = 1
        for axis in (0..<N).reversed() {
            strides[axis] = stride
            stride *= domain.shape[axis]
        }
        var values = [Element](repeating: background, count: domain.volume)
        values.withUnsafeMutableBufferPointer { dense in
            for patch in patches {
                let box = patch.box
                var start = 0
                for axis in 0..<N { start += (box.lower[axis] - domain.lower[axis]) * strides[axis] }
                let source = patch.storage.base + patch.offset(of: box.lower)
                box.forEachRow(strides: patch.strides, strides) { s, d, count in
                    (dense.baseAddress! + start + d).update(from: source + s, count: count)
                }
            }
        }
        return values
    }
}
