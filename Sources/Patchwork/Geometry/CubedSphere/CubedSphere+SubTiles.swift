extension CubedSphere {
    /// One of the eight directions from a sub-tile to the sub-tiles around it.
    public enum Direction: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case east, northEast, north, northWest, west, southWest, south, southEast

        /// The step toward the neighbour: east (1, 0), north-east (1, 1), …
        public var offset: Point<2> {
            switch self {
            case .east: [1, 0]
            case .northEast: [1, 1]
            case .north: [0, 1]
            case .northWest: [-1, 1]
            case .west: [-1, 0]
            case .southWest: [-1, -1]
            case .south: [0, -1]
            case .southEast: [1, -1]
            }
        }

        /// The direction with the given step (each coordinate in −1…1, not both 0).
        public init?(offset: Point<2>) {
            guard let d = Direction.allCases.first(where: { $0.offset == offset }) else { return nil }
            self = d
        }

        /// The edge direction.
        public init(_ edge: Edge) {
            switch edge {
            case .east: self = .east
            case .north: self = .north
            case .west: self = .west
            case .south: self = .south
            }
        }

        /// True for the four diagonal directions.
        public var isCorner: Bool { rawValue % 2 == 1 }

        /// The opposite direction.
        public var opposite: Direction { Direction(rawValue: (rawValue + 4) % 8)! }

        /// This direction expressed in a frame turned clockwise `turns` quarter turns.
        public func turned(by turns: Int) -> Direction {
            Direction(rawValue: (rawValue + 2 * (((turns % 4) + 4) % 4)) % 8)!
        }

        public var description: String {
            switch self {
            case .east: "east"
            case .northEast: "north-east"
            case .north: "north"
            case .northWest: "north-west"
            case .west: "west"
            case .southWest: "south-west"
            case .south: "south"
            case .southEast: "south-east"
            }
        }
    }

    /// The sub-tile next to a given one in one direction: its rank and tile, the clockwise
    /// quarter turns from the given sub-tile's frame to its frame, and the direction that
    /// points back from it to the given sub-tile (in its own frame).
    public struct SubTileNeighbour: Sendable, Hashable, CustomStringConvertible {
        /// The neighbour's rank.
        public let rank: Int
        /// The neighbour's tile.
        public let tile: Int
        /// Clockwise quarter turns (0–3) from the given sub-tile's frame to the neighbour's
        /// (0 within a tile; the edge's turns across a tile edge).
        public let turns: Int
        /// The direction from the neighbour back to the sub-tile it was found from.
        public let back: Direction

        public var description: String { "rank \(rank) (tile \(tile)), \(turns) turns, back \(back)" }
    }

    /// The rank of the sub-tile in column `subTile[0]`, row `subTile[1]` of `tile`.
    public func rank(tile: Int, subTile: Point<2>) throws(GeometryError) -> Int {
        try Self.check(tile: tile)
        for a in 0..<2 where !(0..<layout).contains(subTile[a]) {
            throw .indexOutOfRange(name: "sub-tile index along axis \(a)", index: subTile[a], range: 0..<layout)
        }
        return tile * ranksPerTile + subTile[1] * layout + subTile[0]
    }

    /// The tile and sub-tile position (column, row) of `rank`.
    public func position(ofRank rank: Int) throws(GeometryError) -> (tile: Int, subTile: Point<2>) {
        try checkRank(rank)
        let within = rank % ranksPerTile
        return (rank / ranksPerTile, [within % layout, within / layout])
    }

    /// The tile of `rank` and the cells it owns, in that tile's coordinates.
    public func box(ofRank rank: Int) throws(GeometryError) -> (tile: Int, box: Box<2>) {
        let (tile, sub) = try position(ofRank: rank)
        let lower = sub * subTileSize
        return (tile, Box(uncheckedLower: lower, upper: lower + Point(repeating: subTileSize)))
    }

    /// The neighbour of `rank`'s sub-tile toward `direction`, or nil toward a corner that is a
    /// cube vertex (where no sub-tile lies diagonally).
    ///
    /// ```swift
    /// let sphere = try CubedSphere(tileSize: 8, layout: [2, 2])
    /// try sphere.neighbour(ofRank: 1, toward: .east)   // rank 4 (tile 1), 0 turns, back west
    /// ```
    ///
    /// Throws ``GeometryError/indexOutOfRange(name:index:range:)`` for a rank outside
    /// `0 ..< rankCount`.
    ///
    /// - Complexity: O(1).
    public func neighbour(ofRank rank: Int, toward direction: Direction) throws(GeometryError) -> SubTileNeighbour? {
        let (tile, box) = try box(ofRank: rank)
        let d = direction.offset
        // The cell just beyond the sub-tile's side or corner toward `direction`.
        let probe = Point<2>(InlineArray { a in
            d[a] > 0 ? box.upper[a] : (d[a] < 0 ? box.lower[a] - 1 : box.lower[a])
        })
        guard let found = unfold(probe, tile) else { return nil }
        let sub = found.cell.floorDivided(by: Point(repeating: subTileSize))
        let neighbourRank = found.tile * ranksPerTile + sub[1] * layout + sub[0]
        return SubTileNeighbour(
            rank: neighbourRank, tile: found.tile, turns: found.turns,
            back: direction.opposite.turned(by: found.turns))
    }

    /// The neighbours of `rank` in all eight directions, indexed by `Direction.rawValue`.
    public func neighbours(ofRank rank: Int) throws(GeometryError) -> [SubTileNeighbour?] {
        var result: [SubTileNeighbour?] = []
        result.reserveCapacity(8)
        for direction in Direction.allCases { result.append(try neighbour(ofRank: rank, toward: direction)) }
        return result
    }

    /// The whole sphere as one 3-D floor plan: axis 0 is the tile (0–5), axes 1 and 2 are x and
    /// y within the tile; patch `r` is rank `r`'s sub-tile `[tile, x0, y0]..<[tile + 1, x1, y1]`,
    /// owned by rank `r`. No axis is periodic (tile edges join through ``locate(_:onTile:)->CubedSphere.CellLocation?``).
    public var decomposition: Decomposition<3> {
        var boxes = [Box<3>]()
        boxes.reserveCapacity(rankCount)
        for rank in 0..<rankCount {
            let tile = rank / ranksPerTile, within = rank % ranksPerTile
            let x = within % layout * subTileSize, y = within / layout * subTileSize
            boxes.append(Box(uncheckedLower: [tile, x, y], upper: [tile + 1, x + subTileSize, y + subTileSize]))
        }
        return Decomposition(
            uncheckedDomain: Box(uncheckedLower: [0, 0, 0], upper: [Self.tileCount, tileSize, tileSize]),
            boxes: boxes, owners: Array(0..<rankCount), rankCount: rankCount, periodic: [false, false, false])
    }

    /// One tile's floor plan: the `layout × layout` sub-tiles, patch and owner `k` being the
    /// sub-tile of within-tile rank `k` (rank `tile · layout² + k` on the sphere).
    public var tileDecomposition: Decomposition<2> {
        var boxes = [Box<2>]()
        boxes.reserveCapacity(ranksPerTile)
        for k in 0..<ranksPerTile {
            let lower: Point<2> = [k % layout * subTileSize, k / layout * subTileSize]
            boxes.append(Box(uncheckedLower: lower, upper: lower + Point(repeating: subTileSize)))
        }
        return Decomposition(
            uncheckedDomain: tileBox, boxes: boxes, owners: Array(0..<ranksPerTile), rankCount: ranksPerTile,
            periodic: [false, false])
    }

    func checkRank(_ rank: Int) throws(GeometryError) {
        guard (0..<rankCount).contains(rank) else {
            throw .indexOutOfRange(name: "rank", index: rank, range: 0..<rankCount)
        }
    }
}

