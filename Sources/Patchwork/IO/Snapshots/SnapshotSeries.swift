/// A time series of a patch array in one file array with a leading, growing time axis: each
/// ``append(time:step:)`` adds one snapshot through the same ``IOPlan``, recording its time and
/// step (KeLPIO's snapshotting: build the plan once, move the file position between snapshots).
///
/// ```swift
/// let store = try ZarrStore.create(at: "run.zarr")
/// let series = try SnapshotSeries.create(in: store, name: "T", array: temperature,
///                                        dimensionNames: ["time", "y", "x"])
/// for step in 0..<100 { advance(); if step % 10 == 0 { try series.append(time: t, step: step) } }
/// try series.read(snapshot: 3)           // back into the patch array
/// ```
///
/// The file array has shape `[snapshots] + dataDomain.shape`, one chunk per snapshot by default
/// (chunk `[1] + chunks`). Beside it, in the same group, two 1-D arrays along the time axis hold
/// each snapshot's time (`Float64`, named like the time axis, `time` by default: xarray's time
/// coordinate, an HDF5 dimension scale) and step (`Int64`, `step`, or `<time axis>_step` when the
/// axis has another name; listed in the array's `coordinates` attribute, so xarray shows it as a
/// coordinate). Series of one group with the same time axis share these two arrays (append to
/// them together). The array's attributes record the floor plan it was written from
/// (``FileInterface/setFloorPlan(_:)``), a CRC32C per snapshot (`checksums`, see
/// ``verify()``; not on a file written collectively over MPI, which would have to be read back
/// by every rank) and, written last, `time` (doubles) and `step` (integers), one per snapshot:
/// a snapshot counts once they are written, so an interrupted append is not taken as a snapshot
/// on reopening, and the next append overwrites it. Not thread-safe. Cost per append: one mover
/// run, reading the snapshot back for its checksum, one element of each coordinate array, and
/// rewriting the attribute lists (O(snapshots)).
public final class SnapshotSeries<Element: PatchElement, let N: Int> {
    /// The patch array written and read.
    public let array: PatchArray<Element, N>
    /// The (N+1)-D file array.
    public let file: any FileInterface
    private let mover: IOMover<Element, N>
    /// Simulation time of each snapshot.
    public private(set) var times: [Double]
    /// Step number of each snapshot.
    public private(set) var steps: [Int64]
    /// CRC32C of each snapshot's bytes (fewer than ``count`` for a series written collectively,
    /// or before checksums were recorded).
    public private(set) var checksums: [UInt32]

    /// The number of complete snapshots.
    public var count: Int { times.count }

    /// The time and step coordinate arrays (nil for a series written before they existed).
    private let timeFile: (any FileInterface)?
    private let stepFile: (any FileInterface)?

    private init(array: PatchArray<Element, N>, file: any FileInterface, coordinates: (any FileInterface, any FileInterface)?,
                 times: [Double], steps: [Int64], checksums: [UInt32]) throws(IOError) {
        self.array = array
        self.file = file
        self.mover = try IOMover(plan: IOPlan(array: array), array: array, file: file)
        self.timeFile = coordinates?.0
        self.stepFile = coordinates?.1
        self.times = times
        self.steps = steps
        self.checksums = checksums
    }

    /// Creates an empty series named `name` for the interior of `array`'s data domain, with its
    /// time and step coordinate arrays (reused when the group has them already). Axis names
    /// default to `time, dim_0, dim_1, …`.
    public static func create(in store: some FileStore, name: String, array: PatchArray<Element, N>,
                              chunks: Point<N>? = nil, compression: FileCompression = .none,
                              dimensionNames: [String] = []) throws(IOError) -> SnapshotSeries {
        let shape = array.dataDomain.shape.array
        let names = dimensionNames.isEmpty ? ["time"] + (0..<N).map { "dim_\($0)" } : dimensionNames
        let description = FileArrayDescription(
            elementType: Element.elementType, shape: [0] + shape,
            chunkShape: [1] + (chunks?.array ?? shape.map { Swift.max($0, 1) }), growable: true,
            compression: compression, dimensionNames: names)
        try description.validate(path: store.path + "/" + name)
        // The coordinates first: in HDF5 the time array is the dimension scale the others attach to.
        let (timeName, stepName) = coordinateNames(name: name, timeAxis: names[0])
        let timeFile = try coordinate(timeName, .float64, axis: names[0], in: store)
        let stepFile = try coordinate(stepName, .int64, axis: names[0], in: store)
        let file = try store.createArray(name, description)
        try file.setAttribute("coordinates", .string(stepName.split(separator: "/").last.map(String.init) ?? stepName))
        try file.setFloorPlan(array.decomposition)
        try file.setAttribute("checksums", .ints([]))
        try file.setAttribute("time", .doubles([]))
        try file.setAttribute("step", .ints([]))
        return try SnapshotSeries(array: array, file: file, coordinates: (timeFile, stepFile), times: [], steps: [], checksums: [])
    }

    /// The names of the time and step arrays of the series `name` whose time axis is `timeAxis`.
    internal static func coordinateNames(name: String, timeAxis: String) -> (time: String, step: String) {
        let group = name.lastIndex(of: "/").map { String(name[...$0]) } ?? ""
        return (group + timeAxis, group + (timeAxis == "time" ? "step" : timeAxis + "_step"))
    }

