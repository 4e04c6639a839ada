import Testing
@testable import Patchwork

/// An independent model of the cubed sphere: six faces of the cube [−1, 1]³, each with an origin
/// corner and x, y axes, placed as FV3 places its tiles (tiles 0, 1, 3, 4 around the equator,
/// 2 at the north pole, 5 at the south pole; x × y is the outward normal). Cells are located by
/// folding points over cube edges in 3-D, with no reference to the edge table.
struct CubeModel {
    typealias Vector = SIMD3<Int>
    struct Face {
        let origin: Vector, x: Vector, y: Vector
        var normal: Vector { cross(x, y) }
    }

    static func cross(_ a: Vector, _ b: Vector) -> Vector {
        Vector(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
    static func dot(_ a: Vector, _ b: Vector) -> Int { (a &* b).wrappedSum() }

    static let faces: [Face] = [
        Face(origin: [1, -1, -1], x: [0, 1, 0], y: [0, 0, 1]),
        Face(origin: [1, 1, -1], x: [-1, 0, 0], y: [0, 0, 1]),
        Face(origin: [1, 1, 1], x: [-1, 0, 0], y: [0, -1, 0]),
        Face(origin: [-1, 1, 1], x: [0, 0, -1], y: [0, -1, 0]),
        Face(origin: [-1, -1, 1], x: [0, 0, -1], y: [1, 0, 0]),
        Face(origin: [-1, -1, -1], x: [0, 1, 0], y: [1, 0, 0]),
    ]

    /// Tiles of n × n cells on a cube of side 2n: a cell is 2 units wide, so centres are integral.
    let n: Int

    /// The 3-D centre of cell `(i, j)` of `tile`, folded over the tile's edge when the cell lies
    /// beyond exactly one edge (nil beyond a corner).
    func point(tile: Int, cell: Point<2>) -> Vector? {
        let f = Self.faces[tile]
        var u = 2 * cell[0] + 1, v = 2 * cell[1] + 1
        var depth = 0
        if u > 2 * n { depth = u - 2 * n; u = 2 * n } else if u < 0 { depth = -u; u = 0 }
        if v > 2 * n || v < 0 {
            if depth != 0 { return nil }
            if v > 2 * n { depth = v - 2 * n; v = 2 * n } else { depth = -v; v = 0 }
        }
        return n &* f.origin &+ u &* f.x &+ v &* f.y &- depth &* f.normal
    }

    /// The tile and cell whose centre is `p` (nil when `p` is on no face's interior).
    func cell(at p: Vector) -> (tile: Int, cell: Point<2>)? {
        for (t, f) in Self.faces.enumerated() {
            let r = p &- n &* f.origin
            let a = Self.dot(r, f.x), b = Self.dot(r, f.y), c = Self.dot(r, f.normal)
            if c == 0, a > 0, a < 2 * n, b > 0, b < 2 * n { return (t, [(a - 1) / 2, (b - 1) / 2]) }
        }
        return nil
    }

    /// The turns from `tile`'s frame to that of the tile across `edge`, from the unfolded axes.
    func turns(tile: Int, edge: CubedSphere.Edge, neighbour: Int) -> Int? {
        let f = Self.faces[tile], g = Self.faces[neighbour]
        let outward: Vector = edge == .east ? f.x : edge == .west ? 0 &- f.x : edge == .north ? f.y : 0 &- f.y
        // Unfolding maps the inward normal −N onto the outward direction, keeps in-plane parts.
        func unfold(_ v: Vector) -> (Int, Int) {
            let flat = Self.dot(v, f.x) &* f.x &+ Self.dot(v, f.y) &* f.y &- Self.dot(v, f.normal) &* outward
            return (Self.dot(flat, f.x), Self.dot(flat, f.y))
        }
        let gx = unfold(g.x)
        // e_x turned clockwise k times: (1, 0), (0, −1), (−1, 0), (0, 1).
        let turned = [(1, 0), (0, -1), (-1, 0), (0, 1)]
        return turned.firstIndex { $0 == gx }
    }

    /// The neighbour across `edge` of `tile` and the neighbour's shared edge, from the 3-D cube.
    func edgeNeighbour(tile: Int, edge: CubedSphere.Edge) -> (tile: Int, edge: CubedSphere.Edge, turns: Int)? {
        let f = Self.faces[tile]
        // The middle of the edge (×2 to stay integral), then the other face holding it.
        let (u, v): (Int, Int) = switch edge {
        case .east: (2, 1)
        case .west: (0, 1)
        case .north: (1, 2)
        case .south: (1, 0)
        }
        let m = f.origin &+ u &* f.x &+ v &* f.y
        for (t, g) in Self.faces.enumerated() where t != tile {
            let r = m &- g.origin
            let a = Self.dot(r, g.x), b = Self.dot(r, g.y), c = Self.dot(r, g.normal)
            guard c == 0, (0...2).contains(a), (0...2).contains(b) else { continue }
            let e: CubedSphere.Edge = a == 0 ? .west : a == 2 ? .east : b == 0 ? .south : .north
            guard let k = turns(tile: tile, edge: edge, neighbour: t) else { return nil }
            return (t, e, k)
        }
        return nil
    }
}

@Suite struct CubedSphereTests {
    // MARK: The model itself

    @Test func modelFacesFormACube() {
        let normals = CubeModel.faces.map { $0.normal }
        #expect(Set(normals).count == 6)
        for f in CubeModel.faces {
            // Outward: the normal points the way of the face's centre; axes are unit and square.
            let centre = f.origin &+ f.x &+ f.y
            #expect(CubeModel.dot(centre, f.normal) == 1)
            #expect(CubeModel.dot(f.x, f.x) == 1 && CubeModel.dot(f.y, f.y) == 1 && CubeModel.dot(f.x, f.y) == 0)
        }
        // Tile 2 is the north pole, tile 5 the south pole (z up).
        #expect(normals[2] == [0, 0, 1] && normals[5] == [0, 0, -1])
    }

    // MARK: Edge table

    @Test func edgeTableMatchesTheFV3Convention() throws {
        func wrap(_ t: Int) -> Int { ((t % 6) + 6) % 6 }
        for tile in 0..<6 {
            let expected: [CubedSphere.Edge: (Int, Int)] = tile % 2 == 0
                ? [.west: (wrap(tile - 2), 1), .north: (wrap(tile + 2), 3), .east: (wrap(tile + 1), 0), .south: (wrap(tile - 1), 0)]
                : [.east: (wrap(tile + 2), 1), .south: (wrap(tile - 2), 3), .west: (wrap(tile - 1), 0), .north: (wrap(tile + 1), 0)]
            for edge in CubedSphere.Edge.allCases {
                let got = try CubedSphere.neighbour(ofTile: tile, across: edge)
                #expect(got.tile == expected[edge]!.0 && got.turns == expected[edge]!.1, "tile \(tile) \(edge): \(got)")
            }
        }
    }

    @Test func edgeTableMatchesTheCube() throws {
        let model = CubeModel(n: 1)
        for tile in 0..<6 {
            for edge in CubedSphere.Edge.allCases {
                let got = try CubedSphere.neighbour(ofTile: tile, across: edge)
                let cube = model.edgeNeighbour(tile: tile, edge: edge)
                #expect(cube?.tile == got.tile && cube?.edge == got.edge && cube?.turns == got.turns,
                        "tile \(tile) \(edge): table \(got), cube \(String(describing: cube))")
            }
        }
    }

    @Test func edgesAreSymmetric() throws {
        for tile in 0..<6 {
            for edge in CubedSphere.Edge.allCases {
                let there = try CubedSphere.neighbour(ofTile: tile, across: edge)
                let back = try CubedSphere.neighbour(ofTile: there.tile, across: there.edge)
                #expect(back.tile == tile && back.edge == edge)
                #expect((there.turns + back.turns) % 4 == 0)
                // The shared edge, seen in the neighbour's frame, is the opposite of ours turned.
                #expect(edge.opposite.turned(by: there.turns) == there.edge)
            }
        }
    }

    // MARK: Cell mapping

    /// Every halo cell across one edge, up to one tile deep, locates where the 3-D cube puts it;
    /// every cell beyond a corner locates nowhere.
    @Test func cellMappingMatchesTheCube() throws {
        for n in 1...7 {
            let sphere = try CubedSphere(tileSize: n, layout: [1, 1])
            let model = CubeModel(n: n)
            for tile in 0..<6 {
                for i in -n..<(2 * n) {
                    for j in -n..<(2 * n) {
                        let got = try sphere.locate([i, j], onTile: tile)
                        guard let p = model.point(tile: tile, cell: [i, j]) else {
                            #expect(got == nil, "n \(n) tile \(tile) corner cell (\(i), \(j))")
                            continue
                        }
                        let expected = model.cell(at: p)
                        #expect(got?.tile == expected?.tile && got?.cell == expected?.cell,
                                "n \(n) tile \(tile) cell (\(i), \(j)): got \(String(describing: got)), cube \(String(describing: expected))")
                        if let got, got.tile != tile {
                            let edge = CubedSphere.Edge.allCases.first { e in
                                let s = Point<2>([i, j]).floorDivided(by: [n, n])
                                return s == e.offset
                            }!
                            #expect(got.turns == model.turns(tile: tile, edge: edge, neighbour: got.tile))
                        } else {
                            #expect(got?.turns == 0)
                        }
                    }
                }
                // Farther than one tile: nowhere.
                #expect(try sphere.locate([2 * n, 0], onTile: tile) == nil)
                #expect(try sphere.locate([0, -n - 1], onTile: tile) == nil)
            }
        }
    }

