/// Stencil kernels over patches: the weighted Jacobi sweeps of Laplace's equation, 5-point in
/// 2-D and 7-point in 3-D, written the way Patchwork kernels are written (rows from
/// ``Box/forEachRow(_:)``, unit-stride inner loops over raw pointers with precomputed strides).
///
/// ```swift
/// // dst = (sum of the 6 neighbours of src) / 6 over dst's interior; src's ghosts must be set
/// try Stencil.jacobi7(from: u, to: v)
/// ```
///
/// For every cell `p` of the swept box:
/// `dst[p] = centre · src[p] + neighbour · (src[p − e₀] … summed in the fixed order
/// −last, +last, −middle, +middle, −first, +first axis)`. The defaults (`centre` 0, `neighbour`
/// 1/4 or 1/6) give the Jacobi iteration for Laplace's equation. `src` and `dst` must not share
/// storage. Floating-point results are bit-identical to the C reference
/// (`Benchmarks/C/stencil7.c`), which sums in the same order.
///
/// - Complexity: O(cells); each cell reads 2·N + 1 values and writes one.
public enum Stencil {
    /// The 2-D 5-point sweep from `src` to `dst` over `box`; `src` must hold `box` grown by one
    /// and `dst` must hold `box`, else ``ArrayError/boxOutside(box:region:what:)``.
    @inlinable
    public static func jacobi5<E: PatchElement & BinaryFloatingPoint>(
        from src: PatchView<E, 2>, to dst: MutablePatchView<E, 2>, over box: Box<2>,
        centre: E = 0, neighbour: E = 0.25
    ) throws(ArrayError) {
        if box.isEmpty { return }
        try checkRegions(source: src.allocatedBox, destination: dst.allocatedBox, box: box)
        // Hoisted row pointers: one add per row instead of an O(N) offset computation.
        let sy = src.strides[0], dy = dst.strides[0]
        let ny = box.upper[0] &- box.lower[0], count = box.upper[1] &- box.lower[1]
        var s = src.pointer(at: box.lower)
        var d = dst.pointer(at: box.lower)
        for _ in 0..<ny {
            row5(s, d, count, sy, centre, neighbour)
            s += sy
            d += dy
        }
    }

    /// The 3-D 7-point sweep from `src` to `dst` over `box`; `src` must hold `box` grown by one
    /// and `dst` must hold `box`, else ``ArrayError/boxOutside(box:region:what:)``.
    @inlinable
    public static func jacobi7<E: PatchElement & BinaryFloatingPoint>(
        from src: PatchView<E, 3>, to dst: MutablePatchView<E, 3>, over box: Box<3>,
        centre: E = 0, neighbour: E = 1.0 / 6.0
    ) throws(ArrayError) {
        if box.isEmpty { return }
        try checkRegions(source: src.allocatedBox, destination: dst.allocatedBox, box: box)
        // Hoisted plane and row pointers: one add per row instead of an O(N) offset computation.
        let sy = src.strides[1], sz = src.strides[0], dy = dst.strides[1], dz = dst.strides[0]
        let nz = box.upper[0] &- box.lower[0], ny = box.upper[1] &- box.lower[1]
        let count = box.upper[2] &- box.lower[2]
        var sPlane = src.pointer(at: box.lower)
        var dPlane = dst.pointer(at: box.lower)
        for _ in 0..<nz {
            var s = sPlane, d = dPlane
            for _ in 0..<ny {
                row7(s, d, count, sy, sz, centre, neighbour)
                s += sy
                d += dy
            }
            sPlane += sz
            dPlane += dz
        }
    }

    /// The 2-D sweep from patch `src` to patch `dst` over `dst`'s data box (default); throws
    /// ``ArrayError/layoutMismatch(detail:)`` when they share storage and
    /// ``ArrayError/boxOutside(box:region:what:)`` when `src` lacks the ghost ring.
    @inlinable
    public static func jacobi5<E: PatchElement & BinaryFloatingPoint>(
        from src: Patch<E, 2>, to dst: Patch<E, 2>, over box: Box<2>? = nil,
        centre: E = 0, neighbour: E = 0.25
    ) throws(ArrayError) {
        try checkDistinct(src.sharesStorage(with: dst))
        try src.withView { (s: PatchView<E, 2>) throws(ArrayError) in
            try dst.withMutableView { (d: MutablePatchView<E, 2>) throws(ArrayError) in
                try jacobi5(from: s, to: d, over: box ?? dst.box, centre: centre, neighbour: neighbour)
            }
        }
    }

