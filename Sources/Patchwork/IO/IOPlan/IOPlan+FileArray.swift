extension IOPlan {
    /// The plan between the local patches of `array` (rank `array.rank`) and the regions of
    /// `file` that this rank reads or writes (``FileArray/regions(forRank:)``): each interior (or,
    /// `includingGhosts`, allocated box) intersected with each region. The data domain's lower
    /// corner goes to the file origin. Throws ``IOError/invalidArgument(name:value:requirement:)``
    /// unless the file's shape is the data domain's.
    ///
    /// ```swift
    /// let plan = try IOPlan(array: u, file: file.distributed(as: slabs))
    /// try IOMover(plan: plan, array: u, file: file).write()
    /// ```
    public init<Element: PatchElement>(array: PatchArray<Element, N>, file: FileArray<Element, N>,
                                       includingGhosts: Bool = false) throws(IOError) {
        guard file.shape == array.dataDomain.shape else {
            throw .invalidArgument(name: "shape of \(file.interface.path)", value: "\(file.shape.array)",
                                   requirement: "the data domain's shape \(array.dataDomain.shape.array)")
        }
        let lower = array.dataDomain.lower
        self.init(array: array, fileRegions: file.regions(forRank: array.rank).map { $0.shifted(by: lower) },
                  includingGhosts: includingGhosts)
    }
}
