#if canImport(Glibc)
import Glibc
#endif

/// Rank 0's snapshot store and the series it appends to.
final class _HeatOutput<let N: Int> {
    let store: any FileStore
    let series: SnapshotSeries<Double, N>

    init(store: any FileStore, series: SnapshotSeries<Double, N>) {
        self.store = store
        self.series = series
    }
}

extension _HeatDriver {
    /// The entries a run writes in its output directory (what `overwrite` removes).
    static var outputEntries: [String] { ["snapshots.zarr", "snapshots.h5", "checkpoints", "heat.png", "pictures"] }

    var checkpointRoot: String? { options.output.map { HeatRun.checkpointPath(in: $0) } }

    /// The metadata recorded in every checkpoint and checked on restart (the format too: a
    /// restart in another one would split the snapshot series across two stores).
    var runMetadata: [String: String] {
        ["dimensions": "\(N)", "size": "\(options.size)", "boundary": options.boundary.rawValue,
         "alpha": "\(mode.alpha)", "wavenumber": "\(options.wavenumber)", "format": options.format.rawValue,
         "program": "patchwork run heat"]
    }

    /// The files the run writes outside its output directory, by option: the trace and an
    /// explicit picture path.
    var outputFiles: [(name: String, path: String)] {
        var files: [(name: String, path: String)] = []
        if let trace = options.trace { files.append(("--trace", trace)) }
        if let picture = options.picture, !picture.isEmpty { files.append(("--picture", picture)) }
        return files
    }

    /// Checks, before anything runs, that the trace and picture files can be written: an
    /// existing one is replaced only with `overwrite`, and its directory must exist and be
    /// writable (or be the output directory, made by ``prepareOutput()``); rank 0 only (the one
    /// that writes them).
    func checkOutputFiles() throws(HeatRunError) {
        guard rank == 0 else { return }
        for (name, path) in outputFiles {
            if _FileSystem.exists(path) {
                guard !_FileSystem.isDirectory(path) else {
                    throw .invalidOption(name: name, value: path, accepted: "a file path (this is a directory)")
                }
                guard options.overwrite else { throw .fileExists(name: name, path: path) }
            }
            let parent = Self.parentDirectory(of: path)
            if let output = options.output, Self.parentDirectory(of: output + "/x") == parent { continue }
            guard _FileSystem.isDirectory(parent), access(parent, W_OK | X_OK) == 0 else {
                let why = _FileSystem.exists(parent) ? (_FileSystem.isDirectory(parent) ? "is not writable" : "is not a directory")
                    : "does not exist"
                throw .invalidOption(name: name, value: path, accepted: "a file in an existing writable directory (\(parent) \(why))")
            }
        }
    }

