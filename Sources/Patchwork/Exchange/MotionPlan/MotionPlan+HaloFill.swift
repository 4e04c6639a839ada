extension MotionPlan {
    /// The ghost fill of one floor plan: every ghost cell within `width` of a patch that lies
    /// inside the domain (or wraps around a periodic axis) receives the value of the interior cell
    /// that owns it.
    ///
    /// With `corners: false` only the face slabs are filled (a cross-shaped stencil such as the
    /// 5- or 7-point Laplacian needs no edge or corner ghosts), which moves less data.
    ///
    /// - Complexity: O(n log n + k) for n patches and k moves (one box-index query per ghost slab
    ///   and periodic image).
    public static func haloFill(plan: Decomposition<N>, width: Int, corners: Bool = true) throws(GeometryError) -> MotionPlan {
        guard width >= 0 else {
            throw .invalidValue(name: "ghost width", value: width, requirement: "non-negative")
        }
        for axis in 0..<N where plan.periodic[axis] && width > plan.domain.shape[axis] {
            throw .invalidValue(
                name: "ghost width", value: width,
                requirement: "at most the periodic extent \(plan.domain.shape[axis]) of axis \(axis)")
        }
        let index = BoxIndex(plan.boxes)
        var moves: [Move<N>] = []
        for (j, box) in plan.boxes.enumerated() where width > 0 {
            let targets = corners ? [box.grown(by: width)] : (0..<N).map { box.grown(by: width, along: $0) }
            for target in targets {
                // A ghost cell p reads the domain cell p + s: s = 0, or minus a periodic copy's offset.
                for shift in [Point<N>.zero] + plan.periodicShifts(meeting: target).map({ -$0 }) {
                    let image = target.shifted(by: shift)
                    index.forEachIntersecting(image) { i in
                        if i == j && shift == .zero { return }
                        let cells = plan.boxes[i].intersection(image).shifted(by: -shift)
                        moves.append(Move(
                            sourcePatch: i, destinationPatch: j, destinationBox: cells,
                            transform: LatticeTransform(translation: shift)))
                    }
                }
            }
        }
        let signature = FloorPlanSignature(plan)
        return MotionPlan(moves: moves, source: signature, destination: signature)
    }
}
