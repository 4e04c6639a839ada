/// Where a quantity lives on the cells of a box: at cell centres, or on the faces normal to one
/// axis (a face-centred, "staggered" quantity such as a velocity component on a C or D grid).
///
/// ```swift
/// let cells = try Box<2>(lower: [0, 0], upper: [4, 3])
/// Staggering.cellCentred.dataBox(for: cells)            // [0, 0]..<[4, 3]
/// Staggering.faceCentred(axis: 0).dataBox(for: cells)   // [0, 0]..<[5, 3]
/// ```
///
/// A face-centred quantity has one more value than there are cells along its axis: its data box
/// is the cell box with `upper[axis] + 1`. Neighbouring patches therefore share the face on
/// their common boundary; both hold a value for it (the halo exchange keeps them equal).
///
/// - Complexity: O(N).
public enum Staggering: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One value per cell.
    case cellCentred
    /// One value per face normal to `axis`: the box is one larger along `axis`.
    case faceCentred(axis: Int)

    /// The box of values for the cells `cellBox`.
    @inlinable
    public func dataBox<let N: Int>(for cellBox: Box<N>) -> Box<N> {
        switch self {
        case .cellCentred: cellBox
        case .faceCentred(let axis): cellBox.grown(lower: .zero, upper: .unit(axis))
        }
    }

    /// Throws ``ArrayError/invalidAxis(axis:dimensions:)`` unless the staggering fits
    /// `dimensions` axes.
    public func validate(dimensions: Int) throws(ArrayError) {
        if case .faceCentred(let axis) = self, !(0..<dimensions).contains(axis) {
            throw .invalidAxis(axis: axis, dimensions: dimensions)
        }
    }

    public var description: String {
        switch self {
        case .cellCentred: "cell-centred"
        case .faceCentred(let axis): "face-centred along axis \(axis)"
        }
    }
}
