/// A Zarr v3 directory store whose root is a group: several named arrays (sub-directories) and
/// root attributes, readable by `zarr.open_group` and `xarray.open_zarr`.
///
/// ```swift
/// let store = try ZarrStore.create(at: "/tmp/run.zarr")
/// let t = try FileArray<Double, 2>.create(in: store, name: "T", shape: Point(64, 64),
///                                         options: .init(chunks: Point(32, 32), compression: .zstd(level: 1),
///                                                        dimensionNames: ["y", "x"]))
/// ```
///
/// Names may contain `/` (nested groups are created with their own `zarr.json`). Metadata files
/// are replaced atomically. Not thread-safe; open arrays are independent objects.
public final class ZarrStore: FileStore {
    public let path: String
    internal var attributes: [(String, JSON)]
    /// Sizes and checksums of every file written through this store and its arrays, when asked.
    internal var ledger: _ChecksumLedger?

    private init(path: String, attributes: [(String, JSON)]) {
        self.path = path
        self.attributes = attributes
    }

    /// Creates the store directory (and parents) with a root group `zarr.json`; with `overwrite`
    /// an existing store there is removed first, otherwise ``IOError/alreadyExists(path:)``.
    public static func create(at path: String, overwrite: Bool = true) throws(IOError) -> ZarrStore {
        if _FileSystem.exists(path) {
            guard overwrite else { throw .alreadyExists(path: path) }
            let isDirectory = _FileSystem.isDirectory(path)
            let isStore = _FileSystem.exists(path + "/zarr.json")
            let isEmpty = isDirectory ? try _FileSystem.list(path).isEmpty : false
            guard isDirectory, isStore || isEmpty else {
                throw .invalidArgument(name: "store path", value: path, requirement: "a Zarr store or an empty directory to overwrite")
            }
            try _FileSystem.remove(path)
        }
        try _FileSystem.makeDirectories(path)
        let store = ZarrStore(path: path, attributes: [])
        try store.writeGroup(path, attributes: [])
        return store
    }

    /// Opens an existing store whose root is a group.
    public static func open(at path: String) throws(IOError) -> ZarrStore {
        let file = path + "/zarr.json"
        guard _FileSystem.exists(file) else { throw .fileNotFound(path: file) }
        guard let json = JSON.parse(try _FileSystem.readFile(file)) else { throw .corrupt(path: file, reason: "not valid JSON") }
        guard json["zarr_format"]?.intValue == 3, json["node_type"]?.stringValue == "group" else {
            throw .corrupt(path: file, reason: "not a Zarr v3 group")
        }
        var attributes: [(String, JSON)] = []
        if case let .object(members)? = json["attributes"] { attributes = members }
        return ZarrStore(path: path, attributes: attributes)
    }

    private func writeGroup(_ directory: String, attributes: [(String, JSON)]) throws(IOError) {
        let json = JSON.object([("zarr_format", .int(3)), ("node_type", .string("group")), ("attributes", .object(attributes))])
        let bytes = Array(json.serialized().utf8) + [0x0A]
        try _FileSystem.writeFileAtomically(directory + "/zarr.json", bytes, durable: false)
        if let ledger { bytes.withUnsafeBytes { ledger.record(directory + "/zarr.json", [$0]) } }
    }

    private func checkName(_ name: String) throws(IOError) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix("__") }) else {
            throw .invalidArgument(name: "array name", value: "\"\(name)\"", requirement: "non-empty parts separated by /")
        }
    }

    public func createArray(_ name: String, _ description: FileArrayDescription) throws(IOError) -> any FileInterface {
        try checkName(name)
        // Intermediate groups get their own zarr.json so zarr-python sees the hierarchy.
        var directory = path
        for part in name.split(separator: "/").dropLast() {
            directory += "/" + part
            if !_FileSystem.exists(directory + "/zarr.json") {
                try _FileSystem.makeDirectories(directory)
                try writeGroup(directory, attributes: [])
            }
        }
        return try ZarrArray.create(at: path + "/" + name, description, overwrite: false, ledger: ledger)
    }

    public func openArray(_ name: String) throws(IOError) -> any FileInterface {
        try checkName(name)
        let array = try ZarrArray.open(at: path + "/" + name)
        array.ledger = ledger
        return array
    }

    public func arrayNames() throws(IOError) -> [String] {
        var names: [String] = []
        func visit(_ directory: String, _ prefix: String) throws(IOError) {
            for entry in try _FileSystem.list(directory) where _FileSystem.isDirectory(directory + "/" + entry) {
                let sub = directory + "/" + entry
                guard _FileSystem.exists(sub + "/zarr.json"),
                      let json = JSON.parse(try _FileSystem.readFile(sub + "/zarr.json")) else { continue }
                switch json["node_type"]?.stringValue {
                case "array": names.append(prefix + entry)
                case "group": try visit(sub, prefix + entry + "/")
                default: break
                }
            }
        }
        try visit(path, "")
        return names.sorted()
    }

    public func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError) {
        var updated = attributes
        if let i = updated.firstIndex(where: { $0.0 == name }) { updated[i].1 = value.json }
        else { updated.append((name, value.json)) }
        try writeGroup(path, attributes: updated)
        attributes = updated
    }

    public func attribute(_ name: String) throws(IOError) -> FileAttribute? {
        guard let json = attributes.first(where: { $0.0 == name })?.1 else { return nil }
        guard let value = FileAttribute(json: json) else {
            throw .unsupported(path: path, feature: "attribute \(name) holding \(json.serialized())")
        }
        return value
    }

    /// fsyncs (with `durable`) every file and directory of the store; arrays opened from it flush
    /// themselves as well (``ZarrArray/flush(durable:)``), which is cheaper.
    public func flush(durable: Bool = false) throws(IOError) {
        guard durable else { return }
        try Checkpoint.syncTree(path)
    }
}