extension CubedSphere {
    /// Where the halo of a sub-tile toward one direction gets its values: the halo cells (in the
    /// sub-tile's tile coordinates), the neighbour rank that owns them, and the same cells in the
    /// neighbour's tile coordinates with the turns between the frames.
    public struct HaloSource: Sendable, Hashable, CustomStringConvertible {
        /// The halo cells, in the receiving sub-tile's tile coordinates (outside its box).
        public let halo: Box<2>
        /// The rank owning the cells.
        public let rank: Int
        /// The cells in the owner's tile coordinates (inside the owner's box), its tile, and the
        /// clockwise quarter turns from the receiver's frame to the owner's.
        public let source: BoxLocation

        public var description: String { "halo \(halo) ← rank \(rank) \(source)" }
    }

    /// The halo of `rank`'s sub-tile toward `direction`, `width` cells deep (a `width × side`
    /// strip across an edge, a `width × width` square across a corner), and where it comes from.
    /// Nil toward a corner at a cube vertex.
    ///
    /// ```swift
    /// let sphere = try CubedSphere(tileSize: 8, layout: [2, 2])
    /// let west = try sphere.haloSource(ofRank: 0, toward: .west, width: 2)!
    /// // west.halo = [-2, 0]..<[0, 4] on tile 0; west.rank = 19 (tile 4, sub-tile (1, 1));
    /// // west.source.box = [4, 6]..<[8, 8] on tile 4, 1 turn
    /// ```
    ///
    /// Cell `p` of `halo` holds the value of the owner's cell `locate(p, onTile: tile).cell`.
    /// Vector components read there are in the owner's frame; turn them into the receiver's with
    /// `CubedSphere.rotate(u, v, clockwiseTurns: -source.turns)`.
    ///
    /// Throws for a rank out of range, or a width below 1 or above the sub-tile size (the halo
    /// would reach past the neighbour sub-tile).
    public func haloSource(ofRank rank: Int, toward direction: Direction, width: Int) throws(GeometryError) -> HaloSource? {
        guard width >= 1, width <= subTileSize else {
            throw .invalidValue(name: "halo width", value: width, requirement: "in 1...\(subTileSize) (the sub-tile size)")
        }
        let (tile, box) = try box(ofRank: rank)
        guard let owner = try neighbour(ofRank: rank, toward: direction) else { return nil }
        let d = direction.offset
        var lower = box.lower, upper = box.upper
        for a in 0..<2 {
            if d[a] > 0 { lower[a] = box.upper[a]; upper[a] = box.upper[a] + width }
            if d[a] < 0 { lower[a] = box.lower[a] - width; upper[a] = box.lower[a] }
        }
        let halo = Box(uncheckedLower: lower, upper: upper)
        guard let source = try locate(halo, onTile: tile) else { return nil }
        return HaloSource(halo: halo, rank: owner.rank, source: source)
    }
}
