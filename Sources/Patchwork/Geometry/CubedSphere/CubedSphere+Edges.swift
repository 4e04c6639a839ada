extension CubedSphere {
    /// One of the four edges of a tile (or sub-tile).
    public enum Edge: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case east, north, west, south

        /// The outward unit step across the edge: east (1, 0), north (0, 1), west (−1, 0),
        /// south (0, −1).
        public var offset: Point<2> {
            switch self {
            case .east: [1, 0]
            case .north: [0, 1]
            case .west: [-1, 0]
            case .south: [0, -1]
            }
        }

        /// The edge across the tile.
        public var opposite: Edge { Edge(rawValue: (rawValue + 2) % 4)! }

        /// The edge this one becomes when the frame turns clockwise `turns` times (expressed in
        /// the turned frame): with one turn east becomes north.
        public func turned(by turns: Int) -> Edge {
            // Clockwise by one quarter maps a vector (u, v) to (−v, u) in the turned frame:
            // east (1, 0) → (0, 1) north, i.e. one step counter-clockwise in this enum's order.
            Edge(rawValue: (rawValue + ((turns % 4) + 4) % 4) % 4)!
        }

        public var description: String {
            switch self {
            case .east: "east"
            case .north: "north"
            case .west: "west"
            case .south: "south"
            }
        }
    }

    /// What lies across one tile edge: the neighbour tile, which of its edges is shared, and the
    /// clockwise quarter turns from this tile's axes to the neighbour's.
    public struct EdgeNeighbour: Sendable, Hashable, CustomStringConvertible {
        /// The tile across the edge.
        public let tile: Int
        /// The neighbour's edge that is shared (its side facing this tile).
        public let edge: Edge
        /// Clockwise quarter turns (0–3) from this tile's frame to the neighbour's.
        public let turns: Int

        public var description: String { "tile \(tile) \(edge) edge, \(turns) turns" }
    }

    /// The tile across `edge` of `tile`, in the FV3 convention (see ``CubedSphere``).
    ///
    /// Throws ``GeometryError/indexOutOfRange(name:index:range:)`` unless `tile` is in `0 ..< 6`.
    public static func neighbour(ofTile tile: Int, across edge: Edge) throws(GeometryError) -> EdgeNeighbour {
        try check(tile: tile)
        return edgeTable(tile, edge)
    }

    /// The FV3 table, for a tile known to be in range.
    @usableFromInline
    static func edgeTable(_ tile: Int, _ edge: Edge) -> EdgeNeighbour {
        func wrap(_ t: Int) -> Int { (t + 6) % 6 }
        if tile % 2 == 0 {
            switch edge {
            case .west: return EdgeNeighbour(tile: wrap(tile - 2), edge: .north, turns: 1)
            case .north: return EdgeNeighbour(tile: wrap(tile + 2), edge: .west, turns: 3)
            case .east: return EdgeNeighbour(tile: wrap(tile + 1), edge: .west, turns: 0)
            case .south: return EdgeNeighbour(tile: wrap(tile - 1), edge: .north, turns: 0)
            }
        } else {
            switch edge {
            case .east: return EdgeNeighbour(tile: wrap(tile + 2), edge: .south, turns: 1)
            case .south: return EdgeNeighbour(tile: wrap(tile - 2), edge: .east, turns: 3)
            case .west: return EdgeNeighbour(tile: wrap(tile - 1), edge: .east, turns: 0)
            case .north: return EdgeNeighbour(tile: wrap(tile + 1), edge: .south, turns: 0)
            }
        }
    }

    /// Turns a vector's components from one tile's frame into the frame of a tile whose axes
    /// are turned clockwise `turns` quarter turns from it: with one turn `(u, v)` becomes
    /// `(−v, u)`; with `4 − turns` (or `-turns`) it turns back.
    ///
    /// Use it to carry vector quantities (winds) across an edge: a vector at a cell located
    /// with `turns` has components `rotate(u, v, turns)` in the located tile's frame.
    ///
    /// Note: this turns the *frame*, not the data, so its sign is the opposite of the exchange's
    /// rule for `n` clockwise turns of a move (``HaloExchange``: n = 1 gives `(v, −u)`); the
    /// exchange's rule for `n` equals `rotate(u, v, clockwiseTurns: -n)`.
    @inlinable
    public static func rotate<T: SignedNumeric>(_ u: T, _ v: T, clockwiseTurns turns: Int) -> (T, T) {
        switch ((turns % 4) + 4) % 4 {
        case 0: (u, v)
        case 1: (-v, u)
        case 2: (-u, -v)
        default: (v, -u)
        }
    }
}
