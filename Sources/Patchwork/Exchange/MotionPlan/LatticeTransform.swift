/// An exact map from a destination cell (or face) index to the source index holding the same
/// physical value: a number of clockwise quarter turns in the plane of axes 0 and 1, then a
/// translation. Axes 2 and above are never turned.
///
/// The identity is a plain copy; a periodic image is a translation by a multiple of the domain
/// extent; a cubed-sphere edge adds quarter turns. Turns follow the convention of pace and FV3:
/// one clockwise turn carries a vector `(u, v)` to `(v, −u)`, so a step along destination axis 0
/// is a step along source axis 1, and a step along destination axis 1 is a step back along source
/// axis 0.
///
/// The transform works in doubled coordinates (a cell centre `i` sits at `2i + 1`, the face below
/// it at `2i`), so one transform maps cell-centred and face-centred (staggered) quantities alike.
public struct LatticeTransform<let N: Int>: Sendable, Hashable {
    /// Clockwise quarter turns, 0 ..< 4.
    public let turns: Int
    /// The translation in doubled coordinates, applied after turning.
    @usableFromInline let doubledTranslation: Point<N>

    /// The transform that turns by `turns` clockwise quarter turns and then maps the destination
    /// cell `anchor` onto the source cell `image`.
    public init(turns: Int, mapping anchor: Point<N>, to image: Point<N>) {
        let t = ((turns % 4) + 4) % 4
        precondition(N >= 2 || t == 0, "a quarter turn needs at least 2 axes")
        self.turns = t
        let turned = Self.turn(anchor.map { 2 * $0 + 1 }, by: t)
        self.doubledTranslation = image.map { 2 * $0 + 1 } - turned
    }

    /// A pure translation: destination `p` reads source `p + offset`.
    public init(translation offset: Point<N>) {
        self.turns = 0
        self.doubledTranslation = offset * 2
    }

    /// The identity.
    public static var identity: LatticeTransform { LatticeTransform(translation: .zero) }

    /// Turns a doubled-coordinate vector by `t` clockwise quarter turns (dest → source).
    @usableFromInline
    static func turn(_ p: Point<N>, by t: Int) -> Point<N> {
        guard N >= 2 else { return p }
        var q = p
        switch t {
        case 1: q[0] = -p[1]; q[1] = p[0]
        case 2: q[0] = -p[0]; q[1] = -p[1]
        case 3: q[0] = p[1]; q[1] = -p[0]
        default: break
        }
        return q
    }

    /// The axis that destination axis `axis` runs along in the source (0 and 1 swap under odd turns).
    public func sourceAxis(of axis: Int) -> Int {
        (turns % 2 == 1 && axis < 2) ? 1 - axis : axis
    }

    /// The source index of destination cell `p` for a quantity face-centred along `staggeredAxis`
    /// (nil for cell-centred). The source quantity is face-centred along `sourceAxis(of:)` of it.
    public func apply(_ p: Point<N>, staggeredAxis: Int? = nil) -> Point<N> {
        var doubled = p.map { 2 * $0 + 1 }
        if let a = staggeredAxis { doubled[a] -= 1 }
        let source = Self.turn(doubled, by: turns) + doubledTranslation
        // Faces land on even coordinates, cells on odd ones: floor((x - 1) / 2) recovers both.
        return source.map { ($0 - ($0 & 1 == 0 ? 0 : 1)) >> 1 }
    }

    /// The source step of one step along each destination axis.
    public func sourceStep(along axis: Int) -> Point<N> {
        Self.turn(Point.unit(axis, 2), by: turns).map { $0 / 2 }
    }

    /// The transform's inverse (source → destination).
    public var inverse: LatticeTransform {
        let back = (4 - turns) % 4
        let anchor = apply(.zero)
        return LatticeTransform(turns: back, mapping: anchor, to: .zero)
    }
}
