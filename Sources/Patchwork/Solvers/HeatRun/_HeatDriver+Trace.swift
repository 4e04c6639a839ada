/// Worker-seconds a rank's graph spent in each kind of task of a heat run.
struct _TaskSeconds {
    var compute = 0.0
    var exchange = 0.0
    var io = 0.0
}

extension _HeatDriver {
    /// Task names: the sweeps, the halo exchange's tasks (`"halo: copy"`, `"halo: send to 1"`, …)
    /// and the output phases (`"io: snapshot"`, …); the summary's shares follow from them.
    static var sweepTask: String { "sweep" }
    static var haloTask: String { "halo" }
    static var ioTaskPrefix: String { "io: " }

    /// Runs `body` as a task of the graph once every submitted task has finished, and waits for
    /// it, so that output shows in the trace as a task (`"io: <name>"`) like the rest of the run.
    func inIOTask(_ name: String, _ body: @escaping () throws(HeatRunError) -> Void) throws(HeatRunError) {
        try drain()
        let outcome = _IOTaskOutcome()
        do throws(DataflowError) {
            let task = try graph._submit(name: Self.ioTaskPrefix + name, space: .host, []) { _ in
                do throws(HeatRunError) { try body() } catch { outcome.error = error }
            }
            try graph.wait(for: task)
        } catch { throw .dataflow(error) }
        if let error = outcome.error { throw error }
        foldTrace(final: false)
    }

    /// Adds the task runs recorded so far to ``taskSeconds`` and forgets them — unless a trace
    /// file is asked for, in which case every run is kept and counted once, at the end (`final`).
    func foldTrace(final: Bool) {
        let keeping = options.trace != nil
        if keeping && !final { return }
        for event in graph.traceEvents {
            let seconds = Double(event.endNanoseconds &- event.startNanoseconds) / 1e9
            if event.name == Self.sweepTask {
                taskSeconds.compute += seconds
            } else if event.name.hasPrefix(Self.haloTask) {
                taskSeconds.exchange += seconds
            } else if event.name.hasPrefix(Self.ioTaskPrefix) {
                taskSeconds.io += seconds
            }
        }
        if !keeping { graph.clearTrace() }
    }

    /// Writes the graph's Chrome trace to `path`. Under MPI rank 0 gathers every rank's task runs
    /// and writes them into one file, rank `r`'s workers as threads `r · 1000 + worker`.
    func writeTrace(to path: String) throws(HeatRunError) {
        guard let communicator else {
            do { try graph.writeChromeTrace(to: path) } catch { throw .dataflow(error) }
            return
        }
        let events = graph.traceEvents
        var names: [String] = []
        var nameIndex: [String: Int] = [:]
        var flat: [UInt64] = []
        flat.reserveCapacity(5 * events.count)
        for e in events {
            let k: Int
            if let known = nameIndex[e.name] { k = known } else { k = names.count; nameIndex[e.name] = k; names.append(e.name) }
            flat += [UInt64(k), UInt64(e.taskID), UInt64(e.worker), e.startNanoseconds, e.endNanoseconds &* 2 &+ (e.failed ? 1 : 0)]
        }
        let allFlat: [[UInt64]], allNames: [[UInt8]]
        do {
            allFlat = try communicator.gather(flat, root: 0)
            allNames = try communicator.gather(Array(names.joined(separator: "\n").utf8), root: 0)
        } catch { throw .distributed(.transport(error)) }
        guard rank == 0 else { return }
        var merged: [DataflowTraceEvent] = []
        for (r, values) in allFlat.enumerated() {
            let table = String(decoding: allNames[r], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for k in stride(from: 0, to: values.count - 4, by: 5) {
                let index = Int(values[k])
                merged.append(DataflowTraceEvent(
                    name: index < table.count ? table[index] : "task", taskID: Int(values[k + 1]),
                    worker: r * 1000 + Int(values[k + 2]), startNanoseconds: values[k + 3],
                    endNanoseconds: values[k + 4] >> 1, failed: values[k + 4] & 1 == 1))
            }
        }
        do { try merged.writeChromeTrace(to: path) } catch { throw .dataflow(error) }
    }
}

/// The error of an I/O task's body, handed back to the thread that waits for it.
final class _IOTaskOutcome: @unchecked Sendable {
    var error: HeatRunError?
}
