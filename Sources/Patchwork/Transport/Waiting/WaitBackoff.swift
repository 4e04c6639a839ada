#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a rank waits for messages between polls of its transport: spin a little (a message between
/// ranks of one node takes microseconds), then yield, then sleep in short naps, so that ranks
/// outnumbering cores give the processor to the peers whose progress they wait for.
///
/// ```swift
/// var backoff = WaitBackoff()
/// while try !transport.test(request) { backoff.idle() }
/// ```
///
/// Semantics: ``idle()`` after `spins` idle polls calls `sched_yield`, after `spins + yields` it
/// sleeps `napMicroseconds`; ``reset()`` after progress starts over. The defaults come from the
/// `PATCHWORK_WAIT` environment variable when set, as `spins,yields,nap` (for tuning), else
/// 16 spins, 2 yields and 30 µs naps. On 6 ranks on 2 cores (`patchwork bench halo`) napping
/// beats spinning or `sched_yield` alone by 2 to 3 times: a yielding rank still takes its share
/// of the processor from the peer that has to send what it waits for.
///
/// - Complexity: O(1) per call; allocates nothing.
public struct WaitBackoff: Sendable {
    /// Idle polls before yielding.
    public var spins: Int
    /// Yields before napping.
    public var yields: Int
    /// The length of one nap, in microseconds (0: keep yielding).
    public var napMicroseconds: Int
    @usableFromInline var idlePolls = 0

    /// A backoff with the process's defaults (see the type's documentation).
    @inlinable
    public init() {
        (spins, yields, napMicroseconds) = WaitBackoff.defaults
    }

    /// A backoff with explicit limits; negative values count as 0.
    @inlinable
    public init(spins: Int, yields: Int, napMicroseconds: Int) {
        (self.spins, self.yields, self.napMicroseconds) = (max(0, spins), max(0, yields), max(0, napMicroseconds))
    }

    /// Called after a poll that found nothing new.
    @inlinable
    public mutating func idle() {
        switch nextAction {
        case .spin: break
        case .yield: sched_yield()
        case .nap: usleep(UInt32(napMicroseconds))
        }
        idlePolls &+= 1
    }

    /// What the next ``idle()`` does.
    @usableFromInline enum Action: Equatable { case spin, yield, nap }

    /// What the next ``idle()`` does, from the idle polls so far.
    @inlinable
    var nextAction: Action {
        let poll = idlePolls &+ 1
        if poll <= spins { return .spin }
        if poll <= spins &+ yields || napMicroseconds == 0 { return .yield }
        return .nap
    }

    /// Called after a poll that made progress.
    @inlinable
    public mutating func reset() { idlePolls = 0 }

    /// The process-wide defaults, read once from `PATCHWORK_WAIT` (`spins,yields,nap`).
    @usableFromInline
    static let defaults: (Int, Int, Int) = {
        let fallback = (16, 2, 30)
        guard let raw = getenv("PATCHWORK_WAIT") else { return fallback }
        let parts = String(cString: raw).split(separator: ",").map { Int($0) }
        guard parts.count == 3, let s = parts[0], let y = parts[1], let n = parts[2], s >= 0, y >= 0, n >= 0 else { return fallback }
        return (s, y, n)
    }()
}
