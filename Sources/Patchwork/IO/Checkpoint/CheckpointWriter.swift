/// Writes one checkpoint: every named quantity of a run (optionally with ghost cells, laid out
/// without overlap by an ``Embedding``), the floor plan, step, time and user metadata, committed
/// atomically — from one process, or from every rank of an MPI communicator.
///
/// ```swift
/// let writer = try CheckpointWriter(root: "ckpt", step: 1200, time: 3.5, floorPlan: plan)
/// try writer.write("u", u)                          // interiors
/// try writer.write("p", p, includingGhosts: true)   // ghosts too (same-floor-plan restarts)
/// try writer.commit(metadata: ["model": "shallow water"], keeping: 3)
///
/// // Under mpirun: every rank makes the same calls with its own arrays.
/// let comm = try MPICommunicator.world()
/// let w = try CheckpointWriter(root: "ckpt", step: 1200, time: 3.5, floorPlan: plan, communicator: comm)
/// ```
///
/// Everything is written under `root/.ckpt-<step>.partial`; ``commit(metadata:keeping:)``
/// fsyncs every file and directory, renames the directory to `root/ckpt-<step>` and fsyncs
/// `root`, then writes `manifest.json` (a CRC32C and size per file) last, atomically and fsynced:
/// the manifest marks the checkpoint complete. A writer that dies before that leaves no valid
/// checkpoint behind, and the previous ones intact (``Checkpoint/newest(in:verify:)`` skips it; the next
/// writer of that step, or ``Checkpoint/prune(in:keeping:verify:)``, removes the leftover).
/// Without a communicator, several arrays may be written under one name (the parts of each rank,
/// one after another in a single process).
///
/// With a `communicator` (the floor plan's rank count must be its size) every call is collective:
/// every rank calls ``write(_:_:includingGhosts:)`` for the same names in the same order with its
/// own array (`array.rank` = its rank), then ``commit(metadata:keeping:)``. Rank 0 creates the
/// directory; each rank writes its own patches — Zarr: its own chunk files (the ``CheckpointLayout``
/// is then ``CheckpointLayout/pencils(axis:)``, so no chunk holds cells of two ranks); HDF5: one
/// shared file through collective MPI-IO (``HDF5FileAccess/mpi(_:)``) — and fsyncs them; after a
/// barrier rank 0 renames the directory and writes the manifest from the checksums every rank
/// computed while writing. Errors are agreed: when any rank fails, every rank throws (its own
/// error, or ``IOError/failedOnOtherRanks(operation:firstRank:failingRanks:)``). The root must be
/// on a file system every rank sees. A restart reads onto any floor plan and rank count. Not
/// thread-safe.
/// - Complexity: the data bytes written once; HDF5 files are read once more for the checksums.
public final class CheckpointWriter<let N: Int> {
    /// The directory holding the checkpoints.
    public let root: String
    /// The step recorded.
    public let step: Int
    /// The simulation time recorded.
    public let time: Double
    /// The floor plan recorded (restarts may use another).
    public let floorPlan: Decomposition<N>
    /// How quantities are laid out in their file arrays.
    public let layout: CheckpointLayout
    /// The ranks writing together, or nil for one process.
    public let communicator: MPICommunicator?
    /// The directory being written.
    public let temporaryPath: String
    /// The directory after commit.
    public let finalPath: String
    fileprivate var store: (any FileStore)?
    private var files: [String: any FileInterface] = [:]
    /// Checksums of the files this rank wrote (Zarr), so the manifest does not read them back.
    internal let ledger = _ChecksumLedger()
    fileprivate var names: [String] = []
    private var committed = false
    private var dataWrites = 0
    private let format: CheckpointFormat
    /// True when HDF5 calls are collective (a shared file on several ranks).
    private var collectiveHDF5: Bool { format == .hdf5 && (communicator?.size ?? 1) > 1 }

