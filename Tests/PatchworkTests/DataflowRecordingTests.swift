import Foundation
import Testing
@testable import Patchwork

/// Recorded task graphs: replays give exactly the result of submitting the recorded tasks again,
/// in order, between the tasks submitted around them; failures, nesting and bad input.
@Suite(.timeLimit(.minutes(1)))
struct DataflowRecordingTests {
    typealias Program = DataflowRandomProgramTests

    /// Submits (or, inside a recording, records) the tasks of `segment` on `grids`.
    static func submit(_ segment: [Program.TaskSpec], on grids: [TestGrid], to graph: DataflowGraph) throws {
        for task in segment {
            let raw = task.accesses.map { _RawAccess(resource: grids[$0.grid], box: $0.box.dataflowBox, mode: $0.mode) }
            _ = try graph._submit(name: "t\(task.index)", space: task.space, raw) { context in
                Program.apply(task, Program.views(task, grids, { context.resolve($0) }))
            }
        }
    }

    /// A random recorded segment replayed several times between random submitted segments (some
    /// in the staging space, so that a replay first brings data home) matches running every task
    /// one by one in the same order.
    static func check(seed: UInt64, workers: Int) throws {
        let domain = Program.domain
        let recorded = Program.randomProgram(seed: seed, tasks: 120, grids: 3, spaces: false)
        let around = (0..<4).map { k in
            Program.randomProgram(seed: seed &* 31 &+ UInt64(k), tasks: 40, grids: 3, spaces: true)
                .map { Program.TaskSpec(index: 1000 * (k + 1) + $0.index, accesses: $0.accesses, space: $0.space) }
        }
        // Submitted segment, then replays: D0 R R D1 R D2 R R R D3.
        let order: [Int?] = [0, nil, nil, 1, nil, 2, nil, nil, nil, 3]

        let oracle = (0..<3).map { TestGrid(domain, name: "oracle\($0)", fill: $0) }
        for step in order {
            for task in step.map({ around[$0] }) ?? recorded { Program.apply(task, Program.views(task, oracle, { $0 })) }
        }

        let grids = (0..<3).map { TestGrid(domain, name: "grid\($0)", fill: $0) }
        let graph = try DataflowGraph(workers: workers, maxOutstandingTasks: 64)
        let recording = try graph.record(name: "segment") { try submit(recorded, on: grids, to: graph) }
        #expect(recording.taskCount == recorded.count)
        #expect(recording.dependencyCount > 0)
        var replays: [TaskHandle] = []
        for step in order {
            if let step { try submit(around[step], on: grids, to: graph) } else { replays.append(try graph.replay(recording)) }
        }
        try graph.wait()
        #expect(replays.allSatisfy { $0.isFinished })
        try expectGridsMatch(grids, oracle, in: graph, "seed \(seed) workers \(workers)")
    }

    @Test(arguments: [1, 2, 4, 8])
    func replaysMatchSequentialExecution(workers: Int) throws {
        for seed in UInt64(1)...(DataflowRandomProgramTests.underSanitizer ? 2 : 6) {
            try Self.check(seed: seed &* 6151 &+ UInt64(workers), workers: workers)
        }
    }

    /// The 1-D stencil of the benchmark, with the typed `submit` forms (views made at recording):
    /// two steps recorded, replayed from inside a task, against a plain loop.
    @Test(arguments: [1, 2, 3])
    func stencilReplaysMatchALoop(workers: Int) throws {
        let width = 32, replays = 150
        let rows = [TestGrid(try Box<2>(lower: [0, 0], upper: [1, width]), name: "a"),
                    TestGrid(try Box<2>(lower: [0, 0], upper: [1, width]), name: "b")]
        for i in 0..<width { rows[0].buffer[i] = i * i }
        var expected = (0..<width).map { $0 * $0 }
        for _ in 0..<(2 * replays) {
            let old = expected
            for i in 0..<width {
                let left: Int = old[max(i - 1, 0)], right: Int = old[min(i + 1, width - 1)]
                expected[i] = left &+ 2 &* old[i] &+ right
            }
        }

        let graph = try DataflowGraph(workers: workers, maxOutstandingTasks: 16)
        let twoSteps = try graph.record(name: "two steps") {
            for t in 0..<2 {
                let prev = rows[t], next = rows[1 - t]
                for i in 0..<width {
                    let l = max(i - 1, 0), r = min(i + 1, width - 1)
                    try graph.submit(name: "cell", .read(prev, try Box<2>(lower: [0, l], upper: [1, r + 1])),
                                     .write(next, try Box<2>(lower: [0, i], upper: [1, i + 1]))) { src, dst in
                        dst[0, i] = src[0, l] &+ 2 &* src[0, i] &+ src[0, r]
                    }
                }
            }
        }
        #expect(twoSteps.taskCount == 2 * width)
        try graph.submit(name: "root") {
            for _ in 0..<replays { try graph.replay(twoSteps) }
        }
        try graph.wait()
        #expect(rows[0].homeValues == expected)
    }

