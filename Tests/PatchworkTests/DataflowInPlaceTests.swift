import Synchronization
import Testing
@testable import Patchwork

/// Tasks run in place (ready and short at submission, submitted from inside a task): the same
/// results, dependencies and failures as tasks handed to the workers.
@Suite(.timeLimit(.minutes(1)))
struct DataflowInPlaceTests {
    /// Runs two rounds of `count` independent tasks named `name` (made at run time, as the tests'
    /// literals are not) from inside a task: a worker times one run in 16, so after the first
    /// round the runtime knows how long such tasks take.
    static func warmUp(_ graph: DataflowGraph, name: StaticString, count: Int = 20) throws {
        for _ in 0..<2 {
            let cells = (0..<count).map { Shared(0, name: "cell \($0)") }
            try graph.submit(name: "warm-up") {
                for cell in cells { try graph.submit(name: "\(name)", .write(cell)) { v in v.value = 1 } }
            }
            try graph.wait()
            #expect(cells.allSatisfy { $0.value == 1 })
        }
    }

    /// Random programs submitted by one task, under a limit that lets every ready task run in
    /// place, give the sequential result; some tasks did run in place, others did not.
    @Test(arguments: [1, 2, 4, 8])
    func randomProgramsSubmittedFromATaskMatchSequentialExecution(workers: Int) throws {
        typealias P = DataflowRandomProgramTests
        for seed in UInt64(1)...3 {
            let program = P.randomProgram(seed: seed &* 104_729 &+ UInt64(workers), tasks: 1500, grids: 3, spaces: false)
            let oracle = (0..<3).map { TestGrid(P.domain, name: "oracle\($0)", fill: $0) }
            for task in program { P.apply(task, P.views(task, oracle, { $0 })) }

            let grids = (0..<3).map { TestGrid(P.domain, name: "grid\($0)", fill: $0) }
            let graph = try DataflowGraph(workers: workers, maxOutstandingTasks: 64, inPlaceLimit: .seconds(1))
            try graph.submit(name: "root") {
                for task in program {
                    let raw = task.accesses.map { _RawAccess(resource: grids[$0.grid], box: $0.box.dataflowBox, mode: $0.mode) }
                    _ = try graph._submit(name: "t", space: task.space, raw) { context in
                        P.apply(task, P.views(task, grids, { context.resolve($0) }))
                    }
                }
            }
            try graph.wait()
            let counters = graph.counters
            try expectGridsMatch(grids, oracle, in: graph, "seed \(seed) workers \(workers)")
            #expect(counters.tasksRunInPlace > 0, "seed \(seed) workers \(workers)")
            #expect(counters.tasksRunInPlace < program.count, "seed \(seed) workers \(workers)")
            #expect(counters.tasksRun == program.count + 1)
        }
    }

