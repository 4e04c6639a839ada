/// A kernel type that declares its accesses once, for its signature, so call sites pass only the
/// resources (Dagger's "dependencies ahead of time for a dispatch signature").
///
/// ```swift
/// struct Smooth: Kernel {
///     static func accesses(_ a: (src: Grid, dst: Grid, box: Box<2>)) -> AccessList<(Grid.ReadView, Grid.WriteView)> {
///         AccessList(.read(a.src, a.box.grown(by: 1)), .write(a.dst, a.box))
///     }
///     func run(_ views: (Grid.ReadView, Grid.WriteView)) { let (src, dst) = views; ... }
/// }
/// try graph.submit(Smooth(), (src: u, dst: v, box: interior))
/// ```
///
/// Semantics are those of a task submitted with the same accesses and a closure calling ``run(_:)``.
public protocol Kernel: Sendable {
    /// What a call site passes: resources (and regions, when the kernel needs them).
    associatedtype Arguments
    /// The views ``run(_:)`` receives (a tuple, or one view for a single access).
    associatedtype Views
    /// The name of the kernel's tasks in traces and errors.
    static var name: String { get }
    /// The kernel's accesses for these arguments.
    static func accesses(_ arguments: Arguments) -> AccessList<Views>
    /// The work, given views that follow from the accesses.
    func run(_ views: Views) throws
}

extension Kernel {
    public static var name: String { "\(Self.self)" }
}
