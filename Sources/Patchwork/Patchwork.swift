/// Patchwork: irregular block-structured scientific computing.
///
/// The library is organised in layers (see `DESIGN.md`): `Geometry` (points, boxes, box lists,
/// floor plans, the cubed sphere), `Arrays` (patches and patch arrays), `Exchange` (motion plans
/// and halo exchange), `Transport`, `Dataflow`, `IO`, `OutOfCore` and `CUDA`.
public enum Patchwork {
    /// The library version, printed by `patchwork --version`.
    public static let version = "0.1.0"
}