    static func reflect(_ p: Point<2>, across edge: CubedSphere.Edge, n: Int) -> Point<2> {
        switch edge {
        case .east: [2 * n - 1 - p[0], p[1]]
        case .west: [-1 - p[0], p[1]]
        case .north: [p[0], 2 * n - 1 - p[1]]
        case .south: [p[0], -1 - p[1]]
        }
    }

    /// Crossing an edge and back: the halo cell `d` beyond an edge is the neighbour's cell
    /// `d − 1` inside; reflecting both across their edges swaps the roles, and the turns cancel.
    @Test func crossingAnEdgeAndBackReturnsTheSameCell() throws {
        for n in 1...6 {
            let sphere = try CubedSphere(tileSize: n, layout: [1, 1])
            for tile in 0..<6 {
                for edge in CubedSphere.Edge.allCases {
                    let across = try CubedSphere.neighbour(ofTile: tile, across: edge)
                    for along in 0..<n {
                        for depth in 1...n {
                            // The halo cell `depth` beyond `edge`, `along` cells along it.
                            let inside: Point<2> = switch edge {
                            case .east: [n - depth, along]
                            case .west: [depth - 1, along]
                            case .north: [along, n - depth]
                            case .south: [along, depth - 1]
                            }
                            let halo = Self.reflect(inside, across: edge, n: n)
                            let there = try #require(try sphere.locate(halo, onTile: tile))
                            #expect(there.tile == across.tile && there.turns == across.turns)
                            let backHalo = Self.reflect(there.cell, across: across.edge, n: n)
                            let back = try #require(try sphere.locate(backHalo, onTile: there.tile))
                            #expect(back.tile == tile && back.cell == inside, "n \(n) tile \(tile) \(edge) along \(along) depth \(depth)")
                            #expect((there.turns + back.turns) % 4 == 0)
                            // Vectors survive the round trip.
                            let (u, v) = there.intoTileFrame(3, -7)
                            #expect(back.intoTileFrame(u, v) == (3, -7))
                            #expect(there.fromTileFrame(u, v) == (3, -7))
                        }
                    }
                }
            }
        }
    }

