/// Accesses on one patch of a ``PatchArray``, by the patch's global index.
///
/// ```swift
/// for i in u.patchIndices {
///     try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { src, dst in
///         try Stencil.jacobi5(from: src, to: dst, over: dst.box)
///     }
/// }
/// ```
///
/// `box` defaults to the patch's data box; it may reach into the ghosts (up to the allocated box).
/// A patch that this rank does not hold is ``DataflowError/patchNotLocal(patch:rank:)``.
extension Access {
    @inlinable
    static func patch<E, let N: Int>(_ array: PatchArray<E, N>, _ index: Int) throws(DataflowError) -> Patch<E, N> {
        guard let k = array.patchIndices.firstIndex(of: index) else {
            throw .patchNotLocal(patch: index, rank: array.rank)
        }
        return array.patches[k]
    }

    /// Reads `box` (default: the data box, grown by `grownBy`) of patch `index` of `array`.
    @inlinable
    public static func read<E, let N: Int>(
        _ array: PatchArray<E, N>, patch index: Int, _ box: Box<N>? = nil, grownBy width: Int = 0
    ) throws(DataflowError) -> Access<Patch<E, N>, PatchView<E, N>> where Resource == Patch<E, N> {
        let p = try patch(array, index)
        return .read(p, box ?? p.box.grown(by: width))
    }

    /// Overwrites `box` (default: the data box) of patch `index` of `array`.
    @inlinable
    public static func write<E, let N: Int>(
        _ array: PatchArray<E, N>, patch index: Int, _ box: Box<N>? = nil
    ) throws(DataflowError) -> Access<Patch<E, N>, MutablePatchView<E, N>> where Resource == Patch<E, N> {
        let p = try patch(array, index)
        return .write(p, box ?? p.box)
    }

    /// Reads and updates `box` (default: the data box) of patch `index` of `array`.
    @inlinable
    public static func readWrite<E, let N: Int>(
        _ array: PatchArray<E, N>, patch index: Int, _ box: Box<N>? = nil
    ) throws(DataflowError) -> Access<Patch<E, N>, MutablePatchView<E, N>> where Resource == Patch<E, N> {
        let p = try patch(array, index)
        return .readWrite(p, box ?? p.box)
    }

    /// A commutative update of `box` (default: the data box) of patch `index` of `array`.
    @inlinable
    public static func accumulate<E, let N: Int>(
        _ array: PatchArray<E, N>, patch index: Int, _ box: Box<N>? = nil
    ) throws(DataflowError) -> Access<Patch<E, N>, MutablePatchView<E, N>> where Resource == Patch<E, N> {
        let p = try patch(array, index)
        return .accumulate(p, box ?? p.box)
    }
}
