/// The executor of an ``IOPlan``: moves the planned boxes between a patch array and a file
/// array, in either direction (KeLPIO's `IOMover`).
///
/// ```swift
/// let mover = try IOMover(plan: IOPlan(array: u), array: u, file: FileArray<Double, 2>.open(in: store, name: "u"))
/// try mover.write()          // every planned box: patch → file
/// try mover.read()           // file → patch
///
/// // A time series: the file has one more (leading) axis; each step is one index along it.
/// let series = try IOMover(plan: IOPlan(array: u), array: u, file: FileArray<Double, 3>.open(in: store, name: "u_t"))
/// try series.write(step: 4)
/// ```
///
/// The file's element type must be the patches' element type and its rank `N` (one array) or
/// `N + 1` (a leading time axis, addressed with `step`). A box that is a whole patch storage goes
/// straight from (or to) the patch; other boxes are packed through one scratch buffer sized
/// once for the plan's largest move (or chunk group), so running a plan allocates nothing.
/// Writes are grouped by file chunk (see ``init(plan:array:file:groupingByChunk:)-(_,_,FileInterface,_)``): a chunk
/// holding several patches is written once. Writing reads the patches; reading writes them —
/// `graph.submit(mover, direction:step:)` runs them as dataflow tasks with those accesses. On
/// an HDF5 file opened with `.mpi` access, ``write(step:)`` is collective. Not thread-safe (one
/// scratch buffer); cost: one backend call per move read, per chunk group or move written.
public final class IOMover<Element: PatchElement, let N: Int> {
    /// The plan being run.
    public let plan: IOPlan<N>
    /// The patch array.
    public let array: PatchArray<Element, N>
    /// The file array (rank `N`, or `N + 1` with a leading time axis).
    public let file: any FileInterface
    private let positions: [Int]
    private let scratch: UnsafeMutableBufferPointer<Element>
    private let hasTimeAxis: Bool
    /// The backend writes of one run from the patches to the file, grouped by file chunk.
    internal let writes: [_IOWrite<N>]

    /// Checks the plan against the array and the file and allocates the scratch buffer.
    ///
    /// Throws ``IOError/elementTypeMismatch(path:expected:found:)``,
    /// ``IOError/rankMismatch(path:expected:found:)`` (rank not `N` or `N + 1`), or
    /// ``IOError/invalidArgument(name:value:requirement:)`` for a move of a patch that is not
    /// local or a box outside the patch's allocated box.
    ///
    /// With `groupingByChunk` (the default), moves that together cover the touched part of one
    /// file chunk are written with one backend call per chunk (their cells gathered into the
    /// scratch buffer) instead of one per move, so a chunk holding many patches is written once
    /// (for Zarr: compressed and stored once, not rewritten per patch). Only when the plan's file
    /// boxes do not overlap (with overlaps the last move wins, so order matters) and a chunk is at
    /// most 16 MiB. Chunks only partly covered keep their per-move writes.
    public init(plan: IOPlan<N>, array: PatchArray<Element, N>, file: any FileInterface,
                groupingByChunk: Bool = true) throws(IOError) {
        let d = file.arrayDescription
        guard d.elementType == Element.elementType else {
            throw .elementTypeMismatch(path: file.path, expected: Element.elementType.name, found: d.elementType.name)
        }
        guard d.rank == N || d.rank == N + 1 else { throw .rankMismatch(path: file.path, expected: N, found: d.rank) }
        var positions: [Int] = []
        for move in plan.moves {
            guard let position = array.localPosition(ofPatch: move.patch) else {
                throw .invalidArgument(name: "patch of an I/O move", value: "\(move.patch)", requirement: "a local patch")
            }
            guard array.patches[position].allocatedBox.contains(move.box) else {
                throw .invalidArgument(name: "box of an I/O move", value: move.box.description,
                                       requirement: "inside patch \(move.patch)'s storage \(array.patches[position].allocatedBox)")
            }
            positions.append(position)
        }
        self.plan = plan
        self.array = array
        self.file = file
        self.positions = positions
        self.hasTimeAxis = d.rank == N + 1
        self.writes = groupingByChunk
            ? _IOWrite.grouped(plan, chunk: Array(d.chunkShape.suffix(N)), limit: Swift.max(1, (16 << 20) / MemoryLayout<Element>.stride))
            : _IOWrite.perMove(plan)
        let largestWrite = writes.map(\.fileBox.volume).max() ?? 0
        self.scratch = .allocate(capacity: Swift.max(plan.largestMove, largestWrite, 1))
    }

