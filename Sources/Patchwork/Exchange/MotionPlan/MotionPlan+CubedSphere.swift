extension MotionPlan {
    /// The ghost fill of a cubed sphere laid out by ``CubedSphere/floorPlan(levels:ranks:)`` with the same `levels`:
    /// every halo strip of every sub-tile, `width` cells deep, receives the cells that the
    /// sphere's topology places there, turned across tile edges (pace's `HaloUpdater`).
    ///
    /// With `corners: false` only the four edge strips are filled. Corner squares at the cube's
    /// eight vertices, where three tiles meet, have no single source and are left as they are.
    /// Moves that cross a turned edge carry its quarter turns, so vector components swap and
    /// change sign there (see ``HaloExchange``).
    ///
    /// - Complexity: O(ranks) moves, 8 per sub-tile at most.
    public static func cubedSphereHaloFill(
        sphere: CubedSphere, levels: Int = 1, width: Int, corners: Bool = true
    ) throws(GeometryError) -> MotionPlan {
        guard N == 2 || N == 3 else { throw .wrongDimension(expected: 3, got: N) }
        guard levels >= 1 else { throw .invalidValue(name: "levels", value: levels, requirement: "at least 1") }
        var moves: [Move<N>] = []
        let directions = CubedSphere.Direction.allCases.filter { corners || !$0.isCorner }
        for rank in 0..<sphere.rankCount {
            let tile = try sphere.box(ofRank: rank).tile
            for direction in directions {
                guard let halo = try sphere.haloSource(ofRank: rank, toward: direction, width: width),
                    let image = try sphere.locate(halo.halo.lower, onTile: tile)
                else { continue }
                let box: Box<N> = CubedSphere.embed(halo.halo, tile: tile, tileSize: sphere.tileSize, levels: levels)
                let anchor: Point<N> = CubedSphere.embed(halo.halo.lower, tile: tile, tileSize: sphere.tileSize)
                let target: Point<N> = CubedSphere.embed(image.cell, tile: image.tile, tileSize: sphere.tileSize)
                moves.append(Move(
                    sourcePatch: halo.rank, destinationPatch: rank, destinationBox: box,
                    transform: LatticeTransform(turns: image.turns, mapping: anchor, to: target)))
            }
        }
        let signature = FloorPlanSignature(try sphere.floorPlan(levels: levels, ranks: 1) as Decomposition<N>)
        return MotionPlan(moves: moves, source: signature, destination: signature)
    }
}
