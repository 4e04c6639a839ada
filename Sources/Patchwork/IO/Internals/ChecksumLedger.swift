/// The size and CRC32C of every file a store wrote, computed from the bytes while writing them,
/// so a checkpoint manifest need not read its files back. Shared by a ``ZarrStore`` and its
/// arrays; an entry is replaced whenever its file is rewritten.
internal final class _ChecksumLedger {
    var entries: [String: (bytes: Int, crc: UInt32)] = [:]

    /// Records a file written from `parts` (concatenated).
    func record(_ path: String, _ parts: [UnsafeRawBufferPointer]) {
        var crc = CRC32C(), bytes = 0
        for part in parts { crc.update(part); bytes += part.count }
        entries[path] = (bytes, crc.value)
    }
}
