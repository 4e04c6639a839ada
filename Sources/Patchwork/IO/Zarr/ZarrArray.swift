/// One Zarr v3 array in a directory store, written natively: `zarr.json` metadata and one file
/// per chunk (`c/i/j/...`), each encoded by the `bytes` codec (little-endian), optionally `zstd`,
/// optionally followed by a `crc32c` checksum.
///
/// ```swift
/// let a = try ZarrArray.create(at: "/tmp/u.zarr",
///     FileArrayDescription(elementType: .float32, shape: [100, 100], chunkShape: [32, 32],
///                          compression: .zstd(level: 3), checksum: true, dimensionNames: ["y", "x"]))
/// let u = try FileArray<Float, 2>(a)
/// ```
///
/// Edge chunks are stored full-size, padded with the fill value; a chunk never written reads as
/// the fill value. Writing a box that covers a chunk only in part reads, modifies and rewrites
/// that chunk. Every chunk and metadata file is replaced atomically (written under a temporary
/// name, then renamed), so a failed write leaves the previous data intact; ``flush(durable:)``
/// fsyncs what was written. zarr-python and xarray read these arrays. Not thread-safe.
/// - Complexity: a write or read touches each chunk the box meets once.
public final class ZarrArray: FileInterface {
    public let path: String
    public internal(set) var arrayDescription: FileArrayDescription
    /// The `attributes` object of `zarr.json`, in order, including entries Patchwork cannot type.
    internal var attributes: [(String, JSON)]
    /// The separator of chunk keys ("/" when writing; "." is read too).
    internal var separator: String
    /// Directories of chunk files known to exist.
    internal var knownDirectories: Set<String> = []
    /// Files written since the last durable flush.
    internal var unsynced: Set<String> = []
    /// Sizes and checksums of the files written, when the store keeps them (checkpoints, whose
    /// directory is committed atomically as a whole: chunks are then written in place).
    internal var ledger: _ChecksumLedger?
    /// Reused buffers: one decoded chunk, and the encoded output.
    internal var chunkBuffer: [UInt8] = []
    internal var encodeBuffer: [UInt8] = []

    internal init(path: String, description: FileArrayDescription, attributes: [(String, JSON)], separator: String) {
        self.path = path
        self.arrayDescription = description
        self.attributes = attributes
        self.separator = separator
    }

    /// Creates an array in the directory `path` (made with its parents when missing); throws
    /// ``IOError/alreadyExists(path:)`` when a Zarr node is there and `overwrite` is false.
    public static func create(at path: String, _ description: FileArrayDescription,
                              overwrite: Bool = false) throws(IOError) -> ZarrArray {
        try create(at: path, description, overwrite: overwrite, ledger: nil)
    }

    internal static func create(at path: String, _ description: FileArrayDescription,
                                overwrite: Bool, ledger: _ChecksumLedger?) throws(IOError) -> ZarrArray {
        try description.validate(path: path)
        if case .deflate = description.compression {
            throw .unsupported(path: path, feature: "deflate compression (use .zstd)")
        }
        if _FileSystem.exists(path + "/zarr.json") {
            guard overwrite else { throw .alreadyExists(path: path) }
            try _FileSystem.remove(path)
        }
        try _FileSystem.makeDirectories(path)
        let array = ZarrArray(path: path, description: description, attributes: [], separator: "/")
        array.ledger = ledger
        try array.writeMetadata()
        return array
    }

    /// Opens the array in the directory `path`; ``IOError/fileNotFound(path:)`` when there is none,
    /// ``IOError/corrupt(path:reason:)`` or ``IOError/unsupported(path:feature:)`` for metadata
    /// Patchwork cannot read.
    public static func open(at path: String) throws(IOError) -> ZarrArray {
        let metadataPath = path + "/zarr.json"
        guard _FileSystem.exists(metadataPath) else { throw .fileNotFound(path: metadataPath) }
        let bytes = try _FileSystem.readFile(metadataPath)
        guard let json = JSON.parse(bytes) else { throw .corrupt(path: metadataPath, reason: "not valid JSON") }
        let (description, attributes, separator) = try parseMetadata(json, path: metadataPath)
        return ZarrArray(path: path, description: description, attributes: attributes, separator: separator)
    }

    public func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError) {
        let old = attributes
        if let i = attributes.firstIndex(where: { $0.0 == name }) { attributes[i].1 = value.json }
        else { attributes.append((name, value.json)) }
        do { try writeMetadata() } catch { attributes = old; throw error }
    }

    public func attribute(_ name: String) throws(IOError) -> FileAttribute? {
        guard let json = attributes.first(where: { $0.0 == name })?.1 else { return nil }
        guard let value = FileAttribute(json: json) else {
            throw .unsupported(path: path, feature: "attribute \(name) holding \(json.serialized())")
        }
        return value
    }

    /// Grows axis 0 by rewriting `shape` in `zarr.json` (chunks are unaffected).
    public func resizeLeadingAxis(to extent: Int) throws(IOError) {
        try arrayDescription.checkLeadingResize(to: extent, path: path)
        let old = arrayDescription.shape[0]
        arrayDescription.shape[0] = extent
        do { try writeMetadata() } catch { arrayDescription.shape[0] = old; throw error }
    }

    /// Chunk and metadata files are already handed to the OS on write; `durable` fsyncs those
    /// written since the last durable flush, then their directories.
    public func flush(durable: Bool) throws(IOError) {
        guard durable else { return }
        var directories: Set<String> = [path]
        for file in unsynced {
            if let slash = file.lastIndex(of: "/") { directories.insert(String(file[..<slash])) }
        }
        try _FileSystem.syncAll(unsynced.sorted())
        try _FileSystem.syncAll(directories.sorted())
        unsynced.removeAll()
    }

    /// Writes `zarr.json` atomically.
    internal func writeMetadata() throws(IOError) {
        let file = path + "/zarr.json"
        let bytes = Array(metadataJSON().serialized().utf8) + [0x0A]
        try _FileSystem.writeFileAtomically(file, bytes, durable: false)
        if let ledger { bytes.withUnsafeBytes { ledger.record(file, [$0]) } }
        unsynced.insert(file)
    }
}
