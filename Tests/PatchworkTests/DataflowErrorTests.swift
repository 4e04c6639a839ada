import Synchronization
import Testing
@testable import Patchwork

/// Failures reach waiters and dependents; bad input gives typed errors; the graph stays usable.
@Suite(.timeLimit(.minutes(1)))
struct DataflowErrorTests {
    @Test func aFailureReachesTheWaiterAndItsDependents() throws {
        let graph = try DataflowGraph(workers: 2)
        let x = Shared(1, name: "x")
        let y = Shared(0, name: "y")
        let bad = try graph.submit(name: "bad", .readWrite(x)) { _ in throw Boom(code: 7) }
        let dependent = try graph.submit(name: "dependent", .read(x), .write(y)) { src, dst in dst.value = src.value }
        let transitive = try graph.submit(name: "transitive", .readWrite(y)) { v in v.value += 1 }
        let independent = try graph.submit(name: "independent", .readWrite(Shared(0))) { v in v.value = 1 }
        #expect(throws: DataflowError.taskFailed(task: "bad", id: bad.id, reason: "boom 7")) { try graph.wait(for: bad) }
        #expect(throws: DataflowError.dependencyFailed(task: "dependent", id: dependent.id, failedTask: "bad", failedID: bad.id)) {
            try graph.wait(for: dependent)
        }
        #expect(throws: DataflowError.dependencyFailed(task: "transitive", id: transitive.id, failedTask: "bad", failedID: bad.id)) {
            try graph.wait(for: transitive)
        }
        try graph.wait(for: independent)
        #expect(y.value == 0)
        // Until wait() reports it, later tasks touching the failed data are skipped too.
        let later = try graph.submit(name: "later", .read(x)) { _ in }
        #expect(throws: DataflowError.dependencyFailed(task: "later", id: later.id, failedTask: "bad", failedID: bad.id)) {
            try graph.wait(for: later)
        }
        #expect(throws: DataflowError.taskFailed(task: "bad", id: bad.id, reason: "boom 7")) { try graph.wait() }
        try graph.wait()  // reported once
        // The graph stays usable, and the data is usable again.
        try graph.submit(name: "after", .read(x), .write(y)) { src, dst in dst.value = src.value + 10 }
        try graph.wait()
        #expect(y.value == 11)
        #expect(graph.counters.tasksFailed == 4)
    }

    @Test func waitingInsideATaskForItsOwnDependentIsATypedError() throws {
        let graph = try DataflowGraph(workers: 2)
        let x = Shared(0, name: "x")
        let y = Shared(0, name: "y")
        let outcome = Mutex<[DataflowError?]>([])
        let ids = Mutex<[Int]>([])
        let outer = try graph.submit(name: "outer", .readWrite(x)) { v in
            v.value = 1
            // Direct: reads what `outer` writes.
            let direct = try graph.submit(name: "direct", .read(x), .write(y)) { src, dst in dst.value = src.value + 1 }
            // Through one more task: waits for `direct`'s write of y.
            let chained = try graph.submit(name: "chained", .readWrite(y)) { w in w.value *= 10 }
            // Independent of `outer`: waiting for it is fine.
            let free = try graph.submit(name: "free", .write(Shared(0))) { w in w.value = 3 }
            ids.withLock { $0 = [direct.id, chained.id] }
            for handle in [direct, chained, free] {
                do { try graph.wait(for: handle); outcome.withLock { $0.append(nil) } } catch {
                    outcome.withLock { $0.append(error as? DataflowError) }
                }
            }
            // Waiting for a region that `outer` itself writes is the same mistake.
            do { try graph.wait(for: .read(x)); outcome.withLock { $0.append(nil) } } catch {
                outcome.withLock { $0.append(error as? DataflowError) }
            }
        }
        try graph.wait()
        let (direct, chained) = ids.withLock { ($0[0], $0[1]) }
        let errors = outcome.withLock { $0 }
        #expect(errors.count == 4)
        #expect(errors[0] == .waitForDependent(task: "outer", id: outer.id, waitedTask: "direct", waitedID: direct))
        #expect(errors[1] == .waitForDependent(task: "outer", id: outer.id, waitedTask: "chained", waitedID: chained))
        #expect(errors[2] == nil)
        if case .waitForDependent(task: "outer", id: outer.id, waitedTask: "wait", waitedID: _)? = errors[3] {} else {
            Issue.record("waiting for a region the task writes: \(String(describing: errors[3]))")
        }
        // The dependents still ran after `outer`, in order.
        #expect(x.value == 1)
        #expect(y.value == 20)
    }

    @Test func accessOutsideTheResourceIsATypedError() throws {
        let graph = try DataflowGraph(workers: 1)
        let grid = TestGrid(try Box<2>(lower: [0, 0], upper: [4, 4]), name: "g")
        let outside = try Box<2>(lower: [2, 2], upper: [5, 4])
        #expect(throws: DataflowError.accessOutOfBounds(
            resource: "g", region: outside.dataflowBox.description, bounds: grid.bounds.dataflowBox.description)) {
            try graph.submit(.write(grid, outside)) { _ in }
        }
        #expect(graph.counters.tasksSubmitted == 0)
    }

    /// Five accesses take the variadic form, whose accesses hold their resources (an
    /// `AccessList`): the error names the resource held there.
    @Test func accessOutsideTheResourceInTheVariadicFormIsATypedError() throws {
        let graph = try DataflowGraph(workers: 1)
        let grids = (0..<5).map { TestGrid(try! Box<2>(lower: [0, 0], upper: [4, 4]), name: "g\($0)") }
        let inside = try Box<2>(lower: [0, 0], upper: [2, 2])
        let outside = try Box<2>(lower: [3, 0], upper: [5, 2])
        #expect(throws: DataflowError.accessOutOfBounds(
            resource: "g4", region: outside.dataflowBox.description, bounds: grids[4].bounds.dataflowBox.description)) {
            try graph.submit(
                .read(grids[0], inside), .read(grids[1], inside), .read(grids[2], inside), .read(grids[3], inside),
                .write(grids[4], outside)) { _, _, _, _, _ in }
        }
        #expect(graph.counters.tasksSubmitted == 0)
    }

    @Test func submittingToAShutDownGraphIsATypedError() throws {
        let graph = try DataflowGraph(workers: 2)
        let x = Shared(0)
        try graph.submit(.write(x)) { v in v.value = 5 }
        graph.shutdown()
        #expect(x.value == 5)
        #expect(throws: DataflowError.graphShutDown) { try graph.submit(.write(x)) { v in v.value = 6 } }
        graph.shutdown()
    }

    @Test func waitingForATaskOfAnotherGraphIsATypedError() throws {
        let a = try DataflowGraph(workers: 1)
        let b = try DataflowGraph(workers: 1)
        let task = try a.submit(name: "mine") {}
        #expect(throws: DataflowError.foreignTask(task: "mine", id: task.id)) { try b.wait(for: task) }
        try a.wait()
    }

    @Test func waitingForAllInsideATaskIsATypedError() throws {
        let graph = try DataflowGraph(workers: 1)
        let task = try graph.submit(name: "inner") { try graph.wait() }
        #expect(throws: DataflowError.taskFailed(
            task: "inner", id: task.id, reason: DataflowError.waitAllInsideTask(task: "inner").description)) {
            try graph.wait(for: task)
        }
        _ = try? graph.wait()
    }

    @Test func badConfigurationIsATypedError() {
        #expect(throws: DataflowError.invalidConfiguration(name: "workers", value: 0, requirement: "in 1...1024")) {
            try DataflowGraph(workers: 0)
        }
        #expect(throws: DataflowError.invalidConfiguration(name: "maxOutstandingTasks", value: 1, requirement: "at least 2")) {
            try DataflowGraph(workers: 1, maxOutstandingTasks: 1)
        }
    }

    @Test func failedAccumulatesReleaseTheirLock() throws {
        let graph = try DataflowGraph(workers: 2)
        let total = Shared(0)
        for k in 0..<50 {
            try graph.submit(name: "acc\(k)", .accumulate(total)) { t in
                if k == 25 { throw Boom(code: k) }
                t.value += 1
            }
        }
        #expect(throws: DataflowError.taskFailed(task: "acc25", id: 26, reason: "boom 25")) { try graph.wait() }
        #expect(total.value == 49)
    }
}

/// Dropping a graph finishes its tasks first.
@Suite(.timeLimit(.minutes(1)))
struct DataflowLifetimeTests {
    @Test func droppingTheGraphRunsTheRemainingTasks() throws {
        let total = Shared(0)
        do {
            let graph = try DataflowGraph(workers: 2)
            for _ in 0..<200 { try graph.submit(.readWrite(total)) { t in t.value += 1 } }
        }
        #expect(total.value == 200)
    }

    @Test func shuttingDownFromInsideATaskDoesNotDeadlock() throws {
        let graph = try DataflowGraph(workers: 2)
        let total = Shared(0)
        for _ in 0..<50 { try graph.submit(.readWrite(total)) { t in t.value += 1 } }
        let stopper = try graph.submit(name: "stopper") { graph.shutdown() }
        #expect(throws: Never.self) { try graph.wait(for: stopper) }
        #expect(spinUntil(seconds: 5) { graph.counters.tasksRun == 51 })
        #expect(total.value == 50)
    }
}