    /// A vector's components follow the 3-D geometry: our x axis, unfolded into the neighbour's
    /// frame, has the components `rotate(1, 0)` gives.
    @Test func vectorRotationMatchesTheCube() throws {
        let model = CubeModel(n: 1)
        for tile in 0..<6 {
            let f = CubeModel.faces[tile]
            for edge in CubedSphere.Edge.allCases {
                let across = try CubedSphere.neighbour(ofTile: tile, across: edge)
                let g = CubeModel.faces[across.tile]
                // Carry our axes over the edge: in-plane directions along the edge stay; the
                // outward direction becomes the neighbour's inward normal... i.e. fold −N ↔ out.
                let outward: SIMD3<Int> = edge == .east ? f.x : edge == .west ? 0 &- f.x : edge == .north ? f.y : 0 &- f.y
                func fold(_ v: SIMD3<Int>) -> SIMD3<Int> {
                    // v is in our plane: its outward part turns into −N (into the cube).
                    let out = CubeModel.dot(v, outward)
                    return v &- out &* outward &- out &* f.normal
                }
                for (u, v) in [(1, 0), (0, 1), (2, -3)] {
                    let w = fold(u &* f.x &+ v &* f.y)
                    let expected = (CubeModel.dot(w, g.x), CubeModel.dot(w, g.y))
                    #expect(CubedSphere.rotate(u, v, clockwiseTurns: across.turns) == expected, "tile \(tile) \(edge)")
                }
                _ = model
            }
        }
    }

