/// Which rank reads or writes which region of a file array (KeLPIO's file-array decomposition).
///
/// ```swift
/// let halves = try Decomposition(domain: file.domain, boxes: [top, bottom], owners: [0, 1], rankCount: 2)
/// let shared = try file.distributed(as: halves)
/// shared.regions(forRank: 1)                  // [bottom]
/// let plan = try IOPlan(array: u, file: shared)  // u's local patches ∩ this rank's regions
/// ```
///
/// The decomposition is in array coordinates (`[0, shape)`) and independent of the patch array's
/// floor plan: a rank moves the cells its patches hold inside its own file regions (pencils or
/// slabs suit a file's layout; patches suit the computation). Cost: O(boxes) per query.
extension FileArray {
    /// A copy of this file array with `decomposition` as its floor plan; throws
    /// ``IOError/invalidArgument(name:value:requirement:)`` unless the decomposition's domain is the
    /// array's domain `[0, shape)`.
    public func distributed(as decomposition: Decomposition<N>) throws(IOError) -> FileArray {
        guard decomposition.domain == domain else {
            throw .invalidArgument(name: "decomposition of \(interface.path)", value: decomposition.domain.description,
                                   requirement: "the array's domain \(domain)")
        }
        var copy = self
        copy.decomposition = decomposition
        return copy
    }

    /// The regions (array coordinates) that `rank` reads or writes: its boxes of the
    /// ``decomposition``, in patch order; the whole domain when there is none; empty for a rank
    /// that owns nothing.
    public func regions(forRank rank: Int) -> [Box<N>] {
        guard let decomposition else { return [domain] }
        return decomposition.patches(ownedBy: rank).map { decomposition.boxes[$0] }
    }
}
