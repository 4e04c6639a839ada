/// A committed checkpoint, opened for restart: its step, time, user metadata, floor plan and
/// quantities, read onto any floor plan and any number of ranks.
///
/// ```swift
/// guard let last = try Checkpoint.newest(in: "ckpt") else { startFromScratch(); return }
/// let plan: Decomposition<2> = try last.floorPlan()          // or any other plan of the domain
/// let u = try PatchArray<Double, 2>(decomposition: newPlan, ghostWidth: 1, rank: myRank)
/// try last.read("u", into: u)
/// ```
///
/// Opening verifies the manifest (every file's size and CRC32C) unless told not to, so a torn
/// or corrupted checkpoint is never used: ``IOError/checksumMismatch(path:stored:computed:)``
/// names the file. ``newest(in:verify:)`` returns the newest checkpoint that verifies. Not thread-safe.
/// - Complexity: opening with verification reads every byte once.
public final class Checkpoint {
    /// The checkpoint directory.
    public let path: String
    /// The step recorded.
    public let step: Int
    /// The simulation time recorded.
    public let time: Double
    /// The user metadata recorded.
    public let metadata: [String: String]
    /// The quantities, in the order written.
    public let quantityNames: [String]
    internal let store: any FileStore

    static let zarrName = "data.zarr"
    static let hdf5Name = "data.h5"
    static let manifestName = "manifest.json"

    /// `ckpt-000000001200`: names sort by step.
    static func directoryName(step: Int) -> String {
        let digits = String(step)
        return "ckpt-" + String(repeating: "0", count: Swift.max(0, 12 - digits.count)) + digits
    }

    /// A chunk shape of at most about 16 MiB: whole trailing axes, a slab of axis 0.
    static func chunkShape(_ shape: [Int], _ type: ElementType) -> [Int] {
        var chunk = shape.map { Swift.max($0, 1) }
        let row = chunk.dropFirst().reduce(type.byteCount, *)
        chunk[0] = Swift.max(1, Swift.min(chunk[0], (16 << 20) / Swift.max(row, 1)))
        return chunk
    }

    /// Opens the checkpoint in `path`; throws ``IOError/corrupt(path:reason:)`` when it has no
    /// manifest (incomplete) and, with `verify`, ``IOError/checksumMismatch(path:stored:computed:)``
    /// or ``IOError/corrupt(path:reason:)`` when a file does not match it.
    public init(at path: String, verify: Bool = true) throws(IOError) {
        try Checkpoint.checkManifest(in: path, verify: verify)
        let store: any FileStore
        if _FileSystem.exists(path + "/" + Checkpoint.zarrName) {
            store = try ZarrStore.open(at: path + "/" + Checkpoint.zarrName)
        } else {
            store = try HDF5Store.open(at: path + "/" + Checkpoint.hdf5Name, writable: false)
        }
        func int(_ name: String) throws(IOError) -> Int64 {
            guard case let .int(v)? = try store.attribute(name) else { throw .attributeNotFound(path: store.path, name: name) }
            return v
        }
        func strings(_ name: String) throws(IOError) -> [String] {
            switch try store.attribute(name) {
            case let .strings(v)?: return v
            case .ints([])?: return []
            default: throw .attributeNotFound(path: store.path, name: name)
            }
        }
        self.path = path
        self.store = store
        self.step = Int(try int("patchwork_step"))
        guard case let .double(t)? = try store.attribute("patchwork_time") else {
            throw .attributeNotFound(path: store.path, name: "patchwork_time")
        }
        self.time = t
        self.quantityNames = try strings("patchwork_quantities")
        let keys = try strings("patchwork_metadata_keys"), values = try strings("patchwork_metadata_values")
        self.metadata = Dictionary(zip(keys, values), uniquingKeysWith: { a, _ in a })
    }

    /// The floor plan the checkpoint was written with; throws ``IOError/rankMismatch(path:expected:found:)``
    /// when it is not `N`-dimensional.
    public func floorPlan<let N: Int>() throws(IOError) -> Decomposition<N> {
        func ints(_ name: String) throws(IOError) -> [Int] {
            switch try store.attribute(name) {
            case let .ints(v)?: return v.map { Int($0) }
            default: throw .attributeNotFound(path: store.path, name: name)
            }
        }
        let domain = try ints("patchwork_floor_plan_domain")
        guard domain.count == 2 * N else { throw .rankMismatch(path: store.path, expected: N, found: domain.count / 2) }
        let boxes = Checkpoint.boxes(try ints("patchwork_floor_plan_boxes"), as: Box<N>.self)
        guard case let .int(ranks)? = try store.attribute("patchwork_floor_plan_ranks") else {
            throw .attributeNotFound(path: store.path, name: "patchwork_floor_plan_ranks")
        }
        do {
            return try Decomposition(domain: Checkpoint.boxes(domain, as: Box<N>.self)[0], boxes: boxes, owners: ints("patchwork_floor_plan_owners"),
                                     rankCount: Int(ranks), periodic: ints("patchwork_floor_plan_periodic").map { $0 != 0 })
        } catch let error as IOError {
            throw error
        } catch {
            throw .corrupt(path: store.path, reason: "floor plan: \(error)")
        }
    }