    @Test func boxesLocateCellByCell() throws {
        var rng = SeededGenerator(seed: 71)
        for _ in 0..<2000 {
            let n = Int.random(in: 1...6, using: &rng)
            let sphere = try CubedSphere(tileSize: n, layout: [1, 1])
            let tile = Int.random(in: 0..<6, using: &rng)
            let box: Box<2> = RandomGeometry.box(in: (-n)...(2 * n - 1), maxSide: n, using: &rng)
            let got = try sphere.locate(box, onTile: tile)
            let cells = CellOracle.cells(box)
            let located = try cells.map { try sphere.locate($0, onTile: tile) }
            let tiles = Set(located.map { $0?.tile })
            if cells.isEmpty || tiles.count != 1 || tiles.contains(nil) {
                #expect(got == nil, "box \(box) tile \(tile)")
                continue
            }
            let located2 = located.compactMap { $0 }
            let sameTurns = Set(located2.map { $0.turns }).count == 1
            #expect(sameTurns)
            let got2 = try #require(got, "box \(box) tile \(tile)")
            #expect(got2.tile == located2[0].tile && got2.turns == located2[0].turns)
            #expect(CellOracle.cells(got2.box) == Set(located2.map { $0.cell }))
        }
    }

    // MARK: Sub-tiles

    @Test func subTileNeighboursMatchTheCube() throws {
        for layout in 1...4 {
            for m in 1...3 {
                let n = layout * m
                let sphere = try CubedSphere(tileSize: n, layout: [layout, layout])
                let model = CubeModel(n: n)
                var missingCorners = 0
                for rank in 0..<sphere.rankCount {
                    let (tile, box) = try sphere.box(ofRank: rank)
                    let all = try sphere.neighbours(ofRank: rank)
                    for direction in CubedSphere.Direction.allCases {
                        let got = all[direction.rawValue]
                        #expect(got == (try sphere.neighbour(ofRank: rank, toward: direction)))
                        // Oracle: every cell just beyond that side or corner, through the cube.
                        let d = direction.offset
                        let xs = d[0] > 0 ? box.upper[0]...box.upper[0] : d[0] < 0 ? (box.lower[0] - 1)...(box.lower[0] - 1) : box.lower[0]...(box.upper[0] - 1)
                        let ys = d[1] > 0 ? box.upper[1]...box.upper[1] : d[1] < 0 ? (box.lower[1] - 1)...(box.lower[1] - 1) : box.lower[1]...(box.upper[1] - 1)
                        var owners = Set<Int?>()
                        for x in xs {
                            for y in ys {
                                if let p = model.point(tile: tile, cell: [x, y]), let c = model.cell(at: p) {
                                    let sub = c.cell.floorDivided(by: [m, m])
                                    owners.insert(c.tile * layout * layout + sub[1] * layout + sub[0])
                                } else {
                                    owners.insert(nil)
                                }
                            }
                        }
                        #expect(owners == [got?.rank], "layout \(layout) m \(m) rank \(rank) \(direction)")
                        guard let got else { missingCorners += 1; continue }
                        #expect(got.tile == got.rank / (layout * layout))
                        // And back again.
                        let back = try #require(try sphere.neighbour(ofRank: got.rank, toward: got.back))
                        #expect(back.rank == rank && back.back == direction && (back.turns + got.turns) % 4 == 0)
                        // A corner's turns are the sum of its two edges' (both paths around it).
                        if direction.isCorner {
                            for first in [Point<2>([d[0], 0]), Point<2>([0, d[1]])] {
                                let step1 = try #require(try sphere.neighbour(ofRank: rank, toward: CubedSphere.Direction(offset: first)!))
                                let rest = CubedSphere.Direction(offset: d - first)!.turned(by: step1.turns)
                                let step2 = try #require(try sphere.neighbour(ofRank: step1.rank, toward: rest))
                                #expect(step2.rank == got.rank, "layout \(layout) rank \(rank) \(direction) via \(first)")
                                #expect((step1.turns + step2.turns) % 4 == got.turns)
                            }
                        }
                    }
                }
                // Each of the cube's 8 vertices is a corner of 3 tiles: 24 sub-tile corners
                // without a diagonal neighbour.
                #expect(missingCorners == 24)
            }
        }
    }

