extension BoxList {
    /// The 3ᴺ − 1 regions around the region at `width`, as ``Box/neighbourRegions(width:)`` gives
    /// them for a box: one per direction, in row-major order of the direction (from (−1, …, −1)
    /// to (1, …, 1), skipping (0, …, 0)).
    ///
    /// ```swift
    /// let l: BoxList<2> = [try Box(lower: [0, 0], upper: [4, 2]), try Box(lower: [0, 2], upper: [2, 4])]
    /// for (direction, cells) in try l.neighbourRegions(width: 1) { … }  // 8 regions
    /// ```
    ///
    /// A cell `p` outside the region lies in direction `d` when a cell of the region is reached
    /// from `p` by moving 1…`width` cells towards `−d` along every axis where `d` is not 0, and
    /// not at all along the others; each such cell goes to its direction of lowest codimension
    /// (faces before edges before corners, then row-major order). So the regions are pairwise
    /// disjoint, outside the region, together exactly the cells of `grown(by: width)` not in it,
    /// and for a single box they equal the box's neighbour regions. Throws
    /// ``GeometryError/invalidValue(name:value:requirement:)`` naming a negative width.
    ///
    /// - Complexity: 3ᴺ − 1 unions and subtractions of lists of about n boxes.
    public func neighbourRegions(width: Int) throws(GeometryError) -> [(direction: Point<N>, region: BoxList)] {
        var directions: [Point<N>] = []
        try Box<N>(uncheckedLower: .zero, upper: Point(repeating: 1)).forEachNeighbourRegion(width: width) {
            directions.append($0.direction)
        }
        var regions = [BoxList](repeating: BoxList(), count: directions.count)
        if width == 0 || boxes.isEmpty { return zip(directions, regions).map { ($0, $1) } }
        // Lowest codimension first; a stable sort keeps row-major order within one codimension.
        let codimensions = directions.map { d in (0..<N).filter { d[$0] != 0 }.count }
        let byCodimension = directions.indices.sorted { i, j in
            codimensions[i] != codimensions[j] ? codimensions[i] < codimensions[j] : i < j
        }
        var taken = self
        for k in byCodimension {
            let d = directions[k]
            // The cells p with p + δ in the region for δ = 1…width along −d: each box stretched.
            var low = Point<N>.zero, high = Point<N>.zero
            for a in 0..<N {
                switch d[a] {
                case -1: low[a] = width; high[a] = -1
                case 1: low[a] = -1; high[a] = width
                default: break
                }
            }
            var region = BoxList(boxes.map { $0.grown(lower: low, upper: high) })
            region.subtract(taken)
            taken.formUnion(region)
            regions[k] = region
        }
        return zip(directions, regions).map { ($0, $1) }
    }
}
