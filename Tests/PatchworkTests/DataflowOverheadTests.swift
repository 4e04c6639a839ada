import Dispatch
import Synchronization
import Testing
@testable import Patchwork

/// The runtime's per-task shortcuts keep their semantics: tasks without accesses (fast path,
/// held ones too), redundant edges left out (transitive reduction), many successors (beyond the
/// inline ones).
@Suite(.timeLimit(.minutes(1)))
struct DataflowOverheadTests {
    let grid = TestGrid(try! Box<2>(lower: [0, 0], upper: [8, 8]))
    let all = try! Box<2>(lower: [0, 0], upper: [8, 8])

    /// Tasks of the fixed-arity forms take their resources from the runtime's trackers, typed by
    /// the first task that named the object: a task naming it as a superclass gets it too.
    @Test func oneObjectNamedAsAClassAndAsItsSubclassIsOneResource() throws {
        let graph = try DataflowGraph(workers: 2)
        let derived = DerivedCell()
        let base: BaseCell = derived
        var expected = 0
        for k in 0..<40 {
            try graph.submit(.readWrite(derived)) { cell in cell.value = cell.value * 2 + k % 3 }
            try graph.submit(.read(base), .readWrite(Shared(0))) { cell, _ in #expect(cell === derived) }
            try graph.submit(.readWrite(base)) { cell in cell.value -= 1 }
            expected = expected * 2 + k % 3 - 1
        }
        try graph.wait()
        #expect(derived.value == expected)
    }

    @Test func tasksWithoutAccessesRunAndReportErrors() throws {
        let graph = try DataflowGraph(workers: 2)
        let ran = AtomicCounter()
        for _ in 0..<10_000 { try graph.submit(name: "t") { ran.value.wrappingAdd(1, ordering: .relaxed) } }
        let failing = try graph.submit(name: "boom") { throw Boom(code: 1) }
        #expect(throws: DataflowError.self) { try graph.wait(for: failing) }
        #expect(throws: DataflowError.self) { try graph.wait() }
        #expect(ran.value.load(ordering: .relaxed) == 10_000)
        #expect(graph.counters.tasksSubmitted == 10_001)
        #expect(graph.counters.tasksRun == 10_001)
        #expect(graph.counters.edges == 0)
        // Still usable; ids count submissions.
        let next = try graph.submit(name: "after") {}
        #expect(next.id == 10_002)
        try graph.wait()
    }

    @Test func tasksWithoutAccessesSubmittedFromTasksAndWaitedFor() throws {
        let graph = try DataflowGraph(workers: 2, maxOutstandingTasks: 8)
        let sum = AtomicCounter()
        try graph.submit(name: "root") {
            var handles: [TaskHandle] = []
            for i in 1...1000 { handles.append(try graph.submit(name: "leaf") { sum.value.wrappingAdd(i, ordering: .relaxed) }) }
            for h in handles { try graph.wait(for: h) }
            #expect(sum.value.load(ordering: .relaxed) == 500_500)
        }
        try graph.wait()
    }

    /// Past the throttle, tasks without accesses run at once in the submitting worker; their
    /// failures still reach their waiters and `wait()`.
    @Test func undeferredTasksReportFailures() throws {
        let graph = try DataflowGraph(workers: 2, maxOutstandingTasks: 2)
        let ran = AtomicCounter()
        let caught = AtomicCounter()
        try graph.submit(name: "root") {
            for k in 0..<200 {
                let h = try graph.submit(name: "leaf") {
                    ran.value.wrappingAdd(1, ordering: .relaxed)
                    if k % 50 == 7 { throw Boom(code: k) }
                }
                if k % 50 == 7 {
                    do { try graph.wait(for: h) } catch { caught.value.wrappingAdd(1, ordering: .relaxed) }
                }
            }
        }
        #expect(throws: DataflowError.self) { try graph.wait() }
        #expect(ran.value.load(ordering: .relaxed) == 200)
        #expect(caught.value.load(ordering: .relaxed) == 4)
        #expect(graph.counters.tasksRun == 201)
        #expect(graph.counters.tasksFailed == 4)
        try graph.submit(name: "after") {}
        try graph.wait()
    }

    @Test func heldTaskWithoutAccessesRunsOnRelease() throws {
        let graph = try DataflowGraph(workers: 2)
        let ran = AtomicCounter()
        let node = try graph.runtime.submit(name: "held", space: .host, held: true) { ran.value.store(1, ordering: .relaxed) }
        #expect(!spinUntil(seconds: 0.05) { ran.value.load(ordering: .relaxed) == 1 })
        graph.runtime.releaseHold(node)
        try graph.wait()
        #expect(ran.value.load(ordering: .relaxed) == 1)
    }

    /// Write, read, write of one box while the first write is still running: the second write
    /// needs an edge from the reader only (the reader already follows the first write).
    @Test func writeReadWriteNeedsNoEdgeFromTheOldWriter() throws {
        let graph = try DataflowGraph(workers: 2)
        let gate = DispatchSemaphore(value: 0)
        let log = OrderLog()
        try graph.submit(.write(grid, all)) { v in gate.wait(); fillView(v, 1); log.entries.withLock { $0.append(1) } }
        try graph.submit(.read(grid, all)) { v in #expect(v[3, 3] == 1); log.entries.withLock { $0.append(2) } }
        try graph.submit(.write(grid, all)) { v in fillView(v, 3); log.entries.withLock { $0.append(3) } }
        #expect(graph.counters.edges == 2)
        gate.signal()
        try graph.wait()
        #expect(log.entries.withLock { $0 } == [1, 2, 3])
        #expect(grid.homeValues[TestGrid.index(Point(5, 5), all)] == 3)
    }

    /// Readers of disjoint parts do not cover each other: a write over both waits for both.
    @Test func partialReadersDoNotHideTheOldWriterWrongly() throws {
        let graph = try DataflowGraph(workers: 2)
        let gate = DispatchSemaphore(value: 0)
        let left = try Box<2>(lower: [0, 0], upper: [8, 4]), right = try Box<2>(lower: [0, 4], upper: [8, 8])
        try graph.submit(.write(grid, left)) { v in gate.wait(); fillView(v, 1) }
        try graph.submit(.read(grid, right)) { _ in gate.wait() }   // both held: no edge may vanish early
        try graph.submit(.write(grid, all)) { v in fillView(v, 2) }
        // The old writer (left) and the reader (right) are unrelated: both edges are needed.
        #expect(graph.counters.edges == 2)
        gate.signal()
        gate.signal()
        try graph.wait()
        #expect(grid.homeValues[TestGrid.index(Point(1, 1), all)] == 2)
    }

    /// A task with more successors than are stored inline releases all of them, and a failing one
    /// poisons all of them.
    @Test func manySuccessors() throws {
        let graph = try DataflowGraph(workers: 2)
        let gate = DispatchSemaphore(value: 0)
        let ran = AtomicCounter()
        try graph.submit(.write(grid, all)) { v in gate.wait(); fillView(v, 7) }
        for _ in 0..<20 {
            try graph.submit(.read(grid, all)) { v in if v[0, 0] == 7 { ran.value.wrappingAdd(1, ordering: .relaxed) } }
        }
        gate.signal()
        try graph.wait()
        #expect(ran.value.load(ordering: .relaxed) == 20)

        let gate2 = DispatchSemaphore(value: 0)
        try graph.submit(.write(grid, all)) { _ in gate2.wait(); throw Boom(code: 1) }
        let readers = try (0..<20).map { _ in try graph.submit(.read(grid, all)) { _ in ran.value.wrappingAdd(1, ordering: .relaxed) } }
        gate2.signal()
        #expect(throws: DataflowError.self) { try graph.wait() }
        #expect(ran.value.load(ordering: .relaxed) == 20)
        for r in readers { #expect(r.isFinished) }
    }

    /// Thousands of tasks submitted from a task: a kept handle still names its own task, what a
    /// task captured is released once it ran (or once its submission was rejected), and the
    /// results are those of the sequential loop.
    @Test func tasksReleaseCapturedValuesAndHandlesKeepTheirTask() throws {
        let graph = try DataflowGraph(workers: 2)
        let cells = (0..<4).map { _ in Shared(0) }
        let released = AtomicCounter()
        let kept = Mutex<[(TaskHandle, String, Int)]>([])
        let tasks = 4000
        try graph.submit(name: "root") {
            for k in 0..<tasks {
                let token = Token(released)
                let handle = try graph.submit(name: "t\(k)", .read(cells[k % 4]), .readWrite(cells[(k + 1) % 4])) { src, dst in
                    withExtendedLifetime(token) { dst.value = (dst.value &* 3 &+ src.value &+ k) % 1_000_003 }
                }
                if k % 97 == 0 { kept.withLock { $0.append((handle, "t\(k)", handle.id)) } }
            }
            // An access outside its resource is rejected; the work it carried is released.
            let rejected = Token(released)
            #expect(throws: DataflowError.self) {
                try graph.submit(.read(TestGrid(try Box<2>(lower: [0, 0], upper: [2, 2])), try Box<2>(lower: [0, 0], upper: [3, 3]))) { _ in
                    withExtendedLifetime(rejected) {}
                }
            }
        }
        try graph.wait()
        #expect(released.value.load(ordering: .relaxed) == tasks + 1)
        for (handle, name, id) in kept.withLock({ $0 }) {
            #expect(handle.name == name && handle.id == id && handle.isFinished)
        }
        var expected = [0, 0, 0, 0]
        for k in 0..<tasks { expected[(k + 1) % 4] = (expected[(k + 1) % 4] &* 3 &+ expected[k % 4] &+ k) % 1_000_003 }
        #expect(cells.map(\.value) == expected)
    }

    /// What a task that throws captured is released, and so is what the tasks skipped after it
    /// captured (kept in the task record with their views), though they never run; the graph
    /// stays usable.
    @Test func failedAndSkippedTasksReleaseCapturedValues() throws {
        let graph = try DataflowGraph(workers: 2)
        let cell = Shared(0), other = Shared(0)
        let released = AtomicCounter()
        let ran = AtomicCounter()
        let dependents = 200
        let failing = Token(released)
        try graph.submit(name: "fails", .write(cell)) { _ in
            try withExtendedLifetime(failing) { throw Boom(code: 1) }
        }
        for _ in 0..<dependents {
            let token = Token(released)
            try graph.submit(name: "skipped", .read(cell), .readWrite(other)) { _, o in
                withExtendedLifetime(token) { o.value += 1 }
                ran.value.wrappingAdd(1, ordering: .relaxed)
            }
        }
        #expect(throws: DataflowError.self) { try graph.wait() }
        #expect(ran.value.load(ordering: .relaxed) == 0)
        #expect(released.value.load(ordering: .relaxed) == dependents)  // the failing task's token is still held here
        _ = consume failing
        #expect(released.value.load(ordering: .relaxed) == dependents + 1)
        try graph.submit(name: "after", .write(other)) { o in o.value = 7 }
        try graph.wait()
        #expect(other.value == 7)
    }
}

/// Counts its own release in `counter`.
private final class Token: Sendable {
    let counter: AtomicCounter
    init(_ counter: AtomicCounter) { self.counter = counter }
    deinit { counter.value.wrappingAdd(1, ordering: .relaxed) }
}

private func fillView(_ v: TestGrid.WriteView, _ value: Int) {
    for (i, j) in v.region.cellPairs { v[i, j] = value }
}

private final class OrderLog: Sendable {
    let entries = Mutex<[Int]>([])
}
