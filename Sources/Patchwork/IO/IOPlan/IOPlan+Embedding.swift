extension IOPlan {
    /// The plan placing every local patch of `array` where `embedding` puts it: the embedding's
    /// box `i` belongs to global patch `i` (it must hold the patch's interior, or its allocated box
    /// when `includingGhosts`). Used to save ghost cells without overlap (checkpoints).
    public init<Element: PatchElement>(array: PatchArray<Element, N>, embedding: Embedding<N>,
                                       includingGhosts: Bool) {
        for (index, patch) in array.localPatches where index < embedding.boxes.count {
            let within = includingGhosts ? patch.allocatedBox : patch.box
            copyOnIntersection(patch: index, region: embedding.boxes[index], within: within, shift: embedding.shifts[index])
        }
    }

    /// The plan reading the interiors of `array`'s local patches (any floor plan) from a file laid
    /// out by regions: cells of `regions[j]` (domain coordinates) sit at `+ shifts[j]` in the file.
    /// Every local interior cell covered by some region is read once per region that holds it.
    public init<Element: PatchElement>(array: PatchArray<Element, N>, regions: [Box<N>], shifts: [Point<N>]) {
        for (index, patch) in array.localPatches {
            for (region, shift) in zip(regions, shifts) {
                copyOnIntersection(patch: index, region: region, within: patch.box, shift: shift)
            }
        }
    }
}
