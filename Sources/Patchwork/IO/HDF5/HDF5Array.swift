import CHDF5

/// One HDF5 dataset behind the ``FileInterface`` protocol: hyperslab writes and reads, attributes,
/// and a leading axis that grows (`H5S_UNLIMITED`, `H5Dset_extent`).
///
/// ```swift
/// let a = try HDF5Store.create(at: "x.h5").createArray("u", FileArrayDescription(elementType: .float64, shape: [4, 4]))
/// ```
///
/// Created through ``HDF5Store``; holds the store (so the file stays open) and owns its dataset
/// handle, closed on release. Each write or read is one `H5Dwrite` / `H5Dread` of a hyperslab;
/// in a store opened with `.mpi` access each write is collective (every rank calls it; an empty
/// box takes part without writing).
public final class HDF5Array: FileInterface {
    public let path: String
    /// The dataset's path inside the file (`fields/T`).
    internal let name: String
    public private(set) var arrayDescription: FileArrayDescription
    internal let store: HDF5Store
    internal let dataset: _HDF5Handle
    private let memoryType: hid_t

    /// The attribute holding the dimension names (HDF5 has no native slot for them).
    internal static let dimensionNamesAttribute = "dimension_names"

    private init(store: HDF5Store, name: String, dataset: consuming _HDF5Handle, description: FileArrayDescription) {
        self.store = store
        self.path = store.path + ":/" + name
        self.name = name
        self.dataset = dataset
        self.arrayDescription = description
        self.memoryType = _HDF5.nativeType(description.elementType)
    }

    static func create(in store: HDF5Store, name: String, _ d: FileArrayDescription) throws(IOError) -> HDF5Array {
        let path = store.path + ":/" + name
        try d.validate(path: path)
        guard !name.isEmpty, !name.hasPrefix("/") else {
            throw .invalidArgument(name: "array name", value: "\"\(name)\"", requirement: "non-empty, relative")
        }
        if try store.exists(name) { throw .alreadyExists(path: path) }
        if case .zstd = d.compression { throw .unsupported(path: path, feature: "zstd compression (use .deflate)") }
        let rank = d.rank
        var dims = d.shape.map { hsize_t($0) }
        var maxDims = dims
        if d.growable { maxDims[0] = pw_H5S_UNLIMITED() }
        let space = try _HDF5Handle(.dataspace, "H5Screate_simple", path) { H5Screate_simple(Int32(rank), &dims, &maxDims) }
        let dcpl = try _HDF5Handle(.propertyList, "H5Pcreate(H5P_DATASET_CREATE)", path) { H5Pcreate(pw_H5P_DATASET_CREATE()) }
        // Contiguous when one chunk holds the whole fixed array and nothing needs chunking.
        let needsChunks = d.growable || d.compression != .none || d.checksum || d.chunkShape != d.shape
        if needsChunks {
            // HDF5 wants chunks no larger than a fixed axis (and positive).
            var chunk = (0..<rank).map { i in
                hsize_t(d.growable && i == 0 ? d.chunkShape[i] : Swift.max(1, Swift.min(d.chunkShape[i], d.shape[i])))
            }
            _ = try _HDF5.call("H5Pset_chunk", path) { H5Pset_chunk(dcpl.id, Int32(rank), &chunk) }
            if d.checksum { _ = try _HDF5.call("H5Pset_fletcher32", path) { H5Pset_fletcher32(dcpl.id) } }
            if case let .deflate(level) = d.compression {
                _ = try _HDF5.call("H5Pset_shuffle", path) { H5Pset_shuffle(dcpl.id) }
                _ = try _HDF5.call("H5Pset_deflate", path) { H5Pset_deflate(dcpl.id, UInt32(level)) }
            }
        }
        let memoryType = _HDF5.nativeType(d.elementType)
        var fill = [UInt8](repeating: 0, count: 8)
        fill.withUnsafeMutableBytes { d.elementType.store(d.fillValue, at: $0.baseAddress!) }
        _ = try _HDF5.call("H5Pset_fill_value", path) { fill.withUnsafeBytes { H5Pset_fill_value(dcpl.id, memoryType, $0.baseAddress) } }
        let lcpl = try _HDF5Handle(.propertyList, "H5Pcreate(H5P_LINK_CREATE)", path) { H5Pcreate(pw_H5P_LINK_CREATE()) }
        _ = try _HDF5.call("H5Pset_create_intermediate_group", path) { H5Pset_create_intermediate_group(lcpl.id, 1) }
        let dataset = try _HDF5Handle(.dataset, "H5Dcreate2", path) {
            H5Dcreate2(store.file.id, name, memoryType, space.id, lcpl.id, dcpl.id, pw_H5P_DEFAULT())
        }
        if !d.dimensionNames.isEmpty {
            try _HDF5Attributes.set(dimensionNamesAttribute, .strings(d.dimensionNames), on: dataset.id, path: path)
            do { try attachDimensionScales(dataset.id, name: name, d, in: store, path: path) } catch {
                _ = _HDF5.unchecked { H5Ldelete(store.file.id, name, pw_H5P_DEFAULT()) }   // no half-made array
                throw error
            }
        }
        var described = d
        if !needsChunks { described.chunkShape = d.shape.map { Swift.max($0, 1) } }
        return HDF5Array(store: store, name: name, dataset: dataset, description: described)
    }