    @Test func onlyShortTasksRunInPlaceAndNoneWithoutALimit() throws {
        for limit in [Duration?.none, .zero, .nanoseconds(1), .seconds(1)] {
            let graph = try DataflowGraph(workers: 2, inPlaceLimit: limit)
            try Self.warmUp(graph, name: "step")
            let inPlace = graph.counters.tasksRunInPlace
            if limit == .seconds(1) {
                #expect(inPlace >= 20)  // the second round at least
            } else {
                #expect(inPlace == 0, "limit \(String(describing: limit))")  // no task runs in a nanosecond
            }
        }
        #expect(throws: DataflowError.invalidConfiguration(name: "inPlaceLimit (ns)", value: -1_000_000_000, requirement: "between 0 and 10^6 s")) {
            _ = try DataflowGraph(workers: 1, inPlaceLimit: .seconds(-1))
        }
    }

    /// A task submitted by another thread while one runs in place waits for it.
    @Test(arguments: [2, 4])
    func anotherThreadsTaskWaitsForATaskRunningInPlace(workers: Int) throws {
        let graph = try DataflowGraph(workers: workers, inPlaceLimit: .seconds(10))
        try Self.warmUp(graph, name: "slow")
        let x = Shared(0, name: "x")
        let started = Atomic<Bool>(false)
        let seen = Shared(-1, name: "seen")
        let before = graph.counters.tasksRunInPlace
        try graph.submit(name: "submitter") {
            try graph.submit(name: "slow", .readWrite(x)) { v in
                started.store(true, ordering: .releasing)
                spin(seconds: 0.05)
                v.value = 1
            }
        }
        // Submitted (from the main thread) once the task above runs.
        #expect(spinUntil { started.load(ordering: .acquiring) })
        try graph.submit(name: "reader", .read(x), .write(seen)) { src, dst in dst.value = src.value }
        try graph.wait()
        #expect(graph.counters.tasksRunInPlace == before + 1)
        #expect(seen.value == 1)
    }

    @Test func aFailureInPlaceReachesTheWaiterAndTheDependents() throws {
        let graph = try DataflowGraph(workers: 2, inPlaceLimit: .seconds(1))
        try Self.warmUp(graph, name: "step")
        let x = Shared(1, name: "x"), y = Shared(0, name: "y")
        let handles = Mutex<[TaskHandle]>([])
        let before = graph.counters.tasksRunInPlace
        try graph.submit(name: "submitter") {
            let bad = try graph.submit(name: "step", .readWrite(x)) { _ in throw Boom(code: 3) }
            let dependent = try graph.submit(name: "step", .read(x), .write(y)) { src, dst in dst.value = src.value }
            handles.withLock { $0 = [bad, dependent] }
        }
        let failed = #expect(throws: DataflowError.self) { try graph.wait() }
        let (bad, dependent) = handles.withLock { ($0[0], $0[1]) }
        #expect(failed == .taskFailed(task: "step", id: bad.id, reason: "boom 3"))
        #expect(graph.counters.tasksRunInPlace == before + 1)  // the failing one; its dependent waited
        #expect(throws: DataflowError.dependencyFailed(task: "step", id: dependent.id, failedTask: "step", failedID: bad.id)) {
            try graph.wait(for: dependent)
        }
        #expect(y.value == 0)
        // Reported: the graph is usable and the data can be used again.
        try Self.warmUp(graph, name: "step", count: 5)
        try graph.submit(name: "step", .read(x), .write(y)) { src, dst in dst.value = src.value + 1 }
        try graph.wait()
        #expect(y.value == 2)
    }

    /// The record of a task that failed in place is not reused once the failure is reported: the
    /// tasks run in place after it succeed, and waiting for them reports no stale failure.
    @Test func tasksRunInPlaceAfterAFailureReportNoStaleFailure() throws {
        let graph = try DataflowGraph(workers: 2, inPlaceLimit: .seconds(1))
        try Self.warmUp(graph, name: "step")
        let x = Shared(0, name: "x")
        let start = graph.counters.tasksRunInPlace
        try graph.submit(name: "submitter") {
            try graph.submit(name: "step", .readWrite(x)) { _ in throw Boom(code: 4) }
        }
        #expect(throws: DataflowError.self) { try graph.wait() }
        let before = graph.counters.tasksRunInPlace
        #expect(before == start + 1)  // the failure ran in place, in a record its worker keeps
        let kept = Mutex<[TaskHandle]>([])
        try graph.submit(name: "submitter") {
            for _ in 0..<10 {
                let handle = try graph.submit(name: "step", .readWrite(x)) { v in v.value += 1 }
                kept.withLock { $0.append(handle) }
            }
        }
        try graph.wait()
        #expect(graph.counters.tasksRunInPlace == before + 10)
        #expect(x.value == 10)
        for handle in kept.withLock({ $0 }) { try graph.wait(for: handle) }
    }

    /// A task running in place may spawn tasks (which wait for it when they conflict with it) and
    /// wait for tasks; waiting for one that depends on it is the usual typed error.
    @Test func spawningAndWaitingInsideATaskRunningInPlace() throws {
        let graph = try DataflowGraph(workers: 2, inPlaceLimit: .seconds(1))
        try Self.warmUp(graph, name: "step")
        let x = Shared(0, name: "x"), z = Shared(0, name: "z")
        let before = graph.counters.tasksRunInPlace
        let waitError = Mutex<DataflowError?>(nil)
        try graph.submit(name: "submitter") {
            try graph.submit(name: "step", .readWrite(x)) { v in
                // Conflicts with this task: runs after it, so it sees 10 + 1.
                let child = try graph.submit(name: "child", .readWrite(x)) { w in w.value *= 2 }
                do throws(DataflowError) { try graph.wait(for: child) } catch { waitError.withLock { $0 = error } }
                // Independent: waiting for it is fine.
                let other = try graph.submit(name: "other", .write(z)) { w in w.value = 5 }
                try graph.wait(for: other)
                v.value += 10
                v.value += 1
            }
        }
        try graph.wait()
        #expect(graph.counters.tasksRunInPlace >= before + 1)
        #expect(x.value == 22)
        #expect(z.value == 5)
        #expect(waitError.withLock { $0 }.map { if case .waitForDependent = $0 { true } else { false } } == true)
    }

    /// A worker reuses the record of a task it ran in place only when nothing references it: the
    /// handles kept of tasks run in place (nested ones too) still name their own tasks, in
    /// submission order, after the worker ran many more.
    @Test func keptHandlesOfTasksRunInPlaceNameTheirOwnTasks() throws {
        let graph = try DataflowGraph(workers: 2, inPlaceLimit: .seconds(1))
        try Self.warmUp(graph, name: "step")
        try Self.warmUp(graph, name: "inner")
        let x = Shared([Int](), name: "x"), y = Shared(0, name: "y")
        let kept = Mutex<[TaskHandle]>([])
        let before = graph.counters.tasksRunInPlace
        try graph.submit(name: "submitter") {
            for k in 0..<200 {
                let handle = try graph.submit(name: "step", .readWrite(x)) { v in
                    v.value.append(k)
                    if k % 20 == 0 {  // nested: a second level of records
                        let inner = try graph.submit(name: "inner", .readWrite(y)) { w in w.value += 1 }
                        kept.withLock { $0.append(inner) }
                    }
                }
                if k % 10 == 0 { kept.withLock { $0.append(handle) } }
            }
        }
        try graph.wait()
        #expect(graph.counters.tasksRunInPlace >= before + 200)
        #expect(x.value == Array(0..<200))
        #expect(y.value == 10)
        let handles = kept.withLock { $0 }
        #expect(handles.count == 30)
        #expect(Set(handles).count == handles.count)
        #expect(Set(handles.map(\.id)).count == handles.count)
        let steps = handles.filter { $0.name == "step" }, inners = handles.filter { $0.name == "inner" }
        #expect(steps.count == 20 && inners.count == 10)
        #expect(steps.map(\.id) == steps.map(\.id).sorted())
        #expect(inners.map(\.id) == inners.map(\.id).sorted())
        for handle in handles {
            #expect(handle.isFinished)
            try graph.wait(for: handle)
        }
    }

    /// Tasks run in place inside one another, deeper than the records a worker keeps: each level
    /// sees its own resource, and the handles kept of every level name their own tasks.
    @Test func tasksRunInPlaceInsideOneAnotherPastTheKeptRecords() throws {
        let graph = try DataflowGraph(workers: 2, inPlaceLimit: .seconds(1))
        try Self.warmUp(graph, name: "level")
        let depth = 7, rounds = 30
        let cells = (0..<depth).map { Shared(0, name: "level \($0)") }
        let kept = Mutex<[TaskHandle]>([])
        @Sendable func submitLevel(_ level: Int) throws {
            let handle = try graph.submit(name: "level", .readWrite(cells[level])) { v in
                v.value += level + 1
                if level + 1 < depth { try submitLevel(level + 1) }
            }
            kept.withLock { $0.append(handle) }
        }
        let before = graph.counters.tasksRunInPlace
        try graph.submit(name: "submitter") {
            for _ in 0..<rounds { try submitLevel(0) }
        }
        try graph.wait()
        #expect(cells.enumerated().allSatisfy { $0.element.value == rounds * ($0.offset + 1) })
        #expect(graph.counters.tasksRunInPlace >= before + depth * rounds / 2)
        let handles = kept.withLock { $0 }
        #expect(handles.count == depth * rounds)
        #expect(Set(handles).count == handles.count)
        #expect(Set(handles.map(\.id)).count == handles.count)
        #expect(handles.allSatisfy { $0.isFinished && $0.name == "level" })
    }
}

private func spin(seconds: Double) {
    let end = ContinuousClock.now + .nanoseconds(Int64(seconds * 1e9))
    while ContinuousClock.now < end {}
}