    /// Starts a checkpoint of `step` in `root` (created when missing), in Zarr (default) or HDF5,
    /// with `layout` (default: ``CheckpointLayout/global``, or ``CheckpointLayout/pencils(axis:)``
    /// along axis 0 for Zarr on several ranks). Throws ``IOError/alreadyExists(path:)`` when a
    /// committed checkpoint of this step (one with a manifest) exists; a manifest-less leftover
    /// of a writer that died is removed. Collective with a `communicator`.
    public init(root: String, step: Int, time: Double, floorPlan: Decomposition<N>,
                format: CheckpointFormat = .zarr, layout: CheckpointLayout? = nil,
                communicator: MPICommunicator? = nil) throws(IOError) {
        guard step >= 0 else { throw .invalidArgument(name: "checkpoint step", value: "\(step)", requirement: ">= 0") }
        let ranks = communicator?.size ?? 1
        if let communicator, floorPlan.rankCount != communicator.size {
            throw .invalidArgument(name: "rank count of the checkpoint's floor plan", value: "\(floorPlan.rankCount)",
                                   requirement: "the communicator's size \(communicator.size)")
        }
        let layout = layout ?? (ranks > 1 && format == .zarr ? .pencils(axis: 0) : .global)
        if ranks > 1, format == .zarr, layout == .global {
            throw .invalidArgument(name: "checkpoint layout", value: "global",
                                   requirement: "pencils for Zarr written by \(ranks) ranks (a chunk file must belong to one rank)")
        }
        if case let .pencils(axis) = layout, !(0..<N).contains(axis) {
            throw .invalidArgument(name: "pencil axis", value: "\(axis)", requirement: "in 0..<\(N)")
        }
        self.root = root
        self.step = step
        self.time = time
        self.floorPlan = floorPlan
        self.layout = layout
        self.communicator = communicator
        self.format = format
        self.finalPath = root + "/" + Checkpoint.directoryName(step: step)
        self.temporaryPath = root + "/." + Checkpoint.directoryName(step: step) + ".partial"
        _CheckpointWriters.active.withLock { $0.insert(temporaryPath); $0.insert(finalPath) }
        try collectively("prepare", rootOnly: true) { () throws(IOError) in
            try _FileSystem.makeDirectories(root)
            if _FileSystem.exists(finalPath) {
                guard !_FileSystem.exists(finalPath + "/" + Checkpoint.manifestName) else { throw .alreadyExists(path: finalPath) }
                try _FileSystem.remove(finalPath)   // renamed by a writer that died before its manifest
            }
            try _FileSystem.remove(temporaryPath)   // a leftover of a writer that died
            try _FileSystem.makeDirectories(temporaryPath)
            if format == .zarr { store = try ZarrStore.create(at: temporaryPath + "/" + Checkpoint.zarrName) }
            if format == .hdf5, ranks == 1 { store = try HDF5Store.create(at: temporaryPath + "/" + Checkpoint.hdf5Name) }
        }
        try collectively("open the store") { () throws(IOError) in
            if format == .zarr, rank != 0 { store = try ZarrStore.open(at: temporaryPath + "/" + Checkpoint.zarrName) }
            if format == .hdf5, ranks > 1, let communicator {
                store = try HDF5Store.create(at: temporaryPath + "/" + Checkpoint.hdf5Name, access: .mpi(communicator))
            }
            (store as? ZarrStore)?.ledger = ledger
        }
    }

    deinit { _CheckpointWriters.active.withLock { $0.remove(temporaryPath); $0.remove(finalPath) } }

    /// Writes (part of) quantity `name`: the local patches of `array`, interiors, or with
    /// `includingGhosts` every patch's storage (restored on a restart with the same floor plan and
    /// ghost widths), placed by the ``layout``. Collective with a communicator.
    public func write<Element: PatchElement>(_ name: String, _ array: PatchArray<Element, N>,
                                             includingGhosts: Bool = false) throws(IOError) {
        guard let store, !committed else {
            throw .invalidArgument(name: "checkpoint", value: finalPath, requirement: "not yet committed")
        }
        try collectively("check \(name)") { () throws(IOError) in
            if let communicator, array.rank != communicator.rank {
                throw .invalidArgument(name: "rank of the array written as \(name)", value: "\(array.rank)",
                                       requirement: "this process's rank \(communicator.rank)")
            }
        }
        let dataBoxes = array.decomposition.boxes.map { array.staggering.dataBox(for: $0) }
        let stored = includingGhosts ? dataBoxes.map { $0.grown(lower: array.ghostWidths, upper: array.ghostWidths) } : dataBoxes
        let embedding: Embedding<N>
        let plan: IOPlan<N>
        var chunkShape: [Int]? = nil
        do {
            switch layout {
            case .global:
                if includingGhosts {
                    embedding = try .removeOverlap(boxes: stored)
                    plan = IOPlan(array: array, embedding: embedding, includingGhosts: true)
                } else {
                    embedding = try .pencilize(boxes: [array.dataDomain])   // the data domain at the file origin
                    plan = IOPlan(array: array)
                }
            case let .pencils(axis):
                let (e, chunk) = try CheckpointLayout.pencils(stored, owners: array.decomposition.owners, axis: axis,
                                                              elementBytes: Element.elementType.byteCount)
                embedding = e
                chunkShape = chunk
                plan = IOPlan(array: array, embedding: embedding, includingGhosts: includingGhosts)
            }
        } catch {
            throw .invalidArgument(name: "layout of \(name)", value: "\(array.decomposition)", requirement: "\(error)")
        }
        let file: any FileInterface
        if let existing = files[name] {
            file = existing
        } else {
            let shape = embedding.fileShape.array
            let description = FileArrayDescription(elementType: Element.elementType, shape: shape,
                                                   chunkShape: chunkShape ?? Checkpoint.chunkShape(shape, Element.elementType))
            // Regions in domain coordinates and their shifts into the file: how to read it back.
            let regions = includingGhosts || layout != .global ? dataBoxes : [array.dataDomain]
            let widths = includingGhosts ? array.ghostWidths : .zero
            let domain = array.dataDomain
            func create() throws(IOError) -> any FileInterface {
                let file = try store.createArray(name, description)
                try file.setAttribute("patchwork_regions", .ints(regions.flatMap { ($0.lower.array + $0.upper.array).map(Int64.init) }))
                try file.setAttribute("patchwork_shifts", .ints(embedding.shifts.flatMap { $0.array.map(Int64.init) }))
                try file.setAttribute("patchwork_ghost_widths", .ints(widths.array.map(Int64.init)))
                try file.setAttribute("patchwork_data_domain", .ints((domain.lower.array + domain.upper.array).map(Int64.init)))
                return file
            }
            var created: (any FileInterface)? = nil
            try collectively("create \(name)", rootOnly: !collectiveHDF5) { () throws(IOError) in created = try create() }
            try collectively("open \(name)") { () throws(IOError) in
                if created == nil { created = try store.openArray(name) }
            }
            file = created!
            files[name] = file
            names.append(name)
        }
        let mover = try IOMover(plan: plan, array: array, file: file)
        if collectiveHDF5 { try mover.write() }   // collective, with its own agreement
        else { try collectively("write \(name)") { () throws(IOError) in try mover.write() } }
        dataWrites += 1
        if dataWrites == 1 { _CheckpointPause.at("data") }
    }

