/// One data motion of a plan (KeLP's motion): fill `destinationBox` of patch `destinationPatch`
/// from patch `sourcePatch`, reading for each destination index `p` the source index
/// `transform.apply(p)`.
///
/// Boxes are in the global index space of the destination patch (for a cubed sphere: its tile's).
public struct Move<let N: Int>: Sendable, Hashable {
    /// The global index of the patch read.
    public var sourcePatch: Int
    /// The global index of the patch written.
    public var destinationPatch: Int
    /// The cells written, in the destination's index space.
    public var destinationBox: Box<N>
    /// Where each destination cell reads from in the source's index space.
    public var transform: LatticeTransform<N>

    public init(sourcePatch: Int, destinationPatch: Int, destinationBox: Box<N>, transform: LatticeTransform<N> = .identity) {
        self.sourcePatch = sourcePatch
        self.destinationPatch = destinationPatch
        self.destinationBox = destinationBox
        self.transform = transform
    }

    /// Clockwise quarter turns between source and destination (vector components swap and flip).
    public var turns: Int { transform.turns }
}
