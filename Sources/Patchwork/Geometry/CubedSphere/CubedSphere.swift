/// The cubed-sphere topology of the FV3 dynamical core (as pace uses it): six square tiles of
/// `tileSize × tileSize` cells, each split by a square `layout` into sub-tiles, one rank per
/// sub-tile.
///
/// ```swift
/// let sphere = try CubedSphere(tileSize: 48, layout: [2, 2])       // 24 ranks
/// CubedSphere.neighbour(ofTile: 0, across: .north)                  // tile 2, its west edge, 3 turns
/// sphere.locate([-1, 5], onTile: 0)                                 // the same cell on tile 4
/// sphere.neighbour(ofRank: 0, toward: .northEast)                   // rank 3, 0 turns
/// ```
///
/// Coordinates: on every tile axis 0 is x (west → east) and axis 1 is y (south → north); cell
/// `(i, j)` is the cell `i` from the west edge and `j` from the south edge. Tiles are numbered
/// 0–5 and tile arithmetic is mod 6. The edge relations follow FV3:
///
/// | tile  | west            | east             | south            | north            |
/// |-------|-----------------|------------------|------------------|------------------|
/// | even  | tile−2, 1 turn  | tile+1, 0 turns  | tile−1, 0 turns  | tile+2, 3 turns  |
/// | odd   | tile−1, 0 turns | tile+2, 1 turn   | tile−2, 3 turns  | tile+1, 0 turns  |
///
/// A *turn* is a clockwise quarter turn, seen from outside the cube: across an edge with `k`
/// turns, the neighbour's x and y axes are this tile's axes turned clockwise `k` times (with one
/// turn the neighbour's x axis runs along this tile's −y and its y axis along +x). The
/// implementation of cell mapping unfolds the neighbour into the tile's plane; the tests check
/// both the table and the mapping against a model of six 3-D cube faces.
///
/// Every tile corner is a cube vertex, where only three tiles meet: a tile has no corner
/// neighbour, and a halo cell diagonally beyond a tile corner stands for no cell. Sub-tile
/// corners inside a tile edge do have a diagonal neighbour, across that edge, with that edge's
/// turns (the sum of the two edges' turns, the inner edge having none).
///
/// Ranks are numbered tile-major and, within a tile, x fastest (as pace's `TilePartitioner`):
/// `rank = tile · layout² + sy · layout + sx` for the sub-tile in column `sx`, row `sy`.
///
/// A `CubedSphere` is an immutable `Sendable` value; every query is O(1) and allocation-free
/// except those that return floor plans.
public struct CubedSphere: Sendable, Hashable {
    /// The number of tiles.
    public static let tileCount = 6

    /// The number of cells along each side of a tile.
    public let tileSize: Int
    /// The number of sub-tiles along each side of a tile (the layout is square).
    public let layout: Int

    /// Creates the topology for tiles of `tileSize × tileSize` cells split `layout[0] ×
    /// layout[1]` ways.
    ///
    /// Throws ``GeometryError/layoutDoesNotDivideTile(tileSize:layout:)`` when a layout entry
    /// does not divide `tileSize`, ``GeometryError/wrongDimension(expected:got:)`` when `layout`
    /// does not have 2 entries, and ``GeometryError/invalidValue(name:value:requirement:)`` when
    /// `tileSize` or a layout entry is below 1, or the layout is not square (sub-tile edges must
    /// meet across the rotated tile edges).
    public init(tileSize: Int, layout: [Int]) throws(GeometryError) {
        guard layout.count == 2 else { throw .wrongDimension(expected: 2, got: layout.count) }
        guard tileSize >= 1 else {
            throw .invalidValue(name: "tile size", value: tileSize, requirement: "at least 1")
        }
        for (axis, parts) in layout.enumerated() where parts < 1 {
            throw .invalidValue(name: "layout[\(axis)]", value: parts, requirement: "at least 1")
        }
        guard tileSize % layout[0] == 0, tileSize % layout[1] == 0 else {
            throw .layoutDoesNotDivideTile(tileSize: tileSize, layout: layout)
        }
        guard layout[0] == layout[1] else {
            throw .invalidValue(
                name: "layout[1]", value: layout[1],
                requirement: "equal to layout[0] = \(layout[0]) (cubed-sphere layouts are square)")
        }
        self.tileSize = tileSize
        self.layout = layout[0]
    }

    /// The number of cells along each side of a sub-tile.
    public var subTileSize: Int { tileSize / layout }

    /// The number of ranks (sub-tiles) per tile, `layout²`.
    public var ranksPerTile: Int { layout * layout }

    /// The number of ranks (sub-tiles) on the whole sphere, `6 · layout²`.
    public var rankCount: Int { Self.tileCount * ranksPerTile }

    /// The cells of one tile, `[0, 0)..<[tileSize, tileSize)`.
    public var tileBox: Box<2> { Box(uncheckedLower: .zero, upper: Point(repeating: tileSize)) }

    /// Throws unless `tile` is in `0 ..< 6`.
    static func check(tile: Int) throws(GeometryError) {
        guard (0..<tileCount).contains(tile) else {
            throw .indexOutOfRange(name: "tile", index: tile, range: 0..<tileCount)
        }
    }
}