    /// The DocC example: two heat steps (the halo exchange as tasks, then a sweep per patch)
    /// recorded and replayed give the synchronous run's result.
    @Test(arguments: [1, 2])
    func recordedHeatStepsEqualTheSynchronousRun(workers: Int) throws {
        let domain = try Box<2>(lower: [0, 0], upper: [40, 30])
        let plan = try Decomposition(bisecting: domain, maxExtent: 8, ranks: 1, periodic: [true, true])
        let expected = try DataflowExchangeTests.reference(plan, steps: 12)
        let graph = try DataflowGraph(workers: workers)
        let u = try DataflowExchangeTests.heatField(plan), v = try DataflowExchangeTests.heatField(plan)
        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
        let fillU = try HaloExchange(plan: halo, quantities: [.scalar(u)])
        let fillV = try HaloExchange(plan: halo, quantities: [.scalar(v)])
        let twoSteps = try graph.record(name: "two steps") {
            for (fill, src, dst) in [(fillU, u, v), (fillV, v, u)] {
                try graph.submit(fill)
                for i in src.patchIndices {
                    try graph.submit(name: "sweep", .read(src, patch: i, grownBy: 1), .write(dst, patch: i)) { s, d in
                        try Stencil.jacobi5(from: s, to: d, over: d.box, centre: 0.2, neighbour: 0.2)
                    }
                }
            }
        }
        for _ in 0..<6 { try graph.replay(twoSteps) }
        try graph.wait()
        try DataflowExchangeTests.expectEqual(u, expected)
    }

    /// Replays of a recording that only reads still run one after another, and later submitted
    /// writers wait for them.
    @Test func readOnlyReplaysAndLaterWriters() throws {
        let graph = try DataflowGraph(workers: 4)
        let source = Shared(7), sum = Shared(0)
        let reads = try graph.record(name: "reads") {
            for _ in 0..<8 {
                try graph.submit(.read(source), .accumulate(sum)) { s, total in total.value += s.value }
            }
        }
        for k in 0..<20 {
            try graph.replay(reads)
            try graph.submit(.readWrite(source)) { s in s.value += k }
        }
        try graph.wait()
        // Replay k reads 7 + (0 + 1 + ... + (k - 1)).
        let expected = (0..<20).reduce(0) { total, k in total + 8 * (7 + k * (k - 1) / 2) }
        #expect(sum.value == expected)
    }

