/// CRC32C checksums of whole snapshots: each snapshot of a series (index `k` along the leading
/// axis) has the checksum of its bytes, little-endian and row-major as in the file, recorded by
/// ``SnapshotSeries/append(time:step:)`` in the array's `checksums` attribute (one per snapshot).
///
/// ```swift
/// let file = try store.openArray("u")
/// let mismatches = try file.verifySnapshotChecksums().mismatches   // empty: every snapshot intact
/// ```
///
/// These catch what a format's own checks miss (HDF5 without Fletcher-32, raw Zarr chunks, a
/// chunk replaced by a valid one of other data). Cost: reads each snapshot once, in pieces of
/// at most 8 MiB.
extension FileInterface {
    /// The CRC32C of snapshot `index` as it is in the file now.
    public func snapshotChecksum(_ index: Int) throws(IOError) -> UInt32 {
        let d = arrayDescription
        guard d.rank >= 2, (0..<d.shape[0]).contains(index) else {
            throw .invalidArgument(name: "snapshot of \(path)", value: "\(index)", requirement: "in 0..<\(d.rank >= 2 ? d.shape[0] : 0) of a series")
        }
        let rowBytes = d.shape.dropFirst(2).reduce(1, *) * d.elementType.byteCount   // one index along axis 1
        let rows = d.shape[1]
        let piece = Swift.max(1, Swift.min(rows, (8 << 20) / Swift.max(rowBytes, 1)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(piece * rowBytes, 1), alignment: 64)
        defer { buffer.deallocate() }
        var crc = CRC32C()
        var row = 0
        while row < rows {
            let n = Swift.min(piece, rows - row)
            let part = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n * rowBytes])
            try read(lower: [index, row] + Array(repeating: 0, count: d.rank - 2), shape: [1, n] + Array(d.shape.dropFirst(2)), into: part)
            crc.update(UnsafeRawBufferPointer(part))
            row += n
        }
        return crc.value
    }

    /// The recorded checksums (empty when none were recorded).
    public var recordedSnapshotChecksums: [UInt32] {
        get throws(IOError) {
            guard case let .ints(values)? = try attribute("checksums") else { return [] }
            return values.map { UInt32(truncatingIfNeeded: $0) }
        }
    }

    /// Recomputes the checksum of every snapshot that has one recorded and compares.
    public func verifySnapshotChecksums() throws(IOError) -> SnapshotChecksumReport {
        let stored = try recordedSnapshotChecksums
        var report = SnapshotChecksumReport(checked: 0, mismatches: [])
        for (k, value) in stored.enumerated() where k < arrayDescription.shape[0] {
            let computed = try snapshotChecksum(k)
            report.checked += 1
            if computed != value { report.mismatches.append(.init(snapshot: k, stored: value, computed: computed)) }
        }
        return report
    }
}

/// The outcome of ``FileInterface/verifySnapshotChecksums()``: how many snapshots were checked
/// and which did not match their recorded CRC32C. A plain value.
public struct SnapshotChecksumReport: Sendable, Equatable {
    /// One snapshot whose bytes no longer have the recorded checksum.
    public struct Mismatch: Sendable, Equatable {
        public var snapshot: Int
        public var stored: UInt32
        public var computed: UInt32
    }

    /// The number of snapshots with a recorded checksum.
    public var checked: Int
    /// Those whose checksum differs, in order.
    public var mismatches: [Mismatch]
}
