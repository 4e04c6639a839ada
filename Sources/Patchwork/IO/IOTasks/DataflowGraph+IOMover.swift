/// Which way an I/O task moves data: out to the file (the task reads the patch) or in from it
/// (the task writes the patch).
///
/// ```swift
/// try graph.submit(mover, direction: .write)       // patches → file, as tasks
/// try graph.submit(mover, direction: .read)        // file → patches, as tasks
/// ```
public enum IODirection: Sendable, Equatable {
    /// Patches to file: each task reads the boxes it writes out.
    case write
    /// File to patches: each task writes the boxes it reads in.
    case read
}

extension DataflowGraph {
    /// Submits one run of `mover` as dataflow tasks: one task per backend write (a move, or the
    /// moves sharing one file chunk when the mover groups by chunk) or per move read. Writing out
    /// reads the moved boxes of the patches; reading in writes them. Every task also
    /// takes the file's token (a `readWrite` of a one-cell resource keyed by the file object),
    /// since file backends are not thread-safe: the tasks touching one file run one after
    /// another, in submission order, while compute tasks on other patches (and I/O on other
    /// files) run beside them.
    ///
    /// ```swift
    /// let mover = try IOMover(plan: IOPlan(array: u), array: u, file: file)
    /// for step in 0..<steps {
    ///     try graph.submit(mover, direction: .write, step: step)   // waits only for u's writers
    ///     for i in u.patchIndices {                                // overlaps the writes
    ///         try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { ... }
    ///     }
    /// }
    /// try graph.wait()
    /// ```
    ///
    /// Sequential consistency gives the same bytes in the file as ``IOMover/write(step:)`` called
    /// at the point of submission (and the same patch values as ``IOMover/read(step:)``). `step`
    /// is the index along a leading time axis (checked here: given for a file with one, nil
    /// otherwise; ``DataflowError/invalidConfiguration(name:value:requirement:)``). A failing
    /// backend call fails its task (``DataflowError/taskFailed(task:id:reason:)`` with the
    /// ``IOError`` text) and its dependants. Do not call the mover's synchronous `write`/`read`
    /// while tasks of it are outstanding (they share its scratch buffer).
    ///
    /// On a file with collective writes (HDF5 with `.mpi` access) a write is one task that reads
    /// every moved box and runs the collective ``IOMover/write(step:)``; every rank must submit
    /// it, in the same order relative to its other collective calls, and the task blocks its
    /// worker until the other ranks take part.
    ///
    /// - Returns: the handles of the submitted tasks, one per write or move read (one for a
    ///   collective write).
    /// - Complexity: one task and one backend call per write (chunk group) or move.
    @discardableResult
    public func submit<Element: PatchElement, let N: Int>(
        _ mover: IOMover<Element, N>, direction: IODirection, step: Int? = nil, name: String? = nil
    ) throws(DataflowError) -> [TaskHandle] {
        do throws(IOError) {
            try mover.checkStep(step)
        } catch {
            throw .invalidConfiguration(name: "step of I/O on \(mover.file.path)", value: step ?? -1,
                                        requirement: "given for a file with a time axis, nil otherwise (\(error))")
        }
        let token = _FileToken(mover.file)
        let label = name ?? (direction == .write ? "write \(mover.file.path)" : "read \(mover.file.path)")
        if direction == .write, mover.file.collectiveWriters != nil {
            // Collective MPI-IO: every rank makes the same calls in the same order, so the whole
            // run is one task (reading every moved box) calling the collective write.
            var accesses = mover.plan.moves.indices.map { k in
                _RawAccess(resource: mover.patch(ofMove: k), box: mover.plan.moves[k].box.dataflowBox, mode: .read)
            }
            accesses.append(_RawAccess(resource: token, box: DataflowBox.unit, mode: .readWrite))
            return [try _submit(name: label + " (collective)", space: .host, accesses) { _ in try mover.write(step: step) }]
        }
        var handles: [TaskHandle] = []
        if direction == .write {
            handles.reserveCapacity(mover.writes.count)
            for (w, write) in mover.writes.enumerated() {
                var accesses = write.pieces.map { piece in
                    _RawAccess(resource: mover.patch(of: piece), box: piece.box.dataflowBox, mode: .read)
                }
                accesses.append(_RawAccess(resource: token, box: DataflowBox.unit, mode: .readWrite))
                let patches = write.pieces.map { mover.plan.moves[$0.move].patch }
                let task = write.pieces.count == 1 ? "\(label): patch \(patches[0])" : "\(label): chunk of patches \(patches)"
                handles.append(try _submit(name: task, space: .host, accesses) { _ in try mover.performWrite(w, step: step) })
            }
            return handles
        }
        handles.reserveCapacity(mover.plan.moves.count)
        for (k, move) in mover.plan.moves.enumerated() {
            let accesses = [
                _RawAccess(resource: mover.patch(ofMove: k), box: move.box.dataflowBox, mode: .write),
                _RawAccess(resource: token, box: DataflowBox.unit, mode: .readWrite),
            ]
            handles.append(try _submit(name: "\(label): patch \(move.patch)", space: .host, accesses) { _ in
                try mover.readMove(k, step: step)
            })
        }
        return handles
    }
}

/// An open file array as a dataflow resource: I/O tasks name it `readWrite`, so the tasks that
/// use one file object run one at a time (backends are not thread-safe).
struct _FileToken: DataflowResource, @unchecked Sendable {
    typealias Region = WholeValue
    typealias ReadView = Void
    typealias WriteView = Void

    let file: any FileInterface
    init(_ file: any FileInterface) { self.file = file }

    var dataflowIdentity: ObjectIdentifier { ObjectIdentifier(file) }
    var dataflowBounds: WholeValue { WholeValue() }
    var dataflowName: String { "file \(file.path)" }
    func makeReadView(_ region: WholeValue) {}
    func makeWriteView(_ region: WholeValue) {}
}
