extension CubedSphere {
    /// The sphere as one floor plan for patch arrays of `N` = 2 (x, y) or 3 (x, y, level) axes.
    ///
    /// The six tiles lie side by side along axis 0: tile `t` holds x in `[t·n, (t + 1)·n)` for
    /// tiles of `n × n` cells; axis 1 is y and axis 2 (when `N` is 3) the `levels` vertical
    /// levels, the fastest axis in storage as in pace and FV3. Patch `r` is the sub-tile of rank
    /// `r` (tile-major, as ``rank(tile:subTile:)``); it is owned by rank `r % ranks`, so
    /// `ranks: rankCount` gives one sub-tile per rank and `ranks: 1` keeps the whole sphere in one
    /// process. No axis is periodic: tile edges join through ``MotionPlan/cubedSphereHaloFill(sphere:levels:width:corners:)``.
    public func floorPlan<let N: Int>(levels: Int = 1, ranks: Int? = nil) throws(GeometryError) -> Decomposition<N> {
        guard N == 2 || N == 3 else { throw .wrongDimension(expected: 3, got: N) }
        guard levels >= 1 else { throw .invalidValue(name: "levels", value: levels, requirement: "at least 1") }
        let rankCount = ranks ?? self.rankCount
        guard rankCount >= 1, rankCount <= self.rankCount else {
            throw .invalidValue(name: "rank count", value: rankCount, requirement: "in 1...\(self.rankCount)")
        }
        var boxes = [Box<N>]()
        for r in 0..<self.rankCount {
            let (tile, box) = try box(ofRank: r)
            boxes.append(Self.embed(box, tile: tile, tileSize: tileSize, levels: levels))
        }
        let domain = Self.embed(Box<2>(uncheckedLower: .zero, upper: [Self.tileCount * tileSize, tileSize]), tile: 0, tileSize: tileSize, levels: levels) as Box<N>
        return try Decomposition(
            domain: domain, boxes: boxes, owners: (0..<self.rankCount).map { $0 % rankCount },
            rankCount: rankCount, requireCovering: true)
    }

    /// A box of tile coordinates placed in the side-by-side floor plan (all levels).
    static func embed<let N: Int>(_ box: Box<2>, tile: Int, tileSize: Int, levels: Int) -> Box<N> {
        var lower = Point<N>.zero, upper = Point<N>.zero
        lower[0] = box.lower[0] + tile * tileSize
        upper[0] = box.upper[0] + tile * tileSize
        lower[1] = box.lower[1]
        upper[1] = box.upper[1]
        if N == 3 { upper[2] = levels }
        return Box(uncheckedLower: lower, upper: upper)
    }

    /// A point of tile coordinates placed in the side-by-side floor plan at level 0.
    static func embed<let N: Int>(_ point: Point<2>, tile: Int, tileSize: Int) -> Point<N> {
        var p = Point<N>.zero
        p[0] = point[0] + tile * tileSize
        p[1] = point[1]
        return p
    }
}
