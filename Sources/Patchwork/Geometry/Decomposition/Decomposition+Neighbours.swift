extension Decomposition {
    /// A patch whose cells (or a periodic copy of them) fall in another patch's halo.
    public struct HaloNeighbour: Sendable, Hashable, CustomStringConvertible {
        /// The neighbouring patch.
        public let patch: Int
        /// The periodic shift of the neighbour (zero when none): the halo cells it fills are
        /// `grown ∩ boxes[patch].shifted(by: shift)`, copied from those cells minus `shift`.
        public let shift: Point<N>

        public var description: String { "patch \(patch) shift \(shift)" }
    }

    /// For every patch, the patches whose cells fill its halo of `width` cells, across periodic
    /// boundaries too: patch `j` with shift `s` is listed for patch `i` when
    /// `boxes[i].grown(by: width)` meets `boxes[j].shifted(by: s)` (`s` zero or one of
    /// ``periodicShifts(of:grownBy:)``; `j == i` only with a non-zero shift).
    ///
    /// ```swift
    /// for n in try plan.haloNeighbours(width: 2)[i] {
    ///     let halo = plan.boxes[i].grown(by: 2).intersection(plan.boxes[n.patch].shifted(by: n.shift))
    ///     // copy halo.shifted(by: -n.shift) of patch n.patch into halo of patch i
    /// }
    /// ```
    ///
    /// Lists are sorted by shift (row-major, zero first) then patch.
    ///
    /// Throws ``GeometryError/invalidValue(name:value:requirement:)`` for a negative width.
    ///
    /// - Complexity: one ``BoxIndex`` and, per patch, one query per periodic image its halo
    ///   meets: about O(n) for a floor plan.
    public func haloNeighbours(width: Int) throws(GeometryError) -> [[HaloNeighbour]] {
        guard width >= 0 else {
            throw .invalidValue(name: "halo width", value: width, requirement: "at least 0")
        }
        let index = BoxIndex(boxes)
        var lists = [[HaloNeighbour]]()
        lists.reserveCapacity(count)
        for (i, box) in boxes.enumerated() {
            let grown = box.grown(by: width)
            var list = [HaloNeighbour]()
            for shift in [Point<N>.zero] + periodicShifts(meeting: grown) {
                var found = index.intersecting(grown.shifted(by: -shift))
                if shift == .zero { found.removeAll { $0 == i } }
                for j in found { list.append(HaloNeighbour(patch: j, shift: shift)) }
            }
            lists.append(list)
        }
        return lists
    }
}
