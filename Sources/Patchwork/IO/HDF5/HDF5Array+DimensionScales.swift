import CHDF5

/// Named axes as HDF5 dimension scales, the netCDF-4 way, so that h5netcdf (xarray's
/// `engine="h5netcdf"`) and netCDF readers name the axes (the corresponding HDF5 HL functions are
/// `H5DSset_scale` and `H5DSattach_scale`).
///
/// Axis `i` named `d` is attached to the dataset `d` in the array's group: a 1-D array named like
/// its only axis is its own scale (a coordinate variable, such as a snapshot series' `time`);
/// otherwise an existing scale `d` is reused, or a "pure" dimension is created (a small dataset
/// that is not data, marked by netCDF's `NAME` text so readers skip it). One name has one size
/// per group, as in netCDF; a growable leading axis makes an unlimited dimension.
extension HDF5Array {
    /// netCDF-4's `NAME` text of a dimension that is not a variable (netCDF-C and h5netcdf).
    internal static let pureDimensionName = "This is a netCDF dimension but not a netCDF variable."

    /// The group part of a dataset name (`fields/a` → `fields`, `a` → ``).
    internal static func groupPrefix(of name: String) -> String {
        guard let slash = name.lastIndex(of: "/") else { return "" }
        return String(name[..<slash])
    }

    /// The dataset holding the scale of dimension `dimension` for an array named `name`.
    internal static func scaleName(_ dimension: String, besides name: String) -> String {
        let group = groupPrefix(of: name)
        return group.isEmpty ? dimension : group + "/" + dimension
    }

    /// Attaches one dimension scale per named axis of the new dataset `name` (see the extension's
    /// summary). Throws ``IOError/invalidArgument(name:value:requirement:)`` when a name holds
    /// `/`, names a dataset that is not a dimension scale, or a fixed dimension of another size.
    static func attachDimensionScales(_ dataset: hid_t, name: String, _ d: FileArrayDescription,
                                      in store: HDF5Store, path: String) throws(IOError) {
        let baseName = name.split(separator: "/").last.map(String.init) ?? name
        for (axis, dimension) in d.dimensionNames.enumerated() where !dimension.isEmpty {
            guard !dimension.contains("/") else {
                throw .invalidArgument(name: "dimension name of \(path)", value: "\"\(dimension)\"", requirement: "without /")
            }
            if d.rank == 1, dimension == baseName {
                _ = try _HDF5.call("H5DSset_scale", path) { H5DSset_scale(dataset, dimension) }
                continue
            }
            let scale = try scaleToAttach(dimension, size: d.shape[axis], unlimited: d.growable && axis == 0,
                                          besides: name, in: store, path: path)
            _ = try _HDF5.call("H5DSattach_scale", path) { H5DSattach_scale(dataset, scale.id, UInt32(axis)) }
        }
    }

    /// The existing scale of `dimension` in the group of `name` (checked: a scale, of `size`
    /// unless unlimited), or a new pure dimension.
    private static func scaleToAttach(_ dimension: String, size: Int, unlimited: Bool, besides name: String,
                                      in store: HDF5Store, path: String) throws(IOError) -> _HDF5Handle {
        let scalePath = scaleName(dimension, besides: name)
        guard try store.exists(scalePath) else {
            return try createPureDimension(scalePath, size: size, unlimited: unlimited, in: store, path: path)
        }
        let scale = try _HDF5Handle(.dataset, "H5Dopen2", path) { H5Dopen2(store.file.id, scalePath, pw_H5P_DEFAULT()) }
        guard try _HDF5.call("H5DSis_scale", path, { H5DSis_scale(scale.id) }) > 0 else {
            throw .invalidArgument(name: "dimension name of \(path)", value: "\"\(dimension)\"",
                                   requirement: "not the name of a dataset that is not a dimension (\(store.path):/\(scalePath))")
        }
        let (existing, scaleUnlimited) = try extent(of: scale.id, path: path)
        guard unlimited || scaleUnlimited || existing == size else {
            throw .invalidArgument(name: "size of dimension \(dimension) of \(path)", value: "\(size)",
                                   requirement: "\(existing), the size of \(dimension) in this group (one size per dimension name)")
        }
        return scale
    }