    @Test func ranksAreNumberedTileMajorXFastest() throws {
        let sphere = try CubedSphere(tileSize: 12, layout: [3, 3])
        #expect(sphere.rankCount == 54 && sphere.ranksPerTile == 9 && sphere.subTileSize == 4)
        #expect(try sphere.rank(tile: 0, subTile: [1, 0]) == 1)
        #expect(try sphere.rank(tile: 2, subTile: [0, 1]) == 21)
        for rank in 0..<sphere.rankCount {
            let (tile, sub) = try sphere.position(ofRank: rank)
            #expect(try sphere.rank(tile: tile, subTile: sub) == rank)
        }
        #expect(try sphere.box(ofRank: 21).box == (try Box(lower: [0, 4], upper: [4, 8])))
        let e = try #require(try sphere.neighbour(ofRank: 2, toward: .east))
        #expect(e.rank == 9 && e.tile == 1 && e.turns == 0 && e.back == .west)
    }

    @Test func floorPlansCoverTheSphere() throws {
        for layout in 1...4 {
            let sphere = try CubedSphere(tileSize: 4 * layout, layout: [layout, layout])
            let plan = sphere.decomposition
            // Re-validated through the checking initialiser.
            let checked = try Decomposition(
                domain: plan.domain, boxes: plan.boxes, owners: plan.owners, rankCount: plan.rankCount, requireCovering: true)
            #expect(checked.identity == plan.identity)
            #expect(plan.count == sphere.rankCount)
            for rank in 0..<sphere.rankCount {
                let (tile, box) = try sphere.box(ofRank: rank)
                #expect(plan.boxes[rank] == (try Box<3>(lower: [tile, box.lower[0], box.lower[1]], upper: [tile + 1, box.upper[0], box.upper[1]])))
                #expect(plan.patches(ownedBy: rank) == [rank])
            }
            let tilePlan = sphere.tileDecomposition
            _ = try Decomposition(domain: tilePlan.domain, boxes: tilePlan.boxes, owners: tilePlan.owners, rankCount: tilePlan.rankCount, requireCovering: true)
            for k in 0..<sphere.ranksPerTile {
                #expect(tilePlan.boxes[k] == (try sphere.box(ofRank: k).box))
            }
        }
    }

    @Test func directionsAndEdgesTurnLikeVectors() {
        for turns in -4...8 {
            for d in CubedSphere.Direction.allCases {
                let o = d.offset
                let (u, v) = CubedSphere.rotate(o[0], o[1], clockwiseTurns: turns)
                #expect(d.turned(by: turns).offset == [u, v])
            }
            for e in CubedSphere.Edge.allCases {
                let (u, v) = CubedSphere.rotate(e.offset[0], e.offset[1], clockwiseTurns: turns)
                #expect(e.turned(by: turns).offset == [u, v])
                #expect(CubedSphere.Direction(e).offset == e.offset)
            }
        }
        #expect(CubedSphere.Direction(offset: [0, 0]) == nil)
    }