    /// The directory `path` names a file in: `"."` for a bare name, `"/"` for the root's files.
    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        var parent = trimmed[..<slash]
        while parent.hasSuffix("/") { parent = parent.dropLast() }
        return parent.isEmpty ? "/" : String(parent)
    }

    /// Checks (and with `overwrite` clears) the output directory; rank 0 only.
    func prepareOutput() throws(HeatRunError) {
        guard let output = options.output, !output.isEmpty, rank == 0 else { return }
        if options.restart { return }   // restoreCheckpoint says what is missing
        do {
            if _FileSystem.exists(output) {
                guard _FileSystem.isDirectory(output) else {
                    throw HeatRunError.invalidOption(name: "--output", value: output, accepted: "a directory (this is a file)")
                }
                if try !_FileSystem.list(output).isEmpty {
                    guard options.overwrite else { throw HeatRunError.outputExists(path: output) }
                    for entry in Self.outputEntries { try _FileSystem.remove(output + "/" + entry) }
                }
            }
            try _FileSystem.makeDirectories(output)
        } catch let error as HeatRunError {
            throw error
        } catch let error as IOError {
            throw .io(error)
        } catch {
            throw .invalidOption(name: "--output", value: output, accepted: "\(error)")
        }
    }

    /// Reads the newest valid checkpoint into `arrays[0]` (every rank its own patches).
    func restoreCheckpoint() throws(HeatRunError) {
        guard let root = checkpointRoot else { throw .noCheckpoint(path: "(no output directory)") }
        let found: Checkpoint?
        do { found = try Checkpoint.newest(in: root) } catch { throw .io(error) }
        guard let checkpoint = found else { throw .noCheckpoint(path: root) }
        for (key, value) in runMetadata.sorted(by: { $0.key < $1.key }) where checkpoint.metadata[key] != value {
            let name = ["dimensions": "--dims", "size": "--size", "boundary": "--boundary", "alpha": "--alpha",
                        "wavenumber": "--wavenumber", "format": "--format"][key] ?? key
            throw .restartMismatch(name: name, checkpoint: checkpoint.metadata[key] ?? "(none)", requested: value)
        }
        guard checkpoint.step <= options.steps else {
            throw .nothingToDo(checkpointStep: checkpoint.step, steps: options.steps)
        }
        do { try checkpoint.read("u", into: arrays[0]) } catch { throw .io(error) }
        current = 0
        step = checkpoint.step
        lastCheckpointStep = step
    }

    /// Rank 0's single-patch copy of the field, made on first use.
    func makeField() throws(HeatRunError) -> PatchArray<Double, N> {
        if let field { return field }
        do {
            let single = try Decomposition(domain: floorPlan.domain, boxes: [floorPlan.domain], owners: [0],
                                           rankCount: 1, periodic: floorPlan.periodic)
            let made = try PatchArray<Double, N>(decomposition: single)
            field = made
            return made
        } catch let error as GeometryError {
            throw .geometry(error)
        } catch let error as ArrayError {
            throw .array(error)
        } catch {
            throw .invalidOption(name: "output field", value: "\(floorPlan.domain)", accepted: "\(error)")
        }
    }

    /// The whole field on rank 0 as ONE patch without ghosts (a dense row-major array of the
    /// domain, so that every file chunk is written once); nil on other ranks. Collective.
    func collectField() throws(HeatRunError) -> PatchArray<Double, N>? {
        let whole: PatchArray<Double, N>
        if let communicator {
            do {
                guard let gathered = try communicator.gather(arrays[current], root: 0) else { return nil }
                whole = gathered
            } catch { throw .distributed(error) }
        } else {
            whole = arrays[current]
        }
        let field = try makeField()
        let target = field.patches[0]
        target.withUnsafeMutableBufferPointer { (dense: UnsafeMutableBufferPointer<Double>) in
            for patch in whole.patches {
                patch.withView { (view: PatchView<Double, N>) in
                    patch.box.forEachRow { (start: Point<N>, count: Int) in
                        let from = view.pointer(at: start)
                        let to = dense.baseAddress! + target.offset(of: start)
                        to.update(from: from, count: count)
                    }
                }
            }
        }
        return field
    }

    /// Creates (or, on restart, reopens and trims) the snapshot series; rank 0 only.
    func openSnapshots() throws(HeatRunError) {
        guard rank == 0, let outputPath = options.output, options.snapshotEvery > 0 else { return }
        let field = try makeField()
        do throws(IOError) {
            let path = HeatRun.snapshotPath(in: outputPath, format: options.format)
            let store: any FileStore
            let series: SnapshotSeries<Double, N>
            let names = ["time"] + ["x", "y", "z"].prefix(N)
            if options.restart, _FileSystem.exists(path) {
                store = options.format == .zarr ? try ZarrStore.open(at: path) : try HDF5Store.open(at: path)
                try Self.trimSeries(in: store, after: step)
                series = try SnapshotSeries.open(in: store, name: "u", array: field)
            } else {
                store = options.format == .zarr ? try ZarrStore.create(at: path) : try HDF5Store.create(at: path)
                series = try SnapshotSeries.create(in: store, name: "u", array: field, dimensionNames: Array(names))
                try store.setAttribute("program", .string("patchwork run heat"))
            }
            output = _HeatOutput(store: store, series: series)
        } catch { throw .io(error) }
    }

    /// Forgets the snapshots taken after `step` (a restart continues from there; the next
    /// appends overwrite them).
    static func trimSeries(in store: any FileStore, after step: Int) throws(IOError) {
        let file = try store.openArray("u")
        guard case let .ints(steps)? = try file.attribute("step") else { return }
        let times: [Double]
        switch try file.attribute("time") {
        case let .doubles(t)?: times = t
        default: times = []
        }
        let keep = min(steps.prefix { $0 <= Int64(step) }.count, times.count)
        try file.setAttribute("time", .doubles(Array(times.prefix(keep))))
        try file.setAttribute("step", .ints(Array(steps.prefix(keep))))
        try file.flush(durable: false)
    }

    /// A snapshot (and its picture) when `step` is a multiple of `snapshotEvery`. Collective.
    func snapshotIfDue() throws(HeatRunError) {
        guard options.snapshotEvery > 0, step % options.snapshotEvery == 0 else { return }
        try inIOTask("snapshot") { [unowned self] () throws(HeatRunError) in try collectively { () throws(HeatRunError) in
            let whole = try collectField()
            guard rank == 0, let output, let whole else { return }
            do throws(IOError) { try output.series.append(time: Double(step) * mode.timeStep, step: step) } catch { throw .io(error) }
            snapshotsWritten += 1
            if options.pictureEverySnapshot, let dir = options.output {
                let digits = String(step)
                let name = "step-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".png"
                do throws(IOError) { try _FileSystem.makeDirectories(dir + "/pictures") } catch { throw .io(error) }
                try writePicture(of: whole, to: dir + "/pictures/" + name)
            }
        } }
    }

    /// A checkpoint of the current step. Under MPI every rank writes its own patches (a
    /// ``CheckpointWriter`` on the communicator: no gather); the ranks of another transport (threads
    /// of one process) gather the field to rank 0, which writes it. Collective.
    func checkpoint() throws(HeatRunError) {
        guard let root = checkpointRoot else { return }
        try inIOTask("checkpoint") { [unowned self] () throws(HeatRunError) in try collectively { () throws(HeatRunError) in
            let mpi = communicator as? MPICommunicator
            let field: PatchArray<Double, N>
            if communicator == nil || mpi != nil {
                field = arrays[current]
            } else {
                let whole = try collectField()
                guard rank == 0, let whole else { return }
                field = whole
            }
            do throws(IOError) {
                let writer = try CheckpointWriter(root: root, step: step, time: Double(step) * mode.timeStep,
                                                  floorPlan: floorPlan, format: options.format, communicator: mpi)
                try writer.write("u", field)
                try writer.commit(metadata: runMetadata, keeping: options.keepCheckpoints)
            } catch { throw .io(error) }
            checkpointsWritten += 1
        } }
        lastCheckpointStep = step
    }

    /// The final picture, where asked for. Collective.
    func finalPicture() throws(HeatRunError) {
        let path: String
        switch options.picture {
        case nil:
            guard let dir = options.output, !dir.isEmpty else { return }
            path = dir + "/heat.png"
        case let given?:
            guard !given.isEmpty else { return }
            path = given
        }
        try inIOTask("picture") { [unowned self] () throws(HeatRunError) in try collectively { () throws(HeatRunError) in
            let whole = try collectField()
            guard rank == 0, let whole else { return }
            try writePicture(of: whole, to: path, fixedRange: false)
        } }
    }

    /// Renders the field (2-D) or its slice through a crest along axis 0 (3-D) with the
    /// blue-white-red map over `−a … a`: the initial amplitude (a = 1) for snapshot pictures, so
    /// that they show the decay; the field's largest magnitude for the final picture.
    func writePicture(of whole: PatchArray<Double, N>, to path: String, fixedRange: Bool = true) throws(HeatRunError) {
        let n = options.size
        do {
            try whole.patches[0].withUnsafeBufferPointer { (values: UnsafeBufferPointer<Double>) throws(PictureError) in
                var a = 1.0
                if !fixedRange {
                    a = 0
                    for v in values where v.isFinite { a = max(a, abs(v)) }
                    if !(a > 0) { a = 1 }
                }
                let range = -a...a
                if N == 2 {
                    try PNG.write(values: values, width: n, height: n, to: path, colorMap: .blueWhiteRed, range: range)
                } else {
                    try PNG.writeSlice(values: values, shape: Point<3>(n, n, n), axis: 0, index: mode.crestIndex, to: path,
                                       colorMap: .blueWhiteRed, range: range)
                }
            }
        } catch { throw .picture(error) }
        pictures.append(path)
    }

    /// Flushes the snapshot store; rank 0 only.
    func closeOutput() throws(HeatRunError) {
        guard let output else { return }
        do { try output.store.flush(durable: false) } catch { throw .io(error) }
    }
}