    /// Opens the 1-D coordinate array `name` along `axis`, or creates it (empty, growable).
    private static func coordinate(_ name: String, _ type: ElementType, axis: String,
                                   in store: some FileStore) throws(IOError) -> any FileInterface {
        if try store.arrayNames().contains(name) {
            let existing = try store.openArray(name)
            let d = existing.arrayDescription
            guard d.elementType == type, d.rank == 1 else {
                throw .corrupt(path: existing.path, reason: "a snapshot coordinate must be a 1-D \(type.name) array, found \(d.rank)-D \(d.elementType.name)")
            }
            return existing
        }
        return try store.createArray(name, FileArrayDescription(elementType: type, shape: [0], chunkShape: [512], growable: true,
                                                                 dimensionNames: [axis], fillValue: type == .float64 ? .nan : 0))
    }

    /// Opens an existing series to read it or append to it; throws
    /// ``IOError/rankMismatch(path:expected:found:)`` or ``IOError/corrupt(path:reason:)`` when the
    /// file array is not a series of `array`'s shape.
    public static func open(in store: some FileStore, name: String, array: PatchArray<Element, N>) throws(IOError) -> SnapshotSeries {
        let file = try store.openArray(name)
        let d = file.arrayDescription
        guard d.rank == N + 1 else { throw .rankMismatch(path: file.path, expected: N + 1, found: d.rank) }
        guard Array(d.shape.dropFirst()) == array.dataDomain.shape.array else {
            throw .corrupt(path: file.path, reason: "snapshot shape \(Array(d.shape.dropFirst())) is not the array's \(array.dataDomain.shape.array)")
        }
        let times: [Double]
        switch try file.attribute("time") {
        case let .doubles(t)?: times = t
        case let .ints(t)?: times = t.map(Double.init)   // an empty list reads back as integers from JSON
        default: throw .attributeNotFound(path: file.path, name: "time")
        }
        guard case let .ints(steps)? = try file.attribute("step") else { throw .attributeNotFound(path: file.path, name: "step") }
        let complete = Swift.min(times.count, steps.count, d.shape[0])
        var coordinates: (any FileInterface, any FileInterface)? = nil
        if let axis = d.dimensionNames.first, !axis.isEmpty {
            let (timeName, stepName) = coordinateNames(name: name, timeAxis: axis)
            let names = try store.arrayNames()
            if names.contains(timeName), names.contains(stepName) {
                coordinates = (try store.openArray(timeName), try store.openArray(stepName))
            }
        }
        return try SnapshotSeries(array: array, file: file, coordinates: coordinates,
                                  times: Array(times.prefix(complete)), steps: Array(steps.prefix(complete)),
                                  checksums: Array(try file.recordedSnapshotChecksums.prefix(complete)))
    }

    /// Appends the array's interior as the next snapshot, then records `time` and `step`.
    public func append(time: Double, step: Int) throws(IOError) {
        let k = count
        if file.arrayDescription.shape[0] < k + 1 { try file.resizeLeadingAxis(to: k + 1) }
        try mover.write(step: k)
        if let timeFile, let stepFile {
            try Self.put(time, at: k, in: timeFile)
            try Self.put(Int64(step), at: k, in: stepFile)
        }
        if file.collectiveWriters == nil, checksums.count == k {
            let crc = try file.snapshotChecksum(k)
            try file.setAttribute("checksums", .ints((checksums + [crc]).map(Int64.init)))
            checksums.append(crc)
        }
        try file.setAttribute("time", .doubles(times + [time]))
        try file.setAttribute("step", .ints(steps + [Int64(step)]))
        times.append(time)
        steps.append(Int64(step))
    }

    /// Writes `value` at `index` of a 1-D coordinate array, growing it when needed; on a file
    /// written collectively every rank calls this and rank 0 writes the value.
    private static func put<T: BitwiseCopyable>(_ value: T, at index: Int, in coordinate: any FileInterface) throws(IOError) {
        if coordinate.arrayDescription.shape[0] < index + 1 { try coordinate.resizeLeadingAxis(to: index + 1) }
        let writes = coordinate.collectiveWriters.map { $0.rank == 0 } ?? true
        var value = value
        try withUnsafeBytes(of: &value) { (bytes) throws(IOError) in
            try coordinate.write(lower: [index], shape: [writes ? 1 : 0], from: writes ? bytes : UnsafeRawBufferPointer(rebasing: bytes[0..<0]))
        }
    }

    /// Recomputes every snapshot's CRC32C and throws ``IOError/checksumMismatch(path:stored:computed:)``
    /// (the path names the snapshot: `… snapshot 2`) for the first that differs from its record.
    public func verify() throws(IOError) {
        let report = try file.verifySnapshotChecksums()
        if let bad = report.mismatches.first {
            throw .checksumMismatch(path: "\(file.path) snapshot \(bad.snapshot)", stored: bad.stored, computed: bad.computed)
        }
    }

    /// Reads snapshot `index` into the array's interiors.
    public func read(snapshot index: Int) throws(IOError) {
        guard (0..<count).contains(index) else {
            throw .invalidArgument(name: "snapshot", value: "\(index)", requirement: "in 0..<\(count)")
        }
        try mover.read(step: index)
    }

    /// Flushes the file array (`durable`: and fsyncs it).
    public func flush(durable: Bool = false) throws(IOError) {
        try timeFile?.flush(durable: durable)
        try stepFile?.flush(durable: durable)
        try file.flush(durable: durable)
    }
}