    static func open(in store: HDF5Store, name: String) throws(IOError) -> HDF5Array {
        let path = store.path + ":/" + name
        guard try store.exists(name) else { throw .fileNotFound(path: path) }
        let dataset = try _HDF5Handle(.dataset, "H5Dopen2", path) { H5Dopen2(store.file.id, name, pw_H5P_DEFAULT()) }
        let type = try _HDF5Handle(.datatype, "H5Dget_type", path) { H5Dget_type(dataset.id) }
        guard let elementType = _HDF5.elementType(of: type.id) else {
            throw .unsupported(path: path, feature: "an element type that is not a plain integer or float")
        }
        let space = try _HDF5Handle(.dataspace, "H5Dget_space", path) { H5Dget_space(dataset.id) }
        let rank = Int(try _HDF5.call("H5Sget_simple_extent_ndims", path) { H5Sget_simple_extent_ndims(space.id) })
        var dims = [hsize_t](repeating: 0, count: rank), maxDims = dims
        _ = try _HDF5.call("H5Sget_simple_extent_dims", path) { H5Sget_simple_extent_dims(space.id, &dims, &maxDims) }
        let shape = dims.map { Int($0) }
        let dcpl = try _HDF5Handle(.propertyList, "H5Dget_create_plist", path) { H5Dget_create_plist(dataset.id) }
        var chunkShape = shape.map { Swift.max($0, 1) }
        var compression = FileCompression.none
        var checksum = false
        if _HDF5.unchecked({ H5Pget_layout(dcpl.id) }) == H5D_CHUNKED {
            var chunk = [hsize_t](repeating: 0, count: rank)
            _ = try _HDF5.call("H5Pget_chunk", path) { H5Pget_chunk(dcpl.id, Int32(rank), &chunk) }
            chunkShape = chunk.map { Int($0) }
            var flags: UInt32 = 0, count = 1, values: [UInt32] = [0, 0, 0, 0], config: UInt32 = 0
            if _HDF5.unchecked({ H5Pget_filter_by_id2(dcpl.id, H5Z_filter_t(H5Z_FILTER_DEFLATE), &flags, &count, &values, 0, nil, &config) }) >= 0 {
                compression = .deflate(level: Int(values[0]))
            }
            count = 1
            checksum = _HDF5.unchecked({ H5Pget_filter_by_id2(dcpl.id, H5Z_filter_t(H5Z_FILTER_FLETCHER32), &flags, &count, &values, 0, nil, &config) }) >= 0
        }
        let memoryType = _HDF5.nativeType(elementType)
        var fill = [UInt8](repeating: 0, count: 8)
        _ = try _HDF5.call("H5Pget_fill_value", path) { fill.withUnsafeMutableBytes { H5Pget_fill_value(dcpl.id, memoryType, $0.baseAddress) } }
        var names: [String] = []
        if case let .strings(s)? = try _HDF5Attributes.get(dimensionNamesAttribute, on: dataset.id, path: path), s.count == rank {
            names = s
        }
        let d = FileArrayDescription(
            elementType: elementType, shape: shape, chunkShape: chunkShape,
            growable: rank > 0 && maxDims[0] == pw_H5S_UNLIMITED(), compression: compression, checksum: checksum,
            dimensionNames: names, fillValue: fill.withUnsafeBytes { elementType.load(from: $0.baseAddress!) })
        return HDF5Array(store: store, name: name, dataset: dataset, description: d)
    }

