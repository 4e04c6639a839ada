/// A two-component vector quantity (x and y, e.g. a wind) whose components share one floor plan
/// and ghost width and travel together through halo exchanges (which rotate them and flip signs
/// across cubed-sphere edges).
///
/// ```swift
/// let wind = try VectorPatchArray<Double, 2>(decomposition: plan, ghostWidth: 3,
///     staggering: (x: .faceCentred(axis: 1), y: .faceCentred(axis: 0)))   // D-grid winds
/// wind.x.fill(1); wind.y.fill(0)
/// try wind.value(at: [2, 2])          // (x: 1.0, y: 0.0)
/// ```
///
/// Each component may have its own ``Staggering``. Semantics as ``PatchArray`` (copies share
/// storage). Axis 0 of the components is the vector's x direction, axis 1 its y direction.
///
/// - Complexity: as two ``PatchArray``s.
public struct VectorPatchArray<Element: PatchElement, let N: Int>: Sendable {
    /// The x component.
    public let x: PatchArray<Element, N>
    /// The y component.
    public let y: PatchArray<Element, N>

    /// Allocates both components on `decomposition` for `rank`; throws as
    /// ``PatchArray/init(decomposition:ghostWidth:staggering:rank:initialValue:)``.
    public init(
        decomposition: Decomposition<N>, ghostWidth: Int = 0,
        staggering: (x: Staggering, y: Staggering) = (.cellCentred, .cellCentred),
        rank: Int = 0, initialValue: Element = .zero
    ) throws(ArrayError) {
        x = try PatchArray(decomposition: decomposition, ghostWidth: ghostWidth, staggering: staggering.x,
                           rank: rank, initialValue: initialValue)
        y = try PatchArray(decomposition: decomposition, ghostWidth: ghostWidth, staggering: staggering.y,
                           rank: rank, initialValue: initialValue)
    }

    /// Pairs two existing arrays; throws ``ArrayError/layoutMismatch(detail:)`` unless they share
    /// floor plan, ghost width and rank (their staggerings may differ).
    public init(x: PatchArray<Element, N>, y: PatchArray<Element, N>) throws(ArrayError) {
        guard x.ghostWidth == y.ghostWidth, x.rank == y.rank,
              x.decomposition.identity == y.decomposition.identity else {
            throw .layoutMismatch(detail: "vector components: ghost width \(x.ghostWidth) vs \(y.ghostWidth), rank \(x.rank) vs \(y.rank), same floor plan: \(x.decomposition.identity == y.decomposition.identity)")
        }
        self.x = x
        self.y = y
    }

    /// The floor plan both components share.
    public var decomposition: Decomposition<N> { x.decomposition }
    /// The ghost width both components share.
    public var ghostWidth: Int { x.ghostWidth }
    /// The components in order (x, y).
    public var components: [PatchArray<Element, N>] { [x, y] }

    /// The vector at `point` (each component from the patch owning it); throws as
    /// ``PatchArray/value(at:)``.
    public func value(at point: Point<N>) throws(ArrayError) -> (x: Element, y: Element) {
        (try x.value(at: point), try y.value(at: point))
    }

    /// Sets both components to `value` everywhere, ghosts included.
    public func fill(_ value: (x: Element, y: Element)) {
        x.fill(value.x)
        y.fill(value.y)
    }

    /// An independent copy of both components.
    public func clone() -> VectorPatchArray {
        try! VectorPatchArray(x: x.clone(), y: y.clone())  // same layout: cannot fail
    }
}
