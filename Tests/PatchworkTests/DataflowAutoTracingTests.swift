import Testing
@testable import Patchwork

/// Automatic tracing: a graph that finds repetitions in the stream of submitted tasks and derives
/// their dependencies from one of them gives exactly the result of running the tasks one by one;
/// breaks in the stream, waits, a stream that ends inside a repetition and failures.
@Suite(.timeLimit(.minutes(1)))
struct DataflowAutoTracingTests {
    typealias Program = DataflowRandomProgramTests

    /// A random body of tasks submitted again and again, with random other tasks (some in the
    /// staging space, so that a repetition first brings data home) between some repetitions and a
    /// last repetition cut short, matches running every task one by one in the same order.
    static func check(seed: UInt64, workers: Int) throws {
        let body = Program.randomProgram(seed: seed, tasks: 40, grids: 3, spaces: false)
        let breaks = (0..<2).map { k in
            Program.randomProgram(seed: seed &* 17 &+ UInt64(k), tasks: 5, grids: 3, spaces: true)
                .map { Program.TaskSpec(index: 1000 * (k + 1) + $0.index, accesses: $0.accesses, space: $0.space) }
        }
        var stream: [Program.TaskSpec] = []
        for r in 0..<12 {
            stream += body
            if r == 5 { stream += breaks[0] }
            if r == 9 { stream += breaks[1] }
        }
        stream += body.prefix(17)

        let oracle = (0..<3).map { TestGrid(Program.domain, name: "oracle\($0)", fill: $0) }
        for task in stream { Program.apply(task, Program.views(task, oracle, { $0 })) }

        let grids = (0..<3).map { TestGrid(Program.domain, name: "grid\($0)", fill: $0) }
        let graph = try DataflowGraph(workers: workers, maxOutstandingTasks: 64, automaticTracing: true)
        try DataflowRecordingTests.submit(stream, on: grids, to: graph)
        try graph.wait()
        // Detection needs two repetitions and capture a third: most of the rest is traced.
        #expect(graph.counters.tasksTraced >= 6 * body.count, "seed \(seed) workers \(workers)")
        #expect(graph.counters.tasksRun == stream.count)
        try expectGridsMatch(grids, oracle, in: graph, "seed \(seed) workers \(workers)")
    }

    @Test(arguments: [1, 2, 4, 8])
    func repeatedStreamsMatchSequentialExecution(workers: Int) throws {
        for seed in UInt64(1)...(DataflowRandomProgramTests.underSanitizer ? 2 : 6) {
            try Self.check(seed: seed &* 7919 &+ UInt64(workers), workers: workers)
        }
    }

    /// Time steps of a 1-D stencil on two rows: waits for a region and for a traced task's handle
    /// in the middle of the stream, a stream that ends inside a repetition, and the result equals
    /// the plain loop.
    @Test(arguments: [1, 2, 4])
    func stencilStepsWithWaitsInBetween(workers: Int) throws {
        let width = 16
        let rows = [TestGrid(try Box<2>(lower: [0, 0], upper: [width, 1]), name: "row0"),
                    TestGrid(try Box<2>(lower: [0, 0], upper: [width, 1]), name: "row1")]
        let graph = try DataflowGraph(workers: workers, automaticTracing: true)
        var expected = [[Int]](repeating: [Int](repeating: 0, count: width), count: 2)
        for i in 0..<width { expected[0][i] = i; rows[0].makeWriteView(rows[0].bounds)[i, 0] = i }

        var last: TaskHandle?
        let steps = 101  // an odd number: the stream ends inside a repetition of two steps
        for t in 0..<steps {
            let (src, dst) = (t % 2, (t + 1) % 2)
            for i in 0..<width {
                let l = Swift.max(i - 1, 0), r = Swift.min(i + 1, width - 1)
                last = try graph.submit(
                    name: "cell", .read(rows[src], try Box<2>(lower: [l, 0], upper: [r + 1, 1])),
                    .write(rows[dst], try Box<2>(lower: [i, 0], upper: [i + 1, 1]))
                ) { a, b in b[i, 0] = a[l, 0] &+ 2 &* a[i, 0] &+ a[r, 0] &+ t }
                expected[dst][i] = expected[src][l] &+ 2 &* expected[src][i] &+ expected[src][r] &+ t
            }
            if t == 60 {
                try graph.wait(for: .read(rows[dst]))
                #expect(rows[dst].homeValues == expected[dst])
            }
            if t == 80, let last {
                try graph.wait(for: last)
                #expect(last.isFinished)
            }
        }
        try graph.wait()
        #expect(graph.counters.tasksTraced > steps * width / 2)
        #expect(rows[steps % 2].homeValues == expected[steps % 2])
    }