    /// Records the metadata, makes everything durable, renames the directory into place, and
    /// writes the manifest; then removes all but the newest `keeping` valid checkpoints (nil:
    /// keep all) and leftovers of writers that died. Collective with a communicator.
    public func commit(metadata: [String: String] = [:], keeping: Int? = nil) throws(IOError) {
        guard store != nil, !committed else {
            throw .invalidArgument(name: "checkpoint", value: finalPath, requirement: "committed only once")
        }
        committed = true
        try collectively("record metadata", rootOnly: !collectiveHDF5) { () throws(IOError) in try recordMetadata(metadata) }
        // Close every file (HDF5 writes its last metadata on close; collectively under MPI)
        // before checksumming: no reference to the store or its arrays may outlive this point.
        files = [:]
        store = nil
        let prefix = temporaryPath + "/"
        // Each rank makes its own files durable (one process: rank 0's tree sync below does it).
        if (communicator?.size ?? 1) > 1 {
            try collectively("fsync") { () throws(IOError) in
                var written = ledger.entries.keys.filter { $0.hasPrefix(prefix) }.sorted()
                if format == .hdf5 { written.append(prefix + Checkpoint.hdf5Name) }
                var directories = Set<String>()
                for file in written { if let slash = file.lastIndex(of: "/") { directories.insert(String(file[..<slash])) } }
                try _FileSystem.syncAll(written)
                try _FileSystem.syncAll(directories.sorted())
            }
        }
        let known = try gatherChecksums(prefix: prefix)
        try collectively("commit", rootOnly: true) { () throws(IOError) in
            try Checkpoint.syncTree(temporaryPath)
            _CheckpointPause.at("synced")
            try _FileSystem.move(temporaryPath, to: finalPath)
            try _FileSystem.sync(root)
            _CheckpointPause.at("renamed")
            try Checkpoint.writeManifest(in: finalPath, step: step, time: time, known: known)
            _CheckpointWriters.active.withLock { $0.remove(temporaryPath); $0.remove(finalPath) }
            if let keeping { try Checkpoint.prune(in: root, keeping: keeping) }
        }
    }
}

extension CheckpointWriter {
    /// Writes step, time, quantity names, user metadata and the floor plan as store attributes.
    fileprivate func recordMetadata(_ metadata: [String: String]) throws(IOError) {
        guard let store else { return }
        try store.setAttribute("patchwork_step", .int(Int64(step)))
        try store.setAttribute("patchwork_time", .double(time))
        try store.setAttribute("patchwork_quantities", .strings(names))
        try store.setAttribute("patchwork_metadata_keys", .strings(metadata.keys.sorted()))
        try store.setAttribute("patchwork_metadata_values", .strings(metadata.keys.sorted().map { metadata[$0]! }))
        let plan = floorPlan
        try store.setAttribute("patchwork_floor_plan_domain", .ints((plan.domain.lower.array + plan.domain.upper.array).map(Int64.init)))
        try store.setAttribute("patchwork_floor_plan_boxes", .ints(plan.boxes.flatMap { ($0.lower.array + $0.upper.array).map(Int64.init) }))
        try store.setAttribute("patchwork_floor_plan_owners", .ints(plan.owners.map(Int64.init)))
        try store.setAttribute("patchwork_floor_plan_ranks", .int(Int64(plan.rankCount)))
        try store.setAttribute("patchwork_floor_plan_periodic", .ints(plan.periodic.map { $0 ? 1 : 0 }))
        try store.flush(durable: false)
    }
}

/// The file format of a checkpoint's data.
public enum CheckpointFormat: String, Sendable {
    /// A Zarr v3 directory store (`data.zarr`).
    case zarr
    /// One HDF5 file (`data.h5`).
    case hdf5
}
