extension Checkpoint {
    /// Every file under `directory`, relative paths, sorted.
    static func files(under directory: String, prefix: String = "") throws(IOError) -> [String] {
        var result: [String] = []
        for entry in try _FileSystem.list(directory) {
            let full = directory + "/" + entry
            if _FileSystem.isDirectory(full) { result += try files(under: full, prefix: prefix + entry + "/") }
            else { result.append(prefix + entry) }
        }
        return result
    }

    /// fsyncs every file under `directory` (concurrently), then every directory, `directory` last.
    static func syncTree(_ directory: String) throws(IOError) {
        var files: [String] = [], directories: [String] = []
        func visit(_ d: String) throws(IOError) {
            for entry in try _FileSystem.list(d) {
                let full = d + "/" + entry
                if _FileSystem.isDirectory(full) { try visit(full); directories.append(full) } else { files.append(full) }
            }
        }
        try visit(directory)
        try _FileSystem.syncAll(files)
        try _FileSystem.syncAll(directories)
        try _FileSystem.sync(directory)
    }

    /// Writes `manifest.json` (size and CRC32C of every file) atomically and durably, then fsyncs
    /// the directory: the mark of a complete checkpoint. `known` holds checksums computed while
    /// writing (relative paths); a file with a known entry of its current size is not read back.
    static func writeManifest(in directory: String, step: Int, time: Double,
                              known: [String: (bytes: Int, crc: UInt32)] = [:]) throws(IOError) {
        var entries: [JSON] = []
        for file in try files(under: directory) where file != manifestName {
            let full = directory + "/" + file
            let bytes: Int, crc: UInt32
            if let k = known[file], try _FileSystem.fileSize(full) == k.bytes { (bytes, crc) = k }
            else { (bytes, crc) = try _FileSystem.checksum(of: full) }
            entries.append(.object([("path", .string(file)), ("bytes", .int(Int64(bytes))), ("crc32c", .int(Int64(crc)))]))
        }
        let manifest = JSON.object([
            ("format", .string("patchwork-checkpoint")), ("version", .int(1)),
            ("step", .int(Int64(step))), ("time", .double(time)), ("files", .array(entries)), ("complete", .bool(true)),
        ])
        try _FileSystem.writeFileAtomically(directory + "/" + manifestName, Array(manifest.serialized().utf8) + [0x0A], durable: true)
        try _FileSystem.sync(directory)
    }

    /// Checks that the manifest exists, lists exactly the files present, each of its recorded
    /// size and, with `verify`, of its recorded CRC32C.
    static func checkManifest(in directory: String, verify: Bool) throws(IOError) {
        let manifestPath = directory + "/" + manifestName
        guard _FileSystem.isDirectory(directory) else { throw .fileNotFound(path: directory) }
        guard _FileSystem.exists(manifestPath) else {
            throw .corrupt(path: directory, reason: "incomplete checkpoint: no \(manifestName)")
        }
        guard let json = JSON.parse(try _FileSystem.readFile(manifestPath)), json["complete"] == .bool(true),
              let entries = json["files"]?.arrayValue else {
            throw .corrupt(path: manifestPath, reason: "not a complete Patchwork checkpoint manifest")
        }
        var listed: [String] = []
        for entry in entries {
            guard let file = entry["path"]?.stringValue, let bytes = entry["bytes"]?.intValue,
                  let crc = entry["crc32c"]?.intValue else {
                throw .corrupt(path: manifestPath, reason: "a file entry lacks path, bytes or crc32c")
            }
            listed.append(file)
            let full = directory + "/" + file
            guard _FileSystem.exists(full) else { throw .corrupt(path: full, reason: "listed in the manifest but missing") }
            let size = try _FileSystem.fileSize(full)
            guard size == bytes else { throw .corrupt(path: full, reason: "\(size) bytes, the manifest records \(bytes)") }
            guard verify else { continue }
            let (actualBytes, actualCRC) = try _FileSystem.checksum(of: full)
            guard actualBytes == bytes else {
                throw .corrupt(path: full, reason: "\(actualBytes) bytes, the manifest records \(bytes)")
            }
            guard actualCRC == UInt32(truncatingIfNeeded: crc) else {
                throw .checksumMismatch(path: full, stored: UInt32(truncatingIfNeeded: crc), computed: actualCRC)
            }
        }
        let present = try files(under: directory).filter { $0 != manifestName }
        if let extra = Set(present).subtracting(listed).sorted().first {
            throw .corrupt(path: directory + "/" + extra, reason: "not listed in the manifest")
        }
    }

    /// The committed checkpoint directories in `root` (`ckpt-<step>`), newest step first.
    public static func directories(in root: String) throws(IOError) -> [String] {
        guard _FileSystem.isDirectory(root) else { return [] }
        return try _FileSystem.list(root).filter { $0.hasPrefix("ckpt-") }.sorted(by: >).map { root + "/" + $0 }
    }

    /// The newest checkpoint in `root` that opens and verifies, or nil; incomplete or corrupt
    /// ones are skipped.
    public static func newest(in root: String, verify: Bool = true) throws(IOError) -> Checkpoint? {
        for directory in try directories(in: root) {
            if let checkpoint = try? Checkpoint(at: directory, verify: verify) { return checkpoint }
        }
        return nil
    }

    /// Removes all but the newest `keeping` valid checkpoints of `root` (valid: a complete
    /// manifest listing exactly the files present, of the recorded sizes; with `verify`, of the
    /// recorded checksums too, which reads every kept checkpoint), and the leftovers of writers
    /// that died: `.ckpt-*.partial` directories and `ckpt-*` directories without a manifest.
    /// Invalid checkpoints are not counted; those newer than the oldest kept one stay (for
    /// inspection). The directories of writers active in this process are left alone; writers in
    /// other processes must not share `root`.
    public static func prune(in root: String, keeping: Int, verify: Bool = false) throws(IOError) {
        guard keeping >= 1 else { throw .invalidArgument(name: "checkpoints to keep", value: "\(keeping)", requirement: ">= 1") }
        guard _FileSystem.isDirectory(root) else { return }
        let active = _CheckpointWriters.active.withLock { $0 }
        for entry in try _FileSystem.list(root) where entry.hasPrefix(".ckpt-") && entry.hasSuffix(".partial") {
            if !active.contains(root + "/" + entry) { try _FileSystem.remove(root + "/" + entry) }
        }
        var valid = 0
        for directory in try directories(in: root) where !active.contains(directory) {
            if valid >= keeping || !_FileSystem.exists(directory + "/" + manifestName) {
                try _FileSystem.remove(directory)
            } else if (try? checkManifest(in: directory, verify: verify)) != nil {
                valid += 1
            }
        }
    }
}