    /// The 3-D sweep from patch `src` to patch `dst` over `dst`'s data box (default); throws as
    /// the 2-D one.
    @inlinable
    public static func jacobi7<E: PatchElement & BinaryFloatingPoint>(
        from src: Patch<E, 3>, to dst: Patch<E, 3>, over box: Box<3>? = nil,
        centre: E = 0, neighbour: E = 1.0 / 6.0
    ) throws(ArrayError) {
        try checkDistinct(src.sharesStorage(with: dst))
        try src.withView { (s: PatchView<E, 3>) throws(ArrayError) in
            try dst.withMutableView { (d: MutablePatchView<E, 3>) throws(ArrayError) in
                try jacobi7(from: s, to: d, over: box ?? dst.box, centre: centre, neighbour: neighbour)
            }
        }
    }

    /// The 2-D sweep over every local patch of two arrays of the same layout; `src`'s ghosts
    /// must have been filled (by a halo exchange). Throws ``ArrayError/layoutMismatch(detail:)``.
    @inlinable
    public static func jacobi5<E: PatchElement & BinaryFloatingPoint>(
        from src: PatchArray<E, 2>, to dst: PatchArray<E, 2>, centre: E = 0, neighbour: E = 0.25
    ) throws(ArrayError) {
        try src.checkSameLayout(as: dst)
        for (s, d) in zip(src.patches, dst.patches) {
            try jacobi5(from: s, to: d, centre: centre, neighbour: neighbour)
        }
    }

    /// The 3-D sweep over every local patch of two arrays of the same layout.
    @inlinable
    public static func jacobi7<E: PatchElement & BinaryFloatingPoint>(
        from src: PatchArray<E, 3>, to dst: PatchArray<E, 3>, centre: E = 0, neighbour: E = 1.0 / 6.0
    ) throws(ArrayError) {
        try src.checkSameLayout(as: dst)
        for (s, d) in zip(src.patches, dst.patches) {
            try jacobi7(from: s, to: d, centre: centre, neighbour: neighbour)
        }
    }

    /// One row of the 5-point sweep: `count` cells, unit stride (vectorised).
    @inlinable @inline(__always)
    internal static func row5<E: PatchElement & BinaryFloatingPoint>(
        _ s: UnsafePointer<E>, _ d: UnsafeMutablePointer<E>, _ count: Int, _ sy: Int, _ centre: E, _ neighbour: E
    ) {
        for i in 0..<count {
            d[i] = centre * s[i] + neighbour * (s[i &- 1] + s[i &+ 1] + s[i &- sy] + s[i &+ sy])
        }
    }

    /// One row of the 7-point sweep: `count` cells, unit stride (vectorised).
    @inlinable @inline(__always)
    internal static func row7<E: PatchElement & BinaryFloatingPoint>(
        _ s: UnsafePointer<E>, _ d: UnsafeMutablePointer<E>, _ count: Int, _ sy: Int, _ sz: Int, _ centre: E, _ neighbour: E
    ) {
        for i in 0..<count {
            d[i] = centre * s[i]
                + neighbour * (s[i &- 1] + s[i &+ 1] + s[i &- sy] + s[i &+ sy] + s[i &- sz] + s[i &+ sz])
        }
    }

    @usableFromInline
    internal static func checkRegions<let N: Int>(source: Box<N>, destination: Box<N>, box: Box<N>) throws(ArrayError) {
        let needed = box.grown(by: 1)
        guard source.contains(needed) else {
            throw .boxOutside(box: needed.description, region: source.description, what: "source allocation (a stencil reads one ghost cell)")
        }
        guard destination.contains(box) else {
            throw .boxOutside(box: box.description, region: destination.description, what: "destination allocation")
        }
    }

    @usableFromInline
    internal static func checkDistinct(_ shared: Bool) throws(ArrayError) {
        if shared { throw .layoutMismatch(detail: "a Jacobi sweep needs distinct source and destination storage") }
    }
}