    /// A 1-D dataset that only stands for a dimension (netCDF's "pure" dimension).
    private static func createPureDimension(_ scalePath: String, size: Int, unlimited: Bool,
                                            in store: HDF5Store, path: String) throws(IOError) -> _HDF5Handle {
        var dims = [hsize_t(size)], maxDims = [unlimited ? pw_H5S_UNLIMITED() : hsize_t(size)]
        let space = try _HDF5Handle(.dataspace, "H5Screate_simple", path) { H5Screate_simple(1, &dims, &maxDims) }
        let dcpl = try _HDF5Handle(.propertyList, "H5Pcreate(H5P_DATASET_CREATE)", path) { H5Pcreate(pw_H5P_DATASET_CREATE()) }
        if unlimited {
            var chunk: [hsize_t] = [1024]
            _ = try _HDF5.call("H5Pset_chunk", path) { H5Pset_chunk(dcpl.id, 1, &chunk) }
        }
        let type = _HDF5.nativeType(.float32)
        let scale = try _HDF5Handle(.dataset, "H5Dcreate2", path) {
            H5Dcreate2(store.file.id, scalePath, type, space.id, pw_H5P_DEFAULT(), dcpl.id, pw_H5P_DEFAULT())
        }
        let digits = String(size)
        let label = pureDimensionName + String(repeating: " ", count: Swift.max(0, 10 - digits.count)) + digits
        _ = try _HDF5.call("H5DSset_scale", path) { H5DSset_scale(scale.id, label) }
        return scale
    }

    /// The size of a 1-D dataset and whether it is unlimited.
    private static func extent(of dataset: hid_t, path: String) throws(IOError) -> (size: Int, unlimited: Bool) {
        let space = try _HDF5Handle(.dataspace, "H5Dget_space", path) { H5Dget_space(dataset) }
        var dims: [hsize_t] = [0], maxDims: [hsize_t] = [0]
        let rank = try _HDF5.call("H5Sget_simple_extent_ndims", path) { H5Sget_simple_extent_ndims(space.id) }
        guard rank == 1 else { return (-1, false) }
        _ = try _HDF5.call("H5Sget_simple_extent_dims", path) { H5Sget_simple_extent_dims(space.id, &dims, &maxDims) }
        return (Int(dims[0]), maxDims[0] == pw_H5S_UNLIMITED())
    }

    /// Grows the unlimited pure dimension of axis 0 (if any) to at least `extent`, so netCDF
    /// readers that take a dimension's size from its scale see the array's length.
    internal func growLeadingDimension(to extent: Int, name: String) throws(IOError) {
        guard let dimension = arrayDescription.dimensionNames.first, !dimension.isEmpty,
              !(arrayDescription.rank == 1 && name.split(separator: "/").last.map(String.init) == dimension) else { return }
        let scalePath = Self.scaleName(dimension, besides: name)
        guard try store.exists(scalePath) else { return }
        let scale = try _HDF5Handle(.dataset, "H5Dopen2", path) { H5Dopen2(store.file.id, scalePath, pw_H5P_DEFAULT()) }
        let (size, unlimited) = try Self.extent(of: scale.id, path: path)
        guard unlimited, size < extent,
              case let .string(label)? = try _HDF5Attributes.get("NAME", on: scale.id, path: path),
              label.hasPrefix(Self.pureDimensionName) else { return }
        var dims = [hsize_t(extent)]
        _ = try _HDF5.call("H5Dset_extent", path) { H5Dset_extent(scale.id, &dims) }
    }

    /// True when `dataset` is a netCDF pure dimension (a scale that holds no data).
    internal static func isPureDimension(_ dataset: hid_t, path: String) throws(IOError) -> Bool {
        guard try _HDF5.call("H5Aexists", path, { H5Aexists(dataset, "NAME") }) > 0,
              case let .string(label)? = try _HDF5Attributes.get("NAME", on: dataset, path: path) else { return false }
        return label.hasPrefix(pureDimensionName)
    }
}
