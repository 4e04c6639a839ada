extension MotionPlan {
    /// KeLP's `CopyOnIntersection` over whole floor plans: every destination patch (grown by
    /// `destinationGhosts`, restricted to `region` when given) receives the cells of every source
    /// patch's interior that it meets.
    ///
    /// - Complexity: O((n + m) log n + k) for n source patches, m destination patches and k moves.
    public static func copyOnIntersection(
        from source: Decomposition<N>, to destination: Decomposition<N>,
        destinationGhosts: Int = 0, within region: Box<N>? = nil
    ) throws(GeometryError) -> MotionPlan {
        guard destinationGhosts >= 0 else {
            throw .invalidValue(name: "destination ghost width", value: destinationGhosts, requirement: "non-negative")
        }
        let index = BoxIndex(source.boxes)
        var moves: [Move<N>] = []
        for (j, box) in destination.boxes.enumerated() {
            var target = box.grown(by: destinationGhosts)
            if let region { target = target.intersection(region) }
            if target.isEmpty { continue }
            index.forEachIntersecting(target) { i in
                moves.append(Move(sourcePatch: i, destinationPatch: j, destinationBox: source.boxes[i].intersection(target)))
            }
        }
        return MotionPlan(moves: moves, source: FloorPlanSignature(source), destination: FloorPlanSignature(destination))
    }
}
