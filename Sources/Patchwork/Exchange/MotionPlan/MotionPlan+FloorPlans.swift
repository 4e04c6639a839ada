extension MotionPlan {
    /// What a plan's builder knew of a floor plan: its patch count and a digest of its geometry
    /// (domain, boxes, periodicity; not the owners, so one plan serves every rank assignment of
    /// the same boxes). Executors compare it with their arrays' floor plans.
    public struct FloorPlanSignature: Sendable, Hashable, CustomStringConvertible {
        /// The number of patches.
        public let patchCount: Int
        /// A digest of the domain, the boxes and the periodicity, equal in every process.
        public let fingerprint: UInt64

        /// The signature of `floorPlan`.
        public init(_ floorPlan: Decomposition<N>) {
            var h = _StableHasher()
            h.combine(N)
            h.combine(floorPlan.domain.lower)
            h.combine(floorPlan.domain.upper)
            for p in floorPlan.periodic { h.combine(p ? 1 : 0) }
            h.combine(floorPlan.count)
            for box in floorPlan.boxes {
                h.combine(box.lower)
                h.combine(box.upper)
            }
            patchCount = floorPlan.count
            fingerprint = h.value
        }

        public var description: String { "\(patchCount) patches, fingerprint \(String(fingerprint, radix: 16))" }
    }

    /// Throws ``ExchangeError/planMismatch(role:plan:arrays:)`` when the plan was built for a
    /// floor plan other than `floorPlan` (hand-built plans, which name none, always pass).
    func check(_ role: String, builtFor expected: FloorPlanSignature?, against floorPlan: Decomposition<N>) throws(ExchangeError) {
        guard let expected else { return }
        let actual = FloorPlanSignature(floorPlan)
        guard actual == expected else { throw .planMismatch(role: role, plan: expected.description, arrays: actual.description) }
    }
}
