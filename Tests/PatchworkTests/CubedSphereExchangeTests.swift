import Testing
@testable import Patchwork

/// Cubed-sphere ghost fills checked against the topology's own point mapping
/// (`CubedSphere.locate`), with the vector rule applied through `fromTileFrame`, computed
/// independently of the motion plan.
@Suite struct CubedSphereExchangeTests {
    static let sentinel = -1.0

    static func value(tile: Int, cell: Point<2>, level: Int, component: Int) -> Double {
        Double(component * 10_000_000 + tile * 1_000_000 + (cell[0] + 10) * 10_000 + (cell[1] + 10) * 100 + level)
    }

    /// Tile, tile-local cell and level of a point of the side-by-side floor plan, given the tile.
    static func local<let N: Int>(_ p: Point<N>, tile: Int, n: Int) -> (Point<2>, Int) {
        ([p[0] - tile * n, p[1]], N == 3 ? p[2] : 0)
    }

    static func fill<let N: Int>(_ a: PatchArray<Double, N>, sphere: CubedSphere, component: Int) throws {
        for (index, patch) in a.localPatches {
            let tile = try sphere.box(ofRank: index).tile
            try patch.fill(in: patch.allocatedBox) { p in
                guard patch.box.contains(p) else { return sentinel }
                let (cell, level) = local(p, tile: tile, n: sphere.tileSize)
                return value(tile: tile, cell: cell, level: level, component: component)
            }
        }
    }

    /// Expected values of one allocated point of patch `index`: (scalar/x, y).
    static func expected<let N: Int>(
        _ p: Point<N>, patch index: Int, box: Box<N>, width: Int, corners: Bool, sphere: CubedSphere
    ) throws -> (Double, Double)? {
        let tile = try sphere.box(ofRank: index).tile
        let (cell, level) = local(p, tile: tile, n: sphere.tileSize)
        if box.contains(p) {
            return (value(tile: tile, cell: cell, level: level, component: 0), value(tile: tile, cell: cell, level: level, component: 1))
        }
        // Levels have no neighbours: ghost levels are never written.
        if N == 3 && (p[2] < box.lower[2] || p[2] >= box.upper[2]) { return nil }
        var outside = 0
        for a in 0..<2 where p[a] < box.lower[a] || p[a] >= box.upper[a] { outside += 1 }
        guard outside == 1 || (corners && outside == 2),
            let at = try sphere.locate(cell, onTile: tile)
        else { return nil }
        let u = value(tile: at.tile, cell: at.cell, level: level, component: 0)
        let v = value(tile: at.tile, cell: at.cell, level: level, component: 1)
        return at.fromTileFrame(u, v)
    }

