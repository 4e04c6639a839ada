/// Writes one checkpoint: every named quantity of a run (optionally with ghost cells, laid out
/// without overlap by an ``Embedding``), the floor plan, step, time and user metadata, committed
/// atomically.
///
/// ```swift
/// let writer = try CheckpointWriter(root: "ckpt", step: 1200, time: 3.5, floorPlan: plan)
/// try writer.write("u", u)                          // interiors
/// try writer.write("p", p, includingGhosts: true)   // ghosts too (same-floor-plan restarts)
/// try writer.commit(metadata: ["model": "shallow water"], keeping: 3)
/// ```
///
/// Everything is written under `root/.ckpt-<step>.partial`; ``commit(metadata:keeping:)``
/// fsyncs every file and directory, renames the directory to `root/ckpt-<step>` and fsyncs
/// `root`, then writes `manifest.json` (a CRC32C and size per file) last, atomically and fsynced:
/// the manifest marks the checkpoint complete. A writer that dies before that leaves no valid
/// checkpoint behind, and the previous ones intact (``Checkpoint/newest(in:)`` skips it).
/// Several arrays may be written under one name (the parts of each rank, one after another in a
/// single process); interiors are stored as one global array per quantity, so a restart reads
/// onto any floor plan and any number of ranks. Not thread-safe.
/// - Complexity: the data bytes written once, then read once for the checksums.
public final class CheckpointWriter<let N: Int> {
    /// The directory holding the checkpoints.
    public let root: String
    /// The step recorded.
    public let step: Int
    /// The simulation time recorded.
    public let time: Double
    /// The floor plan recorded (restarts may use another).
    public let floorPlan: Decomposition<N>
    /// The directory being written.
    public let temporaryPath: String
    /// The directory after commit.
    public let finalPath: String
    fileprivate var store: (any FileStore)?
    private var files: [String: any FileInterface] = [:]
    /// Checksums of the files written (Zarr), so the manifest does not read them back.
    private let ledger = _ChecksumLedger()
    fileprivate var names: [String] = []
    private var committed = false

    /// Starts a checkpoint of `step` in `root` (created when missing), in Zarr (default) or HDF5.
    /// Throws ``IOError/alreadyExists(path:)`` when a committed checkpoint of this step exists.
    public init(root: String, step: Int, time: Double, floorPlan: Decomposition<N>,
                format: CheckpointFormat = .zarr) throws(IOError) {
        guard step >= 0 else { throw .invalidArgument(name: "checkpoint step", value: "\(step)", requirement: ">= 0") }
        self.root = root
        self.step = step
        self.time = time
        self.floorPlan = floorPlan
        self.finalPath = root + "/" + Checkpoint.directoryName(step: step)
        self.temporaryPath = root + "/." + Checkpoint.directoryName(step: step) + ".partial"
        try _FileSystem.makeDirectories(root)
        if _FileSystem.exists(finalPath) { throw .alreadyExists(path: finalPath) }
        try _FileSystem.remove(temporaryPath)   // a leftover of a writer that died
        try _FileSystem.makeDirectories(temporaryPath)
        switch format {
        case .zarr:
            let zarr = try ZarrStore.create(at: temporaryPath + "/" + Checkpoint.zarrName)
            zarr.ledger = ledger
            store = zarr
        case .hdf5: store = try HDF5Store.create(at: temporaryPath + "/" + Checkpoint.hdf5Name)
        }
    }

    /// Writes (part of) quantity `name`: the local patches of `array`. Without ghosts, interiors
    /// go to a global array over the data domain; with ghosts, every patch's storage goes to its
    /// place in ``Embedding/removeOverlap(boxes:)`` of the floor plan's allocated boxes.
    public func write<Element: PatchElement>(_ name: String, _ array: PatchArray<Element, N>,
                                             includingGhosts: Bool = false) throws(IOError) {
        guard let store, !committed else {
            throw .invalidArgument(name: "checkpoint", value: finalPath, requirement: "not yet committed")
        }
        let dataBoxes = array.decomposition.boxes.map { array.staggering.dataBox(for: $0) }
        let embedding: Embedding<N>
        let plan: IOPlan<N>
        do {
            if includingGhosts {
                embedding = try .removeOverlap(boxes: dataBoxes.map { $0.grown(lower: array.ghostWidths, upper: array.ghostWidths) })
                plan = IOPlan(array: array, embedding: embedding, includingGhosts: true)
            } else {
                embedding = try .pencilize(boxes: [array.dataDomain])   // the data domain at the file origin
                plan = IOPlan(array: array)
            }
        } catch {
            throw .invalidArgument(name: "layout of \(name)", value: "\(array.decomposition)", requirement: "\(error)")
        }
        let file: any FileInterface
        if let existing = files[name] {
            file = existing
        } else {
            let shape = embedding.fileShape.array
            file = try store.createArray(name, FileArrayDescription(
                elementType: Element.elementType, shape: shape, chunkShape: Checkpoint.chunkShape(shape, Element.elementType)))
            // Regions in domain coordinates and their shifts into the file: how to read it back.
            let regions = includingGhosts ? dataBoxes : [array.dataDomain]
            let shifts = embedding.shifts
            try file.setAttribute("patchwork_regions", .ints(regions.flatMap { ($0.lower.array + $0.upper.array).map(Int64.init) }))
            try file.setAttribute("patchwork_shifts", .ints(shifts.flatMap { $0.array.map(Int64.init) }))
            try file.setAttribute("patchwork_ghost_width", .int(Int64(includingGhosts ? array.ghostWidth : 0)))
            files[name] = file
            names.append(name)
        }
        try IOMover(plan: plan, array: array, file: file).write()
    }

    /// Records the metadata, makes everything durable, renames the directory into place, and
    /// writes the manifest; then removes all but the newest `keeping` checkpoints (nil: keep all).
    public func commit(metadata: [String: String] = [:], keeping: Int? = nil) throws(IOError) {
        guard store != nil, !committed else {
            throw .invalidArgument(name: "checkpoint", value: finalPath, requirement: "committed only once")
        }
        try recordMetadata(metadata)
        // Close every file (HDF5 writes its last metadata on close) before checksumming: no
        // reference to the store or its arrays may outlive this point.
        files = [:]
        store = nil
        committed = true
        try Checkpoint.syncTree(temporaryPath)
        try _FileSystem.move(temporaryPath, to: finalPath)
        try _FileSystem.sync(root)
        let prefix = temporaryPath + "/"
        let known = Dictionary(ledger.entries.compactMap { (path, value) in
            path.hasPrefix(prefix) ? (String(path.dropFirst(prefix.count)), value) : nil
        }, uniquingKeysWith: { _, last in last })
        try Checkpoint.writeManifest(in: finalPath, step: step, time: time, known: known)
        if let keeping { try Checkpoint.prune(in: root, keeping: keeping) }
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
