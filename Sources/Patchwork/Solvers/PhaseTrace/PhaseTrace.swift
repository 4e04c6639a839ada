import Foundation

/// Timers around the phases of a run — compute, exchange, I/O — kept as totals and, optionally,
/// as one event per phase occurrence, written as a Chrome trace (`chrome://tracing`, Perfetto).
///
/// ```swift
/// let trace = PhaseTrace(recordingEvents: true)
/// let t0 = trace.now()
/// try exchange.run()
/// trace.record(.exchange, from: t0)          // adds now − t0 to the exchange total
/// print(trace.seconds(.exchange))
/// try trace.writeChromeTrace(to: "trace.json")
/// ```
///
/// Events are `{"name", "ph": "X", "ts", "dur", "pid", "tid"}` in microseconds from the trace's
/// creation; `pid` is the rank. Until the dataflow runtime's own trace replaces it, this is how
/// `patchwork run heat` shows where its time goes. Not thread-safe.
///
/// - Complexity: O(1) per record (an append when recording events: 24 bytes).
public final class PhaseTrace {
    /// The phases timed.
    public enum Phase: Int, Sendable, CaseIterable, CustomStringConvertible {
        case compute, exchange, io
        public var description: String { ["compute", "exchange", "io"][rawValue] }
    }

    /// One timed interval.
    public struct Event: Sendable, Equatable {
        public var phase: Phase
        /// Start, in nanoseconds since the trace began.
        public var start: UInt64
        /// Duration in nanoseconds.
        public var duration: UInt64
        /// The rank that recorded it.
        public var rank: Int
    }

    /// Whether ``record(_:from:)`` keeps events (totals are always kept).
    public let recordingEvents: Bool
    /// The rank recorded in events.
    public let rank: Int
    /// Events recorded so far (empty unless `recordingEvents`).
    public private(set) var events: [Event] = []
    private var totals = [UInt64](repeating: 0, count: Phase.allCases.count)
    private let origin: UInt64

    /// A trace starting now.
    public init(recordingEvents: Bool = false, rank: Int = 0) {
        self.recordingEvents = recordingEvents
        self.rank = rank
        origin = Self.clock()
    }

    /// Monotonic nanoseconds (CLOCK_MONOTONIC).
    @inline(__always)
    static func clock() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
    }

    /// A time stamp for ``record(_:from:)``.
    @inline(__always)
    public func now() -> UInt64 { Self.clock() }

    /// Adds the interval from `start` to now to `phase`; returns now (the next interval's start).
    @discardableResult
    public func record(_ phase: Phase, from start: UInt64) -> UInt64 {
        let end = Self.clock()
        let duration = end &- start
        totals[phase.rawValue] &+= duration
        if recordingEvents {
            events.append(Event(phase: phase, start: start &- origin, duration: duration, rank: rank))
        }
        return end
    }

    /// Seconds spent in `phase` so far.
    public func seconds(_ phase: Phase) -> Double { Double(totals[phase.rawValue]) / 1e9 }

    /// Adds events recorded elsewhere (other ranks' events, gathered).
    public func append(contentsOf others: [Event]) { events.append(contentsOf: others) }

    /// The events as Chrome trace JSON (`{"traceEvents": [...], "displayTimeUnit": "ms"}`).
    public func chromeTraceJSON() -> String {
        var out = "{\"traceEvents\":[\n"
        out.reserveCapacity(80 * events.count + 64)
        for (k, e) in events.enumerated() {
            let ts = String(format: "%.3f", Double(e.start) / 1000)
            let dur = String(format: "%.3f", Double(e.duration) / 1000)
            out += "{\"name\":\"\(e.phase)\",\"ph\":\"X\",\"ts\":\(ts),\"dur\":\(dur),\"pid\":\(e.rank),\"tid\":0}"
            out += k + 1 < events.count ? ",\n" : "\n"
        }
        out += "],\"displayTimeUnit\":\"ms\"}\n"
        return out
    }

    /// Writes ``chromeTraceJSON()`` to `path`; throws ``IOError/system(call:path:errno:)``.
    public func writeChromeTrace(to path: String) throws(IOError) {
        do {
            try chromeTraceJSON().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .system(call: "write", path: path, errno: Int32((error as NSError).code))
        }
    }
}