    @Test func haloSourcesMatchCellMapping() throws {
        for layout in 1...3 {
            for m in 1...3 {
                let sphere = try CubedSphere(tileSize: layout * m, layout: [layout, layout])
                for rank in 0..<sphere.rankCount {
                    let (tile, box) = try sphere.box(ofRank: rank)
                    for direction in CubedSphere.Direction.allCases {
                        for width in 1...m {
                            let neighbour = try sphere.neighbour(ofRank: rank, toward: direction)
                            let got = try sphere.haloSource(ofRank: rank, toward: direction, width: width)
                            #expect((got == nil) == (neighbour == nil))
                            guard let got else { continue }
                            #expect(got.rank == neighbour?.rank && got.source.turns == neighbour?.turns)
                            #expect(!got.halo.intersects(box) && box.grown(by: width).contains(got.halo))
                            #expect(got.halo.volume == (direction.isCorner ? width * width : width * m))
                            let (ownerTile, ownerBox) = try sphere.box(ofRank: got.rank)
                            #expect(got.source.tile == ownerTile && ownerBox.contains(got.source.box))
                            var mapped = Set<Point<2>>()
                            for cell in CellOracle.cells(got.halo) {
                                let at = try #require(try sphere.locate(cell, onTile: tile))
                                #expect(at.tile == ownerTile)
                                mapped.insert(at.cell)
                            }
                            #expect(mapped == CellOracle.cells(got.source.box))
                        }
                    }
                }
            }
        }
        let sphere = try CubedSphere(tileSize: 8, layout: [2, 2])
        let west = try #require(try sphere.haloSource(ofRank: 0, toward: .west, width: 2))
        #expect(west.halo == (try Box(lower: [-2, 0], upper: [0, 4])))
        #expect(west.rank == 19 && west.source.tile == 4 && west.source.turns == 1)
        #expect(west.source.box == (try Box(lower: [4, 6], upper: [8, 8])))
        #expect(throws: GeometryError.invalidValue(name: "halo width", value: 5, requirement: "in 1...4 (the sub-tile size)")) {
            try sphere.haloSource(ofRank: 0, toward: .west, width: 5)
        }
    }

    // MARK: Bad input

    @Test func badInputIsATypedError() throws {
        #expect(throws: GeometryError.layoutDoesNotDivideTile(tileSize: 10, layout: [3, 3])) {
            try CubedSphere(tileSize: 10, layout: [3, 3])
        }
        #expect(throws: GeometryError.layoutDoesNotDivideTile(tileSize: 12, layout: [5, 4])) {
            try CubedSphere(tileSize: 12, layout: [5, 4])
        }
        #expect(throws: GeometryError.invalidValue(name: "layout[1]", value: 4, requirement: "equal to layout[0] = 2 (cubed-sphere layouts are square)")) {
            try CubedSphere(tileSize: 8, layout: [2, 4])
        }
        #expect(throws: GeometryError.wrongDimension(expected: 2, got: 1)) { try CubedSphere(tileSize: 8, layout: [2]) }
        #expect(throws: GeometryError.invalidValue(name: "tile size", value: 0, requirement: "at least 1")) {
            try CubedSphere(tileSize: 0, layout: [1, 1])
        }
        #expect(throws: GeometryError.invalidValue(name: "layout[0]", value: -2, requirement: "at least 1")) {
            try CubedSphere(tileSize: 8, layout: [-2, 2])
        }
        let sphere = try CubedSphere(tileSize: 8, layout: [2, 2])
        #expect(throws: GeometryError.indexOutOfRange(name: "tile", index: 6, range: 0..<6)) {
            try CubedSphere.neighbour(ofTile: 6, across: .east)
        }
        #expect(throws: GeometryError.indexOutOfRange(name: "tile", index: -1, range: 0..<6)) {
            try sphere.locate([0, 0], onTile: -1)
        }
        #expect(throws: GeometryError.indexOutOfRange(name: "rank", index: 24, range: 0..<24)) {
            try sphere.neighbour(ofRank: 24, toward: .north)
        }
        #expect(throws: GeometryError.indexOutOfRange(name: "sub-tile index along axis 1", index: 2, range: 0..<2)) {
            try sphere.rank(tile: 0, subTile: [1, 2])
        }
    }
}
