import Synchronization

/// How long tasks run, by name: what decides whether a ready task is short enough to run in place
/// (see `_Runtime+InPlace.swift`).
///
/// Workers time every few runs and keep a moving average per name, in a small table indexed by
/// the name's bits: every task submitted with one string literal as its name (or any name of up
/// to 15 UTF-8 bytes) shares one estimate; a name that finds the slots it may go to taken
/// replaces one of their estimates. A name without an estimate is never taken for short. Reads
/// and updates race benignly (each word is atomic; a lost update only delays the estimate).
final class _TaskLengths: @unchecked Sendable {
    static var slots: Int { 256 }
    /// The slots a name may go to: its own and the next ones.
    static var probes: Int { 4 }
    /// The key of the name in each slot (0: empty).
    private let keys: UnsafeMutablePointer<Atomic<UInt64>>
    /// The average run time in each slot, in nanoseconds.
    private let averages: UnsafeMutablePointer<Atomic<UInt64>>

    init() {
        keys = .allocate(capacity: Self.slots)
        averages = .allocate(capacity: Self.slots)
        for k in 0..<Self.slots {
            (keys + k).initialize(to: Atomic(0))
            (averages + k).initialize(to: Atomic(0))
        }
    }

    deinit {
        keys.deinitialize(count: Self.slots)
        averages.deinitialize(count: Self.slots)
        keys.deallocate()
        averages.deallocate()
    }

    /// The key of `name`: its two words as the string holds them, without the top four bits of
    /// the second (flags that differ between a literal and the same short string made at run
    /// time; a short string's bytes and count are in the rest), mixed (never 0).
    @inline(__always)
    static func key(_ name: String) -> UInt64 {
        withUnsafeBytes(of: name) { bytes in
            let a = bytes.load(as: UInt64.self), b = bytes.load(fromByteOffset: 8, as: UInt64.self) & 0x0FFF_FFFF_FFFF_FFFF
            return ((a &* 0x9E37_79B9_7F4A_7C15) ^ (b &* 0xC2B2_AE3D_27D4_EB4F)) | 1
        }
    }

    /// The slot holding `key`, among the few it may go to, or nil.
    @inline(__always)
    private func slot(of key: UInt64) -> Int? {
        let first = Int(truncatingIfNeeded: key >> 56)
        for probe in 0..<Self.probes {
            let s = (first &+ probe) & (Self.slots - 1)
            if keys[s].load(ordering: .relaxed) == key { return s }
        }
        return nil
    }

    /// True when tasks named `name` have been seen to run in at most `limit` nanoseconds on average.
    @inline(__always)
    func isShort(_ name: String, limit: UInt64) -> Bool {
        guard let s = slot(of: Self.key(name)) else { return false }
        return averages[s].load(ordering: .relaxed) <= limit
    }

    /// Adds a run of `nanoseconds` of a task named `name` to its average (a quarter of the new
    /// run, three quarters of the old average); a new name takes a free slot among those it may
    /// go to, else the first of them.
    func record(_ name: String, nanoseconds: UInt64) {
        let key = Self.key(name)
        if let s = slot(of: key) {
            let old = averages[s].load(ordering: .relaxed)
            averages[s].store(old - old / 4 + nanoseconds / 4, ordering: .relaxed)
            return
        }
        let first = Int(truncatingIfNeeded: key >> 56)
        var s = first & (Self.slots - 1)
        for probe in 0..<Self.probes where keys[(first &+ probe) & (Self.slots - 1)].load(ordering: .relaxed) == 0 {
            s = (first &+ probe) & (Self.slots - 1)
            break
        }
        averages[s].store(nanoseconds, ordering: .relaxed)
        keys[s].store(key, ordering: .relaxed)
    }
}
