#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Array where Element == DataflowTraceEvent {
    /// The events as Chrome trace JSON (`{"traceEvents": [...]}`, complete "X" events, times in
    /// microseconds, one thread per worker), which Perfetto and chrome://tracing open.
    public var chromeTraceJSON: String {
        var out = "{\"traceEvents\":["
        for (k, e) in self.enumerated() {
            if k > 0 { out += "," }
            let ts = Double(e.startNanoseconds) / 1000
            let dur = Double(e.endNanoseconds &- e.startNanoseconds) / 1000
            out += "{\"name\":\"\(Self.escape(e.name))\",\"cat\":\"task\",\"ph\":\"X\",\"pid\":0,\"tid\":\(e.worker)"
            out += ",\"ts\":\(ts),\"dur\":\(dur),\"args\":{\"id\":\(e.taskID),\"failed\":\(e.failed)}}"
        }
        out += "],\"displayTimeUnit\":\"ns\"}"
        return out
    }

    /// Writes ``chromeTraceJSON`` to `path` (events merged from several graphs, say).
    public func writeChromeTrace(to path: String) throws(DataflowError) {
        let json = chromeTraceJSON
        guard let file = fopen(path, "w") else { throw .traceWriteFailed(path: path, errno: errno) }
        defer { fclose(file) }
        let written = json.utf8CString.withUnsafeBufferPointer { fputs($0.baseAddress!, file) }
        if written < 0 { throw .traceWriteFailed(path: path, errno: errno) }
    }

    private static func escape(_ s: String) -> String {
        var r = ""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 { r += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { r.unicodeScalars.append(u) }
            }
        }
        return r
    }
}