    func check<let N: Int>(
        _ s: PatchArray<Double, N>, _ w: VectorPatchArray<Double, N>, sphere: CubedSphere, width: Int, corners: Bool,
        accumulate: Bool = false
    ) throws {
        var mismatches = 0, checked = 0
        for (index, patch) in s.localPatches {
            let px = try w.x.patch(index), py = try w.y.patch(index)
            for p in patch.allocatedBox.cells {
                if var (u, v) = try Self.expected(p, patch: index, box: patch.box, width: width, corners: corners, sphere: sphere) {
                    // Accumulate mode adds into the sentinel the ghosts held.
                    let added = accumulate && !patch.box.contains(p) ? Self.sentinel : 0
                    u += added
                    v += added
                    // The scalar is component 0 read without rotation.
                    let tile = try sphere.box(ofRank: index).tile
                    let (cell, level) = Self.local(p, tile: tile, n: sphere.tileSize)
                    let scalar = patch.box.contains(p)
                        ? Self.value(tile: tile, cell: cell, level: level, component: 0)
                        : try sphere.locate(cell, onTile: tile).map { Self.value(tile: $0.tile, cell: $0.cell, level: level, component: 0) }!
                    if patch[p] != scalar + added { mismatches += 1 }
                    if px[p] != u || py[p] != v { mismatches += 1 }
                    checked += 1
                } else if patch[p] != Self.sentinel || px[p] != Self.sentinel || py[p] != Self.sentinel {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(checked > 0)
    }

    func run<let N: Int>(_: Point<N>.Type, tileSize: Int, layout: Int, width: Int, corners: Bool, accumulate: Bool = false) throws {
        let sphere = try CubedSphere(tileSize: tileSize, layout: [layout, layout])
        let plan: Decomposition<N> = try sphere.floorPlan(levels: 2, ranks: 1)
        let s = try PatchArray<Double, N>(decomposition: plan, ghostWidth: width)
        let w = try VectorPatchArray(x: PatchArray<Double, N>(decomposition: plan, ghostWidth: width),
                                     y: PatchArray<Double, N>(decomposition: plan, ghostWidth: width))
        try Self.fill(s, sphere: sphere, component: 0)
        try Self.fill(w.x, sphere: sphere, component: 0)
        try Self.fill(w.y, sphere: sphere, component: 1)
        let motion = try MotionPlan<N>.cubedSphereHaloFill(sphere: sphere, levels: 2, width: width, corners: corners)
        let exchange = try HaloExchange(plan: motion, quantities: [.scalar(s), .vector(w)], mode: accumulate ? .accumulate : .copy)
        try exchange.run()
        try check(s, w, sphere: sphere, width: width, corners: corners, accumulate: accumulate)
    }

    @Test(arguments: [(4, 1, 1), (6, 1, 3), (8, 2, 2), (6, 3, 2), (9, 3, 3), (8, 1, 4)])
    func sphereFill3D(tileSize: Int, layout: Int, width: Int) throws {
        try run(Point<3>.self, tileSize: tileSize, layout: layout, width: width, corners: true)
        try run(Point<3>.self, tileSize: tileSize, layout: layout, width: width, corners: false)
    }

    /// Accumulate mode adds the turned, sign-flipped vector into the ghosts across every edge.
    @Test func accumulateVectorsAcrossTurnedEdges() throws {
        try run(Point<3>.self, tileSize: 6, layout: 1, width: 2, corners: false, accumulate: true)
        try run(Point<2>.self, tileSize: 8, layout: 2, width: 3, corners: true, accumulate: true)
    }

    @Test func sphereFill2D() throws {
        try run(Point<2>.self, tileSize: 6, layout: 2, width: 2, corners: true)
        try run(Point<2>.self, tileSize: 5, layout: 1, width: 1, corners: false)
    }

    @Test func planShape() throws {
        let sphere = try CubedSphere(tileSize: 48, layout: [1, 1])
        let edges = try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, levels: 79, width: 3, corners: false)
        #expect(edges.moves.count == 24)                       // 4 edges × 6 tiles
        #expect(edges.volume == 24 * 3 * 48 * 79)
        #expect(edges.moves.filter { $0.turns != 0 }.count == 12)  // half of the edges turn
        #expect(throws: GeometryError.self) { try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, width: 49) }
        // A plan for 79 levels run on arrays of 10 levels, or on another sphere.
        let tenLevels: Decomposition<3> = try sphere.floorPlan(levels: 10)
        let u = try PatchArray<Double, 3>(decomposition: tenLevels, ghostWidth: 3)
        let full: Decomposition<3> = try sphere.floorPlan(levels: 79)
        #expect(throws: ExchangeError.planMismatch(
            role: "floor plan", plan: MotionPlan<3>.FloorPlanSignature(full).description,
            arrays: MotionPlan<3>.FloorPlanSignature(tenLevels).description)) {
            try HaloExchange(plan: edges, quantities: [.scalar(u)])
        }
        let small: Decomposition<3> = try CubedSphere(tileSize: 12, layout: [1, 1]).floorPlan(levels: 79)
        #expect(throws: ExchangeError.self) {
            try HaloExchange(plan: edges, quantities: [.scalar(PatchArray<Double, 3>(decomposition: small, ghostWidth: 3))])
        }
    }
}