    static func boxes<let N: Int>(_ flat: [Int], as _: Box<N>.Type) -> [Box<N>] {
        stride(from: 0, to: flat.count - 2 * N + 1, by: 2 * N).map { k in
            Box(uncheckedLower: Point(InlineArray { flat[k + $0] }), upper: Point(InlineArray { flat[k + N + $0] }))
        }
    }

    /// Reads quantity `name` into the local patches of `array` (any floor plan, any rank count):
    /// every interior cell. When the quantity was saved with ghosts and `array` has the
    /// checkpoint's floor plan and the same ghost width on every axis, the ghost cells are
    /// restored too. Throws ``IOError/domainMismatch(path:saved:requested:)`` when `array`'s data
    /// domain is not the one saved (a restart onto another grid needs an explicit regridding),
    /// and the errors of ``IOMover`` for another element type.
    public func read<Element: PatchElement, let N: Int>(_ name: String, into array: PatchArray<Element, N>) throws(IOError) {
        let file = try store.openArray(name)
        guard case let .ints(flatRegions)? = try file.attribute("patchwork_regions"),
              case let .ints(flatShifts)? = try file.attribute("patchwork_shifts") else {
            throw .attributeNotFound(path: file.path, name: "patchwork_regions / patchwork_shifts")
        }
        let ghostWidths: [Int]
        switch (try file.attribute("patchwork_ghost_widths"), try file.attribute("patchwork_ghost_width")) {
        case let (.ints(widths)?, _): ghostWidths = widths.map { Int($0) }
        case let (nil, .int(width)?): ghostWidths = Array(repeating: Int(width), count: N)   // one width for every axis
        default: throw .attributeNotFound(path: file.path, name: "patchwork_ghost_widths")
        }
        guard file.arrayDescription.rank == N, ghostWidths.count == N else {
            throw .rankMismatch(path: file.path, expected: N, found: file.arrayDescription.rank)
        }
        let regions: [Box<N>] = Checkpoint.boxes(flatRegions.map { Int($0) }, as: Box<N>.self)
        let shifts: [Point<N>] = stride(from: 0, to: flatShifts.count - N + 1, by: N).map { k in
            Point(InlineArray { Int(flatShifts[k + $0]) })
        }
        guard regions.count == shifts.count, !regions.isEmpty else {
            throw .corrupt(path: file.path, reason: "\(regions.count) regions but \(shifts.count) shifts for a \(N)-D array")
        }
        let saved: Box<N>
        if case let .ints(flat)? = try file.attribute("patchwork_data_domain"), flat.count == 2 * N {
            saved = Checkpoint.boxes(flat.map { Int($0) }, as: Box<N>.self)[0]
        } else {   // written before the domain was recorded: the regions' hull
            saved = Box(uncheckedLower: Point(InlineArray { a in regions.map { $0.lower[a] }.min()! }),
                        upper: Point(InlineArray { a in regions.map { $0.upper[a] }.max()! }))
        }
        guard saved == array.dataDomain else {
            throw .domainMismatch(path: file.path, saved: saved.description, requested: array.dataDomain.description)
        }
        var plan: IOPlan<N>
        let dataBoxes = array.decomposition.boxes.map { array.staggering.dataBox(for: $0) }
        if ghostWidths.contains(where: { $0 > 0 }), ghostWidths == array.ghostWidths.array, dataBoxes.count == regions.count,
           zip(dataBoxes, regions).allSatisfy({ $0 == $1 }) {
            // Same floor plan and ghost widths: restore each patch's whole storage.
            plan = IOPlan()
            for (index, patch) in array.localPatches {
                plan.copyOnIntersection(patch: index, region: patch.allocatedBox, within: patch.allocatedBox, shift: shifts[index])
            }
        } else {
            plan = IOPlan(array: array, regions: regions, shifts: shifts)
        }
        try IOMover(plan: plan, array: array, file: file).read()
    }
}