    /// A task of a repetition that throws: the failure is reported once, its dependents inside the
    /// repetition are skipped, independent tasks of the same repetition still run, and after the
    /// report the graph runs (and traces) new steps.
    @Test(arguments: [1, 2])
    func failureInsideARepetition(workers: Int) throws {
        let a = Shared(0, name: "a"), b = Shared(0, name: "b")
        let graph = try DataflowGraph(workers: workers, automaticTracing: true)
        func submitSteps(_ steps: Range<Int>, failingAt failing: Int?) throws -> [TaskHandle] {
            var handles: [TaskHandle] = []
            for t in steps {
                handles.append(try graph.submit(name: "a\(t)", .readWrite(a)) { v in
                    if t == failing { throw Boom(code: t) }
                    v.value += 1
                })
                try graph.submit(name: "b\(t)", .readWrite(b)) { v in v.value += 1 }
            }
            return handles
        }
        let handles = try submitSteps(0..<100, failingAt: 60)
        #expect(throws: DataflowError.taskFailed(task: "a60", id: handles[60].id, reason: "boom 60")) { try graph.wait() }
        #expect(handles[60].node.replay.isTraced, "the failing task was not in a repetition")
        #expect(a.value == 60)  // a0 ... a59; a60 failed, the later ones were skipped
        #expect(b.value >= 61)  // b60 and b61 are in a60's repetition and do not depend on it
        #expect(throws: DataflowError.dependencyFailed(task: "a61", id: handles[61].id, failedTask: "a60", failedID: handles[60].id)) {
            try graph.wait(for: handles[61])
        }

        let traced = graph.counters.tasksTraced
        let (aBefore, bBefore) = (a.value, b.value)
        _ = try submitSteps(100..<160, failingAt: nil)
        try graph.wait()
        #expect(a.value == aBefore + 60)
        #expect(b.value == bBefore + 60)
        #expect(graph.counters.tasksTraced > traced)
    }

    /// A task of a repetition that waits for a later task depending on it — in its own repetition
    /// (151) or in the next (190) — fails with `waitForDependent` instead of hanging.
    @Test(arguments: [151, 190])
    func waitingForALaterDependentIsATypedError(target: Int) throws {
        let cell = Shared(0, name: "cell")
        let graph = try DataflowGraph(workers: 1, automaticTracing: true)
        let handles = _Lock<[Int: TaskHandle]>([:])
        for t in 0..<220 {
            let handle = try graph.submit(name: "s\(t)", .readWrite(cell)) { v in
                if t == 150 {
                    var waited: TaskHandle?
                    while waited == nil { waited = handles.withLock { $0[target] } }
                    try graph.wait(for: waited!)
                }
                v.value += 1
            }
            handles.withLock { $0[t] = handle }
        }
        let (waiter, waited) = handles.withLock { ($0[150]!, $0[target]!) }
        #expect(waiter.node.replay.isTraced && waited.node.replay.isTraced)
        let reason = DataflowError.waitForDependent(task: "s150", id: waiter.id, waitedTask: "s\(target)", waitedID: waited.id).description
        #expect(throws: DataflowError.taskFailed(task: "s150", id: waiter.id, reason: reason)) { try graph.wait() }
        #expect(cell.value == 150)
    }

    /// Without automatic tracing nothing is traced.
    @Test func offByDefault() throws {
        let cell = Shared(0, name: "cell")
        let graph = try DataflowGraph(workers: 2)
        for _ in 0..<500 { try graph.submit(.readWrite(cell)) { $0.value += 1 } }
        try graph.wait()
        #expect(cell.value == 500)
        #expect(graph.counters.tasksTraced == 0)
    }
}

extension _ReplayRole {
    /// True for a task in a repetition of an automatic trace.
    var isTraced: Bool {
        if case .traced = self { return true }
        return false
    }
}
