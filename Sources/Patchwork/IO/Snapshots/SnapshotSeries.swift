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
/// (chunk `[1] + chunks`), and attributes `time` (doubles) and `step` (integers), one per
/// snapshot; xarray sees a `time` axis. A snapshot counts once its attributes are written (they
/// are written last), so an interrupted append is not taken as a snapshot on reopening, and the
/// next append overwrites it. Not thread-safe. Cost per append: one mover run plus rewriting
/// the two attribute lists (O(snapshots)).
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

    /// The number of complete snapshots.
    public var count: Int { times.count }

    private init(array: PatchArray<Element, N>, file: any FileInterface, times: [Double], steps: [Int64]) throws(IOError) {
        self.array = array
        self.file = file
        self.mover = try IOMover(plan: IOPlan(array: array), array: array, file: file)
        self.times = times
        self.steps = steps
    }

    /// Creates an empty series named `name` for the interior of `array`'s data domain.
    public static func create(in store: some FileStore, name: String, array: PatchArray<Element, N>,
                              chunks: Point<N>? = nil, compression: FileCompression = .none,
                              dimensionNames: [String] = []) throws(IOError) -> SnapshotSeries {
        let shape = array.dataDomain.shape.array
        let description = FileArrayDescription(
            elementType: Element.elementType, shape: [0] + shape,
            chunkShape: [1] + (chunks?.array ?? shape.map { Swift.max($0, 1) }), growable: true,
            compression: compression, dimensionNames: dimensionNames)
        let file = try store.createArray(name, description)
        try file.setAttribute("time", .doubles([]))
        try file.setAttribute("step", .ints([]))
        return try SnapshotSeries(array: array, file: file, times: [], steps: [])
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
        return try SnapshotSeries(array: array, file: file, times: Array(times.prefix(complete)), steps: Array(steps.prefix(complete)))
    }

    /// Appends the array's interior as the next snapshot, then records `time` and `step`.
    public func append(time: Double, step: Int) throws(IOError) {
        let k = count
        if file.arrayDescription.shape[0] < k + 1 { try file.resizeLeadingAxis(to: k + 1) }
        try mover.write(step: k)
        try file.setAttribute("time", .doubles(times + [time]))
        try file.setAttribute("step", .ints(steps + [Int64(step)]))
        times.append(time)
        steps.append(Int64(step))
    }

    /// Reads snapshot `index` into the array's interiors.
    public func read(snapshot index: Int) throws(IOError) {
        guard (0..<count).contains(index) else {
            throw .invalidArgument(name: "snapshot", value: "\(index)", requirement: "in 0..<\(count)")
        }
        try mover.read(step: index)
    }

    /// Flushes the file array (`durable`: and fsyncs it).
    public func flush(durable: Bool = false) throws(IOError) { try file.flush(durable: durable) }
}