    /// Selects the hyperslab `[lower, lower + shape)` of the file space and runs `body` with the
    /// file and memory dataspaces.
    /// An empty box selects nothing on either side (a collective write with nothing to write).
    private func withSelection(lower: [Int], shape: [Int],
                               _ body: (_ file: hid_t, _ memory: hid_t) throws(IOError) -> Void) throws(IOError) {
        let fileSpace = try _HDF5Handle(.dataspace, "H5Dget_space", path) { H5Dget_space(dataset.id) }
        var start = lower.map { hsize_t($0) }, count = shape.map { hsize_t($0) }
        if shape.contains(0) {
            var one: [hsize_t] = [1]
            _ = try _HDF5.call("H5Sselect_none", path) { H5Sselect_none(fileSpace.id) }
            let memorySpace = try _HDF5Handle(.dataspace, "H5Screate_simple", path) { H5Screate_simple(1, &one, nil) }
            _ = try _HDF5.call("H5Sselect_none", path) { H5Sselect_none(memorySpace.id) }
            try body(fileSpace.id, memorySpace.id)
            return
        }
        _ = try _HDF5.call("H5Sselect_hyperslab", path) { H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, &start, nil, &count, nil) }
        let memorySpace = try _HDF5Handle(.dataspace, "H5Screate_simple", path) { H5Screate_simple(Int32(shape.count), &count, nil) }
        try body(fileSpace.id, memorySpace.id)
    }

    /// The ranks whose writes to this array are collective (the store's `.mpi` communicator).
    public var collectiveWriters: MPICommunicator? { store.access.communicator }

    /// Writes a hyperslab (`H5Sselect_hyperslab` + `H5Dwrite`).
    public func write(lower: [Int], shape: [Int], from buffer: UnsafeRawBufferPointer) throws(IOError) {
        try arrayDescription.checkBox(lower: lower, shape: shape, byteCount: buffer.count, path: path)
        guard store.writable else {
            throw .invalidArgument(name: "write to", value: path, requirement: "a store opened with writable: true")
        }
        let collective = store.access.communicator != nil
        if shape.contains(0) && !collective { return }
        let type = memoryType, transfer = store.writeTransfer.id
        try withSelection(lower: lower, shape: shape) { (file, memory) throws(IOError) in
            try _HDF5.writing("H5Dwrite", path) { H5Dwrite(dataset.id, type, memory, file, transfer, buffer.baseAddress) }
        }
    }

    /// Reads a hyperslab (`H5Sselect_hyperslab` + `H5Dread`); ``IOError/corrupt(path:reason:)``
    /// when HDF5 cannot decode the data.
    public func read(lower: [Int], shape: [Int], into buffer: UnsafeMutableRawBufferPointer) throws(IOError) {
        try arrayDescription.checkBox(lower: lower, shape: shape, byteCount: buffer.count, path: path)
        if shape.contains(0) { return }
        let type = memoryType
        try withSelection(lower: lower, shape: shape) { (file, memory) throws(IOError) in
            let status = _HDF5.unchecked { H5Dread(dataset.id, type, memory, file, pw_H5P_DEFAULT(), buffer.baseAddress) }
            // The selection and buffer were checked: a failing read is damaged data (a chunk that
            // does not decompress, a Fletcher-32 mismatch, a file cut short).
            if status < 0 { throw .corrupt(path: path, reason: "H5Dread failed: damaged data (a bad chunk, a Fletcher-32 mismatch, a truncated file)") }
        }
    }

    public func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError) {
        try _HDF5Attributes.set(name, value, on: dataset.id, path: path)
    }

    public func attribute(_ name: String) throws(IOError) -> FileAttribute? {
        try _HDF5Attributes.get(name, on: dataset.id, path: path)
    }

    /// Grows axis 0 (`H5Dset_extent`).
    public func resizeLeadingAxis(to extent: Int) throws(IOError) {
        try arrayDescription.checkLeadingResize(to: extent, path: path)
        var dims = arrayDescription.shape.map { hsize_t($0) }
        dims[0] = hsize_t(extent)
        _ = try _HDF5.call("H5Dset_extent", path) { H5Dset_extent(dataset.id, &dims) }
        arrayDescription.shape[0] = extent
        try growLeadingDimension(to: extent, name: name)
    }

    /// Flushes the dataset (`H5Dflush`) and, with `durable`, the file and an fsync.
    public func flush(durable: Bool) throws(IOError) {
        _ = try _HDF5.call("H5Dflush", path) { H5Dflush(dataset.id) }
        if durable { try store.flush(durable: true) }
    }
}
