extension ZarrArray {
    /// The array's `zarr.json` (Zarr v3 array metadata).
    internal func metadataJSON() -> JSON {
        let d = arrayDescription
        var codecs: [JSON] = [.object([("name", .string("bytes")), ("configuration", .object([("endian", .string("little"))]))])]
        if case let .zstd(level) = d.compression {
            codecs.append(.object([("name", .string("zstd")),
                                   ("configuration", .object([("level", .int(Int64(level))), ("checksum", .bool(false))]))]))
        }
        if d.checksum { codecs.append(.object([("name", .string("crc32c"))])) }
        let fill: JSON = d.elementType.isFloatingPoint ? .double(d.fillValue) : .int(Int64(d.fillValue))
        var members: [(String, JSON)] = [
            ("zarr_format", .int(3)),
            ("node_type", .string("array")),
            ("shape", .array(d.shape.map { .int(Int64($0)) })),
            ("data_type", .string(d.elementType.name)),
            ("chunk_grid", .object([("name", .string("regular")),
                                    ("configuration", .object([("chunk_shape", .array(d.chunkShape.map { .int(Int64($0)) }))]))])),
            ("chunk_key_encoding", .object([("name", .string("default")),
                                            ("configuration", .object([("separator", .string(separator))]))])),
            ("fill_value", fill),
            ("codecs", .array(codecs)),
            ("attributes", .object(attributes)),
        ]
        if !d.dimensionNames.isEmpty { members.append(("dimension_names", .array(d.dimensionNames.map(JSON.string)))) }
        return .object(members)
    }

    /// Reads Zarr v3 array metadata; throws for anything Patchwork cannot decode.
    internal static func parseMetadata(_ json: JSON, path: String) throws(IOError)
        -> (FileArrayDescription, [(String, JSON)], String) {
        func bad(_ reason: String) -> IOError { .corrupt(path: path, reason: reason) }
        guard json["zarr_format"]?.intValue == 3 else { throw bad("zarr_format is not 3") }
        guard json["node_type"]?.stringValue == "array" else { throw bad("node_type is not \"array\"") }
        guard let shape = json["shape"]?.arrayValue?.compactMap(\.intValue), shape.count == json["shape"]?.arrayValue?.count,
              shape.allSatisfy({ $0 >= 0 }) else { throw bad("shape is not a list of non-negative integers") }
        guard let typeName = json["data_type"]?.stringValue else { throw bad("data_type is missing") }
        guard let elementType = ElementType(name: typeName) else {
            throw .unsupported(path: path, feature: "data_type \(typeName)")
        }
        guard json["chunk_grid"]?["name"]?.stringValue == "regular",
              let chunks = json["chunk_grid"]?["configuration"]?["chunk_shape"]?.arrayValue?.compactMap(\.intValue),
              chunks.count == shape.count, chunks.allSatisfy({ $0 > 0 }) else {
            throw bad("chunk_grid is not a regular grid with \(shape.count) positive sides")
        }
        var separator = "/"
        if let encoding = json["chunk_key_encoding"] {
            guard encoding["name"]?.stringValue == "default" else {
                throw .unsupported(path: path, feature: "chunk_key_encoding \(encoding["name"]?.stringValue ?? "?")")
            }
            separator = encoding["configuration"]?["separator"]?.stringValue ?? "/"
            guard separator == "/" || separator == "." else { throw bad("chunk key separator \(separator)") }
        }
        let fill: Double
        switch json["fill_value"] {
        case let .int(v)?: fill = Double(v)
        case let .double(v)?: fill = v
        case .string("NaN")?: fill = .nan
        case .string("Infinity")?: fill = .infinity
        case .string("-Infinity")?: fill = -.infinity
        case .bool(let b)?: fill = b ? 1 : 0
        default: throw bad("fill_value is missing or not a number")
        }
        guard let codecs = json["codecs"]?.arrayValue, let first = codecs.first,
              first["name"]?.stringValue == "bytes" else {
            throw .unsupported(path: path, feature: "a codec chain not starting with bytes")
        }
        if let endian = first["configuration"]?["endian"]?.stringValue, endian != "little", elementType.byteCount > 1 {
            throw .unsupported(path: path, feature: "\(endian)-endian bytes")
        }
        var compression = FileCompression.none
        var checksum = false
        for codec in codecs.dropFirst() {
            switch codec["name"]?.stringValue {
            case "zstd" where compression == .none && !checksum:
                compression = .zstd(level: codec["configuration"]?["level"]?.intValue ?? 0)
            case "crc32c" where !checksum: checksum = true
            default: throw .unsupported(path: path, feature: "codec \(codec["name"]?.stringValue ?? "?") at this place")
            }
        }
        var attributes: [(String, JSON)] = []
        if case let .object(members)? = json["attributes"] { attributes = members }
        var names: [String] = []
        if let list = json["dimension_names"]?.arrayValue, list.count == shape.count {
            names = list.map { $0.stringValue ?? "" }
            if names.allSatisfy(\.isEmpty) { names = [] }
        }
        // Zarr arrays can always grow; Patchwork lets axis 0 grow.
        let d = FileArrayDescription(elementType: elementType, shape: shape, chunkShape: chunks, growable: true,
                                     compression: compression, checksum: checksum, dimensionNames: names, fillValue: fill)
        return (d, attributes, separator)
    }
}
