/// The floor plan a file array was written from, kept in its attributes
/// (`patchwork_floor_plan_domain`, `_boxes`, `_owners`, `_ranks`, `_periodic`: the names a
/// checkpoint uses on its store), so a reader (`patchwork inspect`) sees which rank wrote which
/// box.
///
/// ```swift
/// try file.setFloorPlan(u.decomposition)
/// let plan: Decomposition<2>? = try file.floorPlan()
/// ```
///
/// Boxes are flattened as `lower + upper` per box. Cost: O(boxes) attribute bytes.
extension FileInterface {
    /// Records `plan` in the array's attributes.
    public func setFloorPlan<let N: Int>(_ plan: Decomposition<N>) throws(IOError) {
        try setAttribute("patchwork_floor_plan_domain", .ints((plan.domain.lower.array + plan.domain.upper.array).map(Int64.init)))
        try setAttribute("patchwork_floor_plan_boxes", .ints(plan.boxes.flatMap { ($0.lower.array + $0.upper.array).map(Int64.init) }))
        try setAttribute("patchwork_floor_plan_owners", .ints(plan.owners.map(Int64.init)))
        try setAttribute("patchwork_floor_plan_ranks", .int(Int64(plan.rankCount)))
        try setAttribute("patchwork_floor_plan_periodic", .ints(plan.periodic.map { $0 ? 1 : 0 }))
    }

    /// The recorded floor plan; nil when none is recorded or it is not `N`-dimensional; throws
    /// ``IOError/corrupt(path:reason:)`` when the attributes do not make a valid floor plan.
    public func floorPlan<let N: Int>() throws(IOError) -> Decomposition<N>? {
        func ints(_ name: String) throws(IOError) -> [Int]? {
            if case let .ints(v)? = try attribute(name) { return v.map { Int($0) } }
            return nil
        }
        guard let domain = try ints("patchwork_floor_plan_domain"), domain.count == 2 * N else { return nil }
        guard let flat = try ints("patchwork_floor_plan_boxes"), flat.count % (2 * N) == 0,
              let owners = try ints("patchwork_floor_plan_owners"), owners.count == flat.count / (2 * N),
              case let .int(ranks)? = try attribute("patchwork_floor_plan_ranks"),
              let periodic = try ints("patchwork_floor_plan_periodic"), periodic.count == N else {
            throw .corrupt(path: path, reason: "incomplete floor plan attributes")
        }
        func box(_ k: Int, _ v: [Int]) -> Box<N> {
            Box(uncheckedLower: Point(InlineArray { v[k + $0] }), upper: Point(InlineArray { v[k + N + $0] }))
        }
        do {
            return try Decomposition(domain: box(0, domain), boxes: stride(from: 0, to: flat.count, by: 2 * N).map { box($0, flat) },
                                     owners: owners, rankCount: Int(ranks), periodic: periodic.map { $0 != 0 })
        } catch {
            throw .corrupt(path: path, reason: "floor plan: \(error)")
        }
    }
}
