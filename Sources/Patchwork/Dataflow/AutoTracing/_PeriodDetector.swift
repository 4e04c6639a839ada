/// Finds the period of the stream of submitted tasks from their signature hashes: the smallest
/// distance `P` such that the last `P` tasks repeat the `P` before them.
///
/// Each task is keyed by the hashes of the last ``window`` tasks (a task alone may occur several
/// times in one period; a run of them rarely does). When a task's key was last seen `P` tasks ago,
/// `P` becomes the candidate, and every following task whose hash equals the one `P` tasks back
/// extends its run; a mismatch drops it. A run of `P` tasks is a detected period.
///
/// Guarded by the graph's submission lock.
final class _PeriodDetector {
    /// The longest period detected.
    static var maxPeriod: Int { 4096 }
    /// The number of hashes that key a position.
    static var window: Int { 8 }
    private static var historyMask: Int { 2 * maxPeriod - 1 }
    private static var tableMask: Int { 2 * maxPeriod - 1 }

    /// The hashes of the last `2 × maxPeriod` tasks, by position.
    private let history = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * maxPeriod)
    /// Direct-mapped: a window key and the position where it was last seen.
    private let lastSeen = UnsafeMutablePointer<(key: UInt64, position: Int)>.allocate(capacity: 2 * maxPeriod)
    private var position = 0
    private var period = 0
    private var run = 0

    init() {
        history.initialize(repeating: 0, count: 2 * Self.maxPeriod)
        lastSeen.initialize(repeating: (0, -1), count: 2 * Self.maxPeriod)
    }

    deinit {
        history.deallocate()
        lastSeen.deallocate()
    }

    /// The hash of the task `distance` tasks before the next one (1: the last one).
    func hash(back distance: Int) -> UInt64 { history[(position - distance) & Self.historyMask] }

    /// Adds the next task's hash; returns the period when the last `period` tasks (this one
    /// included) repeat the ones before them.
    func observe(_ hash: UInt64) -> Int? {
        let n = position
        if period > 0 && history[(n - period) & Self.historyMask] == hash {
            run += 1
        } else {
            period = 0
            run = 0
        }
        history[n & Self.historyMask] = hash
        position += 1
        guard position >= Self.window else { return nil }
        var key: UInt64 = 0x9E37_79B9_7F4A_7C15
        for d in 1...Self.window { key = (key ^ history[(position - d) & Self.historyMask]) &* 0x1000_0000_01B3 }
        let slot = Int(truncatingIfNeeded: key >> 17) & Self.tableMask
        let seen = lastSeen[slot]
        lastSeen[slot] = (key, n)
        if period == 0, seen.key == key, seen.position >= 0, n - seen.position <= Self.maxPeriod {
            // The last `window` tasks repeat those `n - seen.position` tasks back.
            period = n - seen.position
            run = Self.window
        }
        guard period > 0, run >= period else { return nil }
        let found = period
        period = 0
        run = 0
        return found
    }

    /// Forgets the current candidate (the stream was interrupted).
    func reset() {
        period = 0
        run = 0
    }
}
