import Foundation
import Testing
@testable import Patchwork

/// Every task run is recorded and written as Chrome trace JSON; counters add up.
@Suite(.timeLimit(.minutes(1)))
struct DataflowTracingTests {
    @Test func traceRecordsEveryTaskAndParsesAsJSON() throws {
        let graph = try DataflowGraph(workers: 2, tracing: true)
        let grid = TestGrid(try Box<2>(lower: [0, 0], upper: [4, 8]))
        for k in 0..<8 {
            let column = try Box<2>(lower: [0, k], upper: [4, k + 1])
            try graph.submit(name: "col \"\(k)\"", .write(grid, column)) { _ in }
        }
        try graph.submit(name: "all", .read(grid, grid.bounds)) { _ in }
        try graph.wait()
        let events = graph.traceEvents
        #expect(events.count == 9)
        #expect(Set(events.map(\.name)) == Set((0..<8).map { "col \"\($0)\"" } + ["all"]))
        #expect(events.allSatisfy { $0.endNanoseconds >= $0.startNanoseconds && (0..<2).contains($0.worker) })
        let last = try #require(events.first { $0.name == "all" })
        #expect(events.allSatisfy { $0.name == "all" || $0.endNanoseconds <= last.startNanoseconds })

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dataflow-trace-\(getpid()).json").path
        try graph.writeChromeTrace(to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try? FileManager.default.removeItem(atPath: path)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let list = try #require(json["traceEvents"] as? [[String: Any]])
        #expect(list.count == 9)
        #expect(list.allSatisfy { $0["ph"] as? String == "X" && $0["dur"] != nil })

        let c = graph.counters
        #expect(c.tasksSubmitted == 9 && c.tasksRun == 9 && c.tasksFailed == 0)
        #expect(c.edges <= 8)  // a writer already finished when the reader is submitted needs no edge
        graph.clearTrace()
        #expect(graph.traceEvents.isEmpty)
    }

    @Test func writingATraceToABadPathIsATypedError() throws {
        let graph = try DataflowGraph(workers: 1, tracing: true)
        #expect(throws: DataflowError.traceWriteFailed(path: "/nonexistent/dir/t.json", errno: 2)) {
            try graph.writeChromeTrace(to: "/nonexistent/dir/t.json")
        }
    }
}