    /// A mover over a typed file array.
    public convenience init<let M: Int>(plan: IOPlan<N>, array: PatchArray<Element, N>,
                                        file: FileArray<Element, M>, groupingByChunk: Bool = true) throws(IOError) {
        try self.init(plan: plan, array: array, file: file.interface, groupingByChunk: groupingByChunk)
    }

    deinit { scratch.deallocate() }

    /// The file box of a move: `[step] + (box + shift)`.
    private func fileBox(_ move: IOPlan<N>.Move, step: Int?) throws(IOError) -> (lower: [Int], shape: [Int]) {
        try fileLowerAndShape(_IOWrite.fileBox(of: move), step: step)
    }

    /// Runs the plan from the patches to the file (`step`: the index along the time axis).
    ///
    /// On a file whose writes are collective (HDF5 with `.mpi` access) every rank of the
    /// communicator must call this together: the ranks agree on the largest number of moves
    /// (`MPI_Allreduce`) and a rank with fewer moves makes empty writes, so each round is one
    /// collective `H5Dwrite` on every rank. The boxes are checked first on every rank: a bad one
    /// (outside the file, a wrong `step`) throws on every rank (that rank's error where it was
    /// found, ``IOError/invalidArgument(name:value:requirement:)`` naming the MPI failure on the
    /// others) instead of hanging.
    public func write(step: Int? = nil) throws(IOError) {
        if let comm = file.collectiveWriters {
            // Check every box first and agree, so a bad box fails on every rank instead of
            // leaving the others waiting in a collective write.
            var localError: IOError? = nil
            do throws(IOError) {
                try checkStep(step)
                let d = file.arrayDescription
                for w in writes.indices {
                    let (lower, shape) = try fileLowerAndShape(of: w, step: step)
                    try d.checkBox(lower: lower, shape: shape, byteCount: writes[w].fileBox.volume * d.elementType.byteCount, path: file.path)
                }
            } catch {
                localError = error
            }
            let rounds: Int
            do {
                try comm.agreeOnSuccess(localError == nil)
                rounds = try comm.allReduce(writes.count, .max)
            } catch {
                throw localError ?? .invalidArgument(name: "collective write of \(file.path)", value: "\(error)",
                                                     requirement: "every rank's boxes inside the file")
            }
            let rank = file.arrayDescription.rank
            for k in 0..<rounds {
                if k < writes.count {
                    try performWrite(k, step: step)
                } else {
                    try file.write(lower: [Int](repeating: 0, count: rank), shape: [Int](repeating: 0, count: rank),
                                   from: UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
            return
        }
        for k in writes.indices { try performWrite(k, step: step) }
    }

    /// Runs the plan from the file to the patches.
    public func read(step: Int? = nil) throws(IOError) {
        for k in plan.moves.indices { try readMove(k, step: step) }
    }

    /// Checks `step` against the file (given for a file with a time axis, nil otherwise) without
    /// moving anything.
    public func checkStep(_ step: Int?) throws(IOError) {
        guard let move = plan.moves.first else { return }
        _ = try fileBox(move, step: step)
    }

    /// The patch of move `k` (the task runner names its box in the move's accesses).
    internal func patch(ofMove k: Int) -> Patch<Element, N> { array.patches[positions[k]] }

    /// Move `k` from its patch to the file (one backend call). Uses the scratch buffer: calls on
    /// one mover must not overlap.
    internal func writeMove(_ k: Int, step: Int?) throws(IOError) {
        let move = plan.moves[k]
        let patch = array.patches[positions[k]]
        let (lower, shape) = try fileBox(move, step: step)
        try patch.withUnsafeBufferPointer { (storage) throws(IOError) in
            if move.box == patch.allocatedBox {
                try file.write(lower: lower, shape: shape, from: UnsafeRawBufferPointer(storage))
                return
            }
            let part = UnsafeMutableBufferPointer(rebasing: scratch[0..<move.box.volume])
            _copyRegion(count: move.box.shape.array, elementSize: MemoryLayout<Element>.stride,
                        from: UnsafeRawPointer(storage.baseAddress!), shape: patch.allocatedBox.shape.array,
                        at: (move.box.lower - patch.allocatedBox.lower).array,
                        to: UnsafeMutableRawPointer(part.baseAddress!), shape: move.box.shape.array,
                        at: [Int](repeating: 0, count: N))
            try file.write(lower: lower, shape: shape, from: UnsafeRawBufferPointer(part))
        }
    }

    /// The patch holding `piece`'s cells.
    internal func patch(of piece: _IOWrite<N>.Piece) -> Patch<Element, N> { array.patches[positions[piece.move]] }

    /// Backend write `w` of ``writes``: a whole move straight through ``writeMove(_:step:)``;
    /// otherwise its pieces gathered into the scratch buffer, then one backend call.
    internal func performWrite(_ w: Int, step: Int?) throws(IOError) {
        let write = writes[w]
        if write.pieces.count == 1, write.pieces[0].box == plan.moves[write.pieces[0].move].box {
            try writeMove(write.pieces[0].move, step: step)
            return
        }
        let part = UnsafeMutableBufferPointer(rebasing: scratch[0..<write.fileBox.volume])
        for piece in write.pieces {
            let patch = array.patches[positions[piece.move]]
            let at = (piece.box.lower + plan.moves[piece.move].shift - write.fileBox.lower).array
            patch.withUnsafeBufferPointer { storage in
                _copyRegion(count: piece.box.shape.array, elementSize: MemoryLayout<Element>.stride,
                            from: UnsafeRawPointer(storage.baseAddress!), shape: patch.allocatedBox.shape.array,
                            at: (piece.box.lower - patch.allocatedBox.lower).array,
                            to: UnsafeMutableRawPointer(part.baseAddress!), shape: write.fileBox.shape.array, at: at)
            }
        }
        let (lower, shape) = try fileLowerAndShape(of: w, step: step)
        try file.write(lower: lower, shape: shape, from: UnsafeRawBufferPointer(part))
    }

    /// The file box of write `w`: `[step] + fileBox`.
    private func fileLowerAndShape(of w: Int, step: Int?) throws(IOError) -> (lower: [Int], shape: [Int]) {
        try fileLowerAndShape(writes[w].fileBox, step: step)
    }

    /// `[step] + box` in a file with a time axis, `box` in one without; `step` must be given
    /// exactly when the file has a time axis.
    private func fileLowerAndShape(_ box: Box<N>, step: Int?) throws(IOError) -> (lower: [Int], shape: [Int]) {
        var lower = box.lower.array, shape = box.shape.array
        if hasTimeAxis {
            guard let step else {
                throw .invalidArgument(name: "step", value: "nil", requirement: "given for a file with a time axis (\(file.path))")
            }
            lower.insert(step, at: 0)
            shape.insert(1, at: 0)
        } else if let step {
            throw .invalidArgument(name: "step", value: "\(step)", requirement: "nil for a file without a time axis (\(file.path))")
        }
        return (lower, shape)
    }

    /// Move `k` from the file to its patch (one backend call); same rule as ``writeMove(_:step:)``.
    internal func readMove(_ k: Int, step: Int?) throws(IOError) {
        let move = plan.moves[k]
        let patch = array.patches[positions[k]]
        let (lower, shape) = try fileBox(move, step: step)
        try patch.withUnsafeMutableBufferPointer { (storage) throws(IOError) in
            if move.box == patch.allocatedBox {
                try file.read(lower: lower, shape: shape, into: UnsafeMutableRawBufferPointer(storage))
                return
            }
            let part = UnsafeMutableBufferPointer(rebasing: scratch[0..<move.box.volume])
            try file.read(lower: lower, shape: shape, into: UnsafeMutableRawBufferPointer(part))
            _copyRegion(count: move.box.shape.array, elementSize: MemoryLayout<Element>.stride,
                        from: UnsafeRawPointer(part.baseAddress!), shape: move.box.shape.array,
                        at: [Int](repeating: 0, count: N),
                        to: UnsafeMutableRawPointer(storage.baseAddress!), shape: patch.allocatedBox.shape.array,
                        at: (move.box.lower - patch.allocatedBox.lower).array)
        }
    }
}