extension CubedSphereExchangeTests {
    /// pace's layout: a horizontal halo and no vertical one; the fill equals the uniform-ghost fill.
    @Test func noVerticalHaloMatchesUniformGhosts() throws {
        let sphere = try CubedSphere(tileSize: 6, layout: [1, 1])
        let plan: Decomposition<3> = try sphere.floorPlan(levels: 4, ranks: 1)
        let motion = try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, levels: 4, width: 2)
        let flat = try PatchArray<Double, 3>(decomposition: plan, ghostWidths: [2, 2, 0], initialValue: -1)
        let uniform = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 2, initialValue: -1)
        #expect(flat.patches[0].allocatedBox == Box(uncheckedLower: [-2, -2, 0], upper: [8, 8, 4]))
        for a in [flat, uniform] { a.fill { p in Double(p[0] * 10_000 + p[1] * 100 + p[2]) } }
        try HaloExchange(plan: motion, quantities: [.scalar(flat)]).run()
        try HaloExchange(plan: motion, quantities: [.scalar(uniform)]).run()
        var mismatches = 0
        for (index, patch) in flat.localPatches {
            let other = try uniform.patch(index)
            for p in patch.allocatedBox.cells where patch[p] != other[p] { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}

extension CubedSphereExchangeTests {
    /// A D-grid wind on the sphere: u on the faces normal to y, v on the faces normal to x. A face
    /// between two halo cells that lie in one neighbour tile must hold that tile's face between
    /// the same two cells (located by the topology), with the vector rule applied.
    @Test(arguments: [(6, 1, 2), (8, 2, 2)])
    func staggeredVectorsCrossTurnedEdges(tileSize: Int, layout: Int, width: Int) throws {
        let sphere = try CubedSphere(tileSize: tileSize, layout: [layout, layout])
        let plan: Decomposition<2> = try sphere.floorPlan(ranks: 1)
        let wind = try VectorPatchArray<Double, 2>(
            decomposition: plan, ghostWidth: width, staggering: (x: .faceCentred(axis: 1), y: .faceCentred(axis: 0)),
            initialValue: Self.sentinel)
        // A face value names its tile, its face index (lower face of `cell` along `axis`) and component.
        func value(tile: Int, cell: Point<2>, axis: Int, component: Int) -> Double {
            Double(component * 10_000_000 + tile * 1_000_000 + axis * 100_000 + (cell[0] + 10) * 100 + (cell[1] + 10))
        }
        for (component, array, axis) in [(0, wind.x, 1), (1, wind.y, 0)] {
            for (index, patch) in array.localPatches {
                let tile = try sphere.box(ofRank: index).tile
                try patch.fill(in: patch.box) { p in
                    value(tile: tile, cell: [p[0] - tile * tileSize, p[1]], axis: axis, component: component)
                }
            }
        }
        let motion = try MotionPlan<2>.cubedSphereHaloFill(sphere: sphere, width: width, corners: false)
        try HaloExchange(plan: motion, quantities: [.vector(wind)]).run()

        var checked = 0, mismatches = 0
        for (index, patchX) in wind.x.localPatches {
            let patchY = try wind.y.patch(index)
            let tile = try sphere.box(ofRank: index).tile
            let cells = plan.boxes[index]
            // Destination faces: u (x) lives on faces normal to axis 1, v (y) on faces normal to axis 0.
            for (destinationAxis, patch) in [(1, patchX), (0, patchY)] {
                for p in patch.allocatedBox.cells {
                    let below = p - Point.unit(destinationAxis), above = p
                    // Both cells beside the face must be edge-halo cells (not corners) of this patch.
                    func isEdgeHalo(_ c: Point<2>) -> Bool {
                        var outside = 0
                        for a in 0..<2 where c[a] < cells.lower[a] || c[a] >= cells.upper[a] { outside += 1 }
                        return outside == 1 && cells.grown(by: width).contains(c)
                    }
                    guard isEdgeHalo(below), isEdgeHalo(above),
                        let a = try sphere.locate([below[0] - tile * tileSize, below[1]], onTile: tile),
                        let b = try sphere.locate([above[0] - tile * tileSize, above[1]], onTile: tile),
                        a.tile == b.tile, a.tile != tile
                    else { continue }
                    // The same face in the neighbour: between a.cell and b.cell, along the axis they differ on.
                    let sourceAxis = a.cell[0] != b.cell[0] ? 0 : 1
                    let face = Point.max(a.cell, b.cell)
                    // In the neighbour, the face normal to y holds u and the face normal to x holds v;
                    // the other component is not defined there (0 in the rotation).
                    let u = sourceAxis == 1 ? value(tile: a.tile, cell: face, axis: 1, component: 0) : 0
                    let v = sourceAxis == 0 ? value(tile: a.tile, cell: face, axis: 0, component: 1) : 0
                    let (eu, ev) = a.fromTileFrame(u, v)
                    let expected = destinationAxis == 1 ? eu : ev
                    checked += 1
                    if patch[p] != expected { mismatches += 1 }
                }
            }
        }
        #expect(checked > 0)
        #expect(mismatches == 0)
    }
}
