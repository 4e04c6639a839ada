import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Attribute reading and writing on any HDF5 object (a dataset or the root group).
internal enum _HDF5Attributes {
    /// Creates or replaces the attribute `name` of `object`.
    static func set(_ name: String, _ value: FileAttribute, on object: hid_t, path: String) throws(IOError) {
        if try _HDF5.call("H5Aexists", path, { H5Aexists(object, name) }) > 0 {
            _ = try _HDF5.call("H5Adelete", path) { H5Adelete(object, name) }
        }
        switch value {
        case let .int(v): try write(name, [v], scalar: true, type: _HDF5.nativeType(.int64), object, path)
        case let .ints(v): try write(name, v, scalar: false, type: _HDF5.nativeType(.int64), object, path)
        case let .double(v): try write(name, [v], scalar: true, type: _HDF5.nativeType(.float64), object, path)
        case let .doubles(v): try write(name, v, scalar: false, type: _HDF5.nativeType(.float64), object, path)
        case let .string(s): try writeStrings(name, [s], scalar: true, object, path)
        case let .strings(s): try writeStrings(name, s, scalar: false, object, path)
        }
    }

    private static func space(count: Int, scalar: Bool, path: String) throws(IOError) -> _HDF5Handle {
        if scalar { return try _HDF5Handle(.dataspace, "H5Screate", path) { H5Screate(H5S_SCALAR) } }
        if count == 0 { return try _HDF5Handle(.dataspace, "H5Screate", path) { H5Screate(H5S_NULL) } }
        var dims = [hsize_t(count)]
        return try _HDF5Handle(.dataspace, "H5Screate_simple", path) { H5Screate_simple(1, &dims, nil) }
    }

    private static func write<T: BitwiseCopyable>(_ name: String, _ values: [T], scalar: Bool, type: hid_t,
                                                  _ object: hid_t, _ path: String) throws(IOError) {
        let space = try space(count: values.count, scalar: scalar, path: path)
        let attribute = try _HDF5Handle(.attribute, "H5Acreate2", path) {
            H5Acreate2(object, name, type, space.id, pw_H5P_DEFAULT(), pw_H5P_DEFAULT())
        }
        if values.isEmpty { return }
        _ = try _HDF5.call("H5Awrite", path) { values.withUnsafeBytes { H5Awrite(attribute.id, type, $0.baseAddress) } }
    }

    private static func stringType(path: String) throws(IOError) -> _HDF5Handle {
        let type = try _HDF5Handle(.datatype, "H5Tcopy", path) { H5Tcopy(pw_H5T_C_S1()) }
        _ = try _HDF5.call("H5Tset_size", path) { H5Tset_size(type.id, pw_H5T_VARIABLE()) }
        _ = try _HDF5.call("H5Tset_cset", path) { H5Tset_cset(type.id, H5T_CSET_UTF8) }
        return type
    }

    private static func writeStrings(_ name: String, _ values: [String], scalar: Bool,
                                     _ object: hid_t, _ path: String) throws(IOError) {
        let type = try stringType(path: path)
        let space = try space(count: values.count, scalar: scalar, path: path)
        let attribute = try _HDF5Handle(.attribute, "H5Acreate2", path) {
            H5Acreate2(object, name, type.id, space.id, pw_H5P_DEFAULT(), pw_H5P_DEFAULT())
        }
        if values.isEmpty { return }
        let cStrings: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        _ = try _HDF5.call("H5Awrite", path) { cStrings.withUnsafeBytes { H5Awrite(attribute.id, type.id, $0.baseAddress) } }
    }

    /// The attribute `name` of `object`, or nil when it does not exist.
    static func get(_ name: String, on object: hid_t, path: String) throws(IOError) -> FileAttribute? {
        guard try _HDF5.call("H5Aexists", path, { H5Aexists(object, name) }) > 0 else { return nil }
        let attribute = try _HDF5Handle(.attribute, "H5Aopen", path) { H5Aopen(object, name, pw_H5P_DEFAULT()) }
        let type = try _HDF5Handle(.datatype, "H5Aget_type", path) { H5Aget_type(attribute.id) }
        let space = try _HDF5Handle(.dataspace, "H5Aget_space", path) { H5Aget_space(attribute.id) }
        let scalar = try _HDF5.call("H5Sget_simple_extent_type", path) { H5Sget_simple_extent_type(space.id).rawValue } == H5S_SCALAR.rawValue
        let count = Int(try _HDF5.call("H5Sget_simple_extent_npoints", path) { H5Sget_simple_extent_npoints(space.id) })
        switch _HDF5.unchecked({ H5Tget_class(type.id) }) {
        case H5T_INTEGER:
            var values = [Int64](repeating: 0, count: count)
            if count > 0 {
                let memType = _HDF5.nativeType(.int64)
                _ = try _HDF5.call("H5Aread", path) { values.withUnsafeMutableBytes { H5Aread(attribute.id, memType, $0.baseAddress) } }
            }
            return scalar ? .int(values[0]) : .ints(values)
        case H5T_FLOAT:
            var values = [Double](repeating: 0, count: count)
            if count > 0 {
                let memType = _HDF5.nativeType(.float64)
                _ = try _HDF5.call("H5Aread", path) { values.withUnsafeMutableBytes { H5Aread(attribute.id, memType, $0.baseAddress) } }
            }
            return scalar ? .double(values[0]) : .doubles(values)
        case H5T_STRING:
            let strings = try readStrings(attribute.id, type.id, space.id, count: count, path: path)
            return scalar ? .string(strings[0]) : .strings(strings)
        default:
            throw .unsupported(path: path, feature: "attribute \(name) of a non-numeric, non-string type")
        }
    }

    private static func readStrings(_ attribute: hid_t, _ fileType: hid_t, _ space: hid_t, count: Int,
                                    path: String) throws(IOError) -> [String] {
        if count == 0 { return [] }
        if try _HDF5.call("H5Tis_variable_str", path, { H5Tis_variable_str(fileType) }) > 0 {
            let memType = try stringType(path: path)
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            _ = try _HDF5.call("H5Aread", path) { pointers.withUnsafeMutableBytes { H5Aread(attribute, memType.id, $0.baseAddress) } }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            _ = _HDF5.unchecked { pointers.withUnsafeMutableBytes { H5Dvlen_reclaim(memType.id, space, pw_H5P_DEFAULT(), $0.baseAddress) } }
            return strings
        }
        // Fixed-length strings: `size` bytes each, NUL-padded.
        let size = _HDF5.unchecked { H5Tget_size(fileType) }
        var bytes = [UInt8](repeating: 0, count: count * size)
        _ = try _HDF5.call("H5Aread", path) { bytes.withUnsafeMutableBytes { H5Aread(attribute, fileType, $0.baseAddress) } }
        return (0..<count).map { i in
            String(decoding: bytes[i * size..<(i + 1) * size].prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