    /// A recorded task that throws fails its replay (the task is named); the recorded tasks that
    /// depend on it are skipped in that replay, submitted dependents of the replay fail, and the
    /// next replay runs normally.
    @Test func failuresFailTheReplayOnly() throws {
        let graph = try DataflowGraph(workers: 2)
        let trigger = Shared(false, name: "trigger"), a = Shared(0, name: "a"), b = Shared(0, name: "b")
        let independent = Shared(0, name: "independent")
        let recording = try graph.record(name: "flaky step") {
            try graph.submit(name: "first", .read(trigger), .readWrite(a)) { t, a in
                if t.value { throw Boom(code: 3) }
                a.value += 1
            }
            try graph.submit(name: "second", .read(a), .readWrite(b)) { a, b in b.value += a.value }
            try graph.submit(name: "other", .readWrite(independent)) { v in v.value += 1 }
        }
        try graph.wait(for: try graph.replay(recording))
        try graph.submit(.write(trigger)) { t in t.value = true }
        let failing = try graph.replay(recording)
        let dependent = try graph.submit(name: "after", .read(b)) { _ in }
        #expect(throws: DataflowError.taskFailed(task: "first", id: recording.tasks[0].id, reason: "boom 3")) {
            try graph.wait(for: failing)
        }
        #expect(throws: DataflowError.dependencyFailed(task: "after", id: dependent.id, failedTask: "flaky step", failedID: failing.id)) {
            try graph.wait(for: dependent)
        }
        #expect(throws: DataflowError.taskFailed(task: "first", id: recording.tasks[0].id, reason: "boom 3")) {
            try graph.wait()
        }
        #expect(a.value == 1 && b.value == 1)        // "second" skipped in the failing replay
        #expect(independent.value == 2)              // "other" does not depend on "first"
        try graph.submit(.write(trigger)) { t in t.value = false }
        try graph.wait(for: try graph.replay(recording))
        try graph.wait()
        #expect(a.value == 2 && b.value == 3 && independent.value == 3)
    }

    /// Recorded tasks may submit tasks and wait for them; waiting for a task that depends on the
    /// replay itself is reported, not a hang.
    @Test func nestedTasksAndWaitsInsideReplays() throws {
        let graph = try DataflowGraph(workers: 2)
        let scratch = Shared(0, name: "scratch"), grid = Shared(0, name: "grid"), out = Shared(0, name: "out")
        let nested = try graph.record(name: "nested") {
            try graph.submit(name: "spawner", .readWrite(out)) { out in
                let child = try graph.submit(name: "child", .readWrite(scratch)) { s in s.value += 5 }
                try graph.wait(for: child)
                out.value += 1
            }
        }
        for _ in 0..<3 { try graph.replay(nested) }
        try graph.wait()
        #expect(scratch.value == 15 && out.value == 3)

        let deadlocking = try graph.record(name: "deadlocking") {
            try graph.submit(name: "waiter", .readWrite(grid)) { _ in
                let reader = try graph.submit(name: "reader", .read(grid)) { _ in }
                try graph.wait(for: reader)   // the reader comes after this replay
            }
        }
        let replay = try graph.replay(deadlocking)
        let error = #expect(throws: DataflowError.self) { try graph.wait(for: replay) }
        guard case .taskFailed(let task, _, let reason)? = error else {
            Issue.record("expected the waiter to fail, got \(String(describing: error))")
            return
        }
        #expect(task == "waiter")
        #expect(reason.contains("depends on it"))
        _ = try? graph.wait()
    }

    @Test func replayedTasksAreTraced() throws {
        let graph = try DataflowGraph(workers: 2, tracing: true)
        let value = Shared(0)
        let recording = try graph.record(name: "traced") {
            try graph.submit(name: "increment", .readWrite(value)) { v in v.value += 1 }
        }
        for _ in 0..<4 { try graph.replay(recording) }
        try graph.wait()
        #expect(value.value == 4)
        #expect(graph.traceEvents.filter { $0.name == "increment" }.count == 4)
        #expect(graph.traceEvents.filter { $0.name == "traced" }.count == 4)
    }

    // MARK: Bad input

    @Test func tasksThatCannotBeRecordedAreRejected() throws {
        let graph = try DataflowGraph(workers: 2)
        let grid = TestGrid(try Box<2>(lower: [0, 0], upper: [4, 4]))
        let staged = TestGrid(try Box<2>(lower: [0, 0], upper: [4, 4]), name: "staged", home: .staging)
        #expect(throws: DataflowError.notRecordable(task: "elsewhere", reason: "it runs in staging; recorded tasks run on the host")) {
            _ = try graph.record { try graph.submit(name: "elsewhere", on: .staging, .read(grid)) { _ in } }
        }
        #expect(throws: DataflowError.notRecordable(
            task: "away", reason: "staged lives in staging; recorded tasks use resources at home on the host")) {
            _ = try graph.record { try graph.submit(name: "away", .read(staged)) { _ in } }
        }
        let outside = try Box<2>(lower: [2, 2], upper: [6, 6])
        #expect(throws: DataflowError.accessOutOfBounds(
            resource: "grid", region: outside.dataflowBox.description, bounds: grid.bounds.dataflowBox.description)) {
            _ = try graph.record { try graph.submit(.read(grid, outside)) { _ in } }
        }
        #expect(throws: DataflowError.notRecordable(task: "inner", reason: "another recording of this graph is in progress")) {
            _ = try graph.record(name: "outer") { _ = try graph.record(name: "inner") {} }
        }
        // A body that throws leaves no recording behind: the next one works.
        #expect(throws: Boom.self) { _ = try graph.record { throw Boom(code: 1) } }
        let value = Shared(0)
        let ok = try graph.record { try graph.submit(.readWrite(value)) { v in v.value += 1 } }
        try graph.replay(ok)
        try graph.wait()
        #expect(value.value == 1)
    }

    @Test func recordedHandlesAndForeignRecordingsAreRejected() throws {
        let graph = try DataflowGraph(workers: 2), other = try DataflowGraph(workers: 1)
        let value = Shared(0)
        var handle: TaskHandle?
        let recording = try graph.record(name: "one") {
            handle = try graph.submit(name: "recorded", .readWrite(value)) { v in v.value += 1 }
        }
        #expect(throws: DataflowError.recordedTask(task: "recorded", id: handle!.id)) { try graph.wait(for: handle!) }
        #expect(throws: DataflowError.foreignRecording(name: "one")) { try other.replay(recording) }
        // Tasks submitted by another thread while recording are submitted, not recorded.
        let outside = Shared(0)
        let small = try graph.record(name: "small") {
            let done = DispatchSemaphore(value: 0)
            Thread {
                _ = try? graph.submit(.write(outside)) { v in v.value = 42 }
                done.signal()
            }.start()
            done.wait()
        }
        #expect(small.taskCount == 0)
        try graph.wait()
        #expect(outside.value == 42)
        graph.shutdown()
        #expect(throws: DataflowError.graphShutDown) { try graph.replay(recording) }
        #expect(throws: DataflowError.graphShutDown) { _ = try graph.record {} }
        #expect(value.value == 0)   // never replayed
    }
}
