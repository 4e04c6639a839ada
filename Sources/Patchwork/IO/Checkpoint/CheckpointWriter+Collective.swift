/// The directories (temporary and final) of the checkpoints this process is writing, which
/// ``Checkpoint/prune(in:keeping:verify:)`` must not take for leftovers.
internal enum _CheckpointWriters {
    static let active = _Lock<Set<String>>([])
}

extension CheckpointWriter {
    /// Runs `body` (on rank 0 only with `rootOnly`); under a communicator every rank then agrees:
    /// this rank's error is thrown, or ``IOError/failedOnOtherRanks(operation:firstRank:failingRanks:)``
    /// when only others failed. Without a communicator, just runs `body`.
    func collectively(_ operation: String, rootOnly: Bool = false, _ body: () throws(IOError) -> Void) throws(IOError) {
        var local: IOError? = nil
        if !rootOnly || rank == 0 {
            do { try body() } catch { local = error }
        }
        guard let communicator, communicator.size > 1 else {
            if let local { throw local }
            return
        }
        do {
            try communicator.agreeOnSuccess(local == nil)
        } catch {
            if let local { throw local }
            if case let .failedOnRanks(first, count) = error {
                throw .failedOnOtherRanks(operation: "checkpoint \(finalPath): \(operation)", firstRank: first, failingRanks: count)
            }
            throw .invalidArgument(name: "agreement on checkpoint \(finalPath): \(operation)", value: "\(error)", requirement: "MPI working")
        }
    }

    /// This rank's process rank (0 without a communicator).
    var rank: Int { communicator?.rank ?? 0 }

    /// The sizes and CRC32Cs every rank computed while writing (paths relative to the checkpoint
    /// directory), gathered on rank 0 (other ranks get an empty dictionary).
    func gatherChecksums(prefix: String) throws(IOError) -> [String: (bytes: Int, crc: UInt32)] {
        var lines = ""
        for (path, value) in ledger.entries where path.hasPrefix(prefix) {
            lines += "\(value.bytes) \(value.crc) \(path.dropFirst(prefix.count))\n"
        }
        var all = [Array(lines.utf8)]
        if let communicator, communicator.size > 1 {
            do { all = try communicator.gather(all[0], root: 0) } catch {
                throw .invalidArgument(name: "gather of checksums of \(finalPath)", value: "\(error)", requirement: "MPI working")
            }
        }
        var known: [String: (bytes: Int, crc: UInt32)] = [:]
        for part in all {
            for line in String(decoding: part, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ", maxSplits: 2)
                guard fields.count == 3, let bytes = Int(fields[0]), let crc = UInt32(fields[1]) else { continue }
                known[String(fields[2])] = (bytes, crc)
            }
        }
        return known
    }
}
