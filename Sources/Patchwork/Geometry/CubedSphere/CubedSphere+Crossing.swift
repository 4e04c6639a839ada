extension CubedSphere {
    /// Where a cell given in one tile's coordinates really lies: a tile, the cell in that tile's
    /// coordinates, and the clockwise quarter turns from the first tile's frame to that tile's.
    public struct CellLocation: Sendable, Hashable, CustomStringConvertible {
        /// The tile holding the cell.
        public let tile: Int
        /// The cell in `tile`'s coordinates (inside `[0, tileSize)²`).
        public let cell: Point<2>
        /// Clockwise quarter turns (0–3) from the frame the cell was given in to `tile`'s.
        public let turns: Int

        /// A vector's components, given in the original frame, in `tile`'s frame.
        @inlinable
        public func intoTileFrame<T: SignedNumeric>(_ u: T, _ v: T) -> (T, T) {
            CubedSphere.rotate(u, v, clockwiseTurns: turns)
        }

        /// A vector's components, given in `tile`'s frame, in the original frame (the rotation
        /// to apply to a vector copied from `tile` into the original tile's halo).
        @inlinable
        public func fromTileFrame<T: SignedNumeric>(_ u: T, _ v: T) -> (T, T) {
            CubedSphere.rotate(u, v, clockwiseTurns: -turns)
        }

        public var description: String { "tile \(tile) cell \(cell), \(turns) turns" }
    }

    /// Where a box given in one tile's coordinates lies: a tile, the box in its coordinates, and
    /// the turns (see ``CellLocation``). Cell `p` of the original box is cell
    /// `locate(p).cell` of `box`; with turns the box's axes are permuted and reversed.
    public struct BoxLocation: Sendable, Hashable, CustomStringConvertible {
        public let tile: Int
        public let box: Box<2>
        public let turns: Int

        public var description: String { "tile \(tile) box \(box), \(turns) turns" }
    }

    /// The square, in units of tiles, holding `cell`: (0, 0) is the tile itself, (1, 0) the
    /// square across its east edge, and so on.
    @inlinable
    func square(of cell: Point<2>) -> Point<2> {
        cell.floorDivided(by: Point(repeating: tileSize))
    }

    /// The cell that `cell`, given in `tile`'s coordinates, stands for.
    ///
    /// A cell inside the tile is itself (0 turns). A cell in the halo across one edge, at most
    /// `tileSize` cells beyond it, is the cell of the edge's neighbour tile found by unfolding
    /// that tile into this tile's plane: the halo cell `d` cells beyond the edge is the cell
    /// `d − 1` cells inside the neighbour, at the same place along the edge. A cell beyond a
    /// tile corner (where three tiles meet at a cube vertex), or farther than one tile away,
    /// stands for no single cell: nil.
    ///
    /// ```swift
    /// let sphere = try CubedSphere(tileSize: 4, layout: [1, 1])
    /// try sphere.locate([-1, 0], onTile: 0)   // tile 4, cell (3, 3), 1 turn
    /// ```
    ///
    /// Throws ``GeometryError/indexOutOfRange(name:index:range:)`` unless `tile` is in `0 ..< 6`.
    ///
    /// - Complexity: O(1).
    public func locate(_ cell: Point<2>, onTile tile: Int) throws(GeometryError) -> CellLocation? {
        try Self.check(tile: tile)
        return unfold(cell, tile)
    }

    /// ``locate(_:onTile:)`` for a tile known to be in range.
    @usableFromInline
    func unfold(_ cell: Point<2>, _ tile: Int) -> CellLocation? {
        let s = square(of: cell)
        let edge: Edge
        switch (s[0], s[1]) {
        case (0, 0): return CellLocation(tile: tile, cell: cell, turns: 0)
        case (1, 0): edge = .east
        case (-1, 0): edge = .west
        case (0, 1): edge = .north
        case (0, -1): edge = .south
        default: return nil
        }
        let across = Self.edgeTable(tile, edge)
        let local = cell - s * tileSize  // position inside the unfolded neighbour square
        return CellLocation(tile: across.tile, cell: turn(local, across.turns), turns: across.turns)
    }

    /// A cell of an unturned `tileSize²` square, in the coordinates of the same square whose
    /// axes are turned clockwise `turns` times (origin at the corner where both new axes start).
    @inlinable
    func turn(_ p: Point<2>, _ turns: Int) -> Point<2> {
        let last = tileSize - 1
        switch ((turns % 4) + 4) % 4 {
        case 0: return p
        case 1: return [last - p[1], p[0]]
        case 2: return [last - p[0], last - p[1]]
        default: return [p[1], last - p[0]]
        }
    }

    /// Where the cells of `box` (given in `tile`'s coordinates) lie, when they all lie in one
    /// tile: the tile itself or one edge neighbour. Nil when the box is empty, reaches beyond a
    /// tile corner, or spans more than one tile.
    ///
    /// Used to build halo exchanges: for a halo box of a sub-tile, the located box is where its
    /// values come from, and `turns` says how to rotate them (and vector components).
    ///
    /// Throws ``GeometryError/indexOutOfRange(name:index:range:)`` unless `tile` is in `0 ..< 6`.
    public func locate(_ box: Box<2>, onTile tile: Int) throws(GeometryError) -> BoxLocation? {
        try Self.check(tile: tile)
        if box.isEmpty { return nil }
        let last = box.upper - Point(repeating: 1)
        guard square(of: box.lower) == square(of: last),
            let a = unfold(box.lower, tile), let b = unfold(last, tile)
        else { return nil }
        let lower = Point.min(a.cell, b.cell)
        let upper = Point.max(a.cell, b.cell) + Point(repeating: 1)
        return BoxLocation(tile: a.tile, box: Box(uncheckedLower: lower, upper: upper), turns: a.turns)
    }
}
