import Synchronization
import Testing
@testable import Patchwork

final class AtomicCounter: Sendable {
    let value = Atomic<Int>(0)
    let maximum = Atomic<Int>(0)
    func enter() {
        let now = value.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        var m = maximum.load(ordering: .relaxed)
        while now > m {
            let (ok, seen) = maximum.compareExchange(expected: m, desired: now, ordering: .relaxed)
            if ok { break }
            m = seen
        }
    }
    func leave() { value.wrappingSubtract(1, ordering: .sequentiallyConsistent) }
}

/// Readers share, writers are exclusive, disjoint boxes do not wait, accumulates never overlap.
@Suite(.timeLimit(.minutes(1)))
struct DataflowConcurrencyTests {
    let grid = TestGrid(try! Box<2>(lower: [0, 0], upper: [8, 8]))
    let left = try! Box<2>(lower: [0, 0], upper: [8, 4])
    let right = try! Box<2>(lower: [0, 4], upper: [8, 8])

    /// Two tasks that each wait (bounded) for the other to have started: both succeed only if they
    /// run at the same time.
    func runTogether(_ a: (TestGrid, Box<2>, AccessMode), _ b: (TestGrid, Box<2>, AccessMode)) throws -> Bool {
        let graph = try DataflowGraph(workers: 2)
        let arrived = AtomicCounter()
        let met = AtomicCounter()
        for (g, box, mode) in [a, b] {
            let raw = [_RawAccess(resource: g, box: box.dataflowBox, mode: mode)]
            _ = try graph._submit(name: "meet", space: .host, raw) { _ in
                arrived.value.wrappingAdd(1, ordering: .sequentiallyConsistent)
                if spinUntil(seconds: 2, { arrived.value.load(ordering: .sequentiallyConsistent) == 2 }) {
                    met.value.wrappingAdd(1, ordering: .relaxed)
                }
            }
        }
        try graph.wait()
        return met.value.load(ordering: .relaxed) == 2
    }

    @Test func disjointWritersRunConcurrently() throws {
        #expect(try runTogether((grid, left, .write), (grid, right, .readWrite)))
    }

    @Test func readersOfTheSameBoxShare() throws {
        #expect(try runTogether((grid, left, .read), (grid, left, .read)))
    }

    @Test func overlappingWritersNeverOverlapInTime() throws {
        let graph = try DataflowGraph(workers: 4)
        let inFlight = AtomicCounter()
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            // Every box contains cell (3, 3).
            let lo = Point<2>(Int.random(in: 0...3, using: &rng), Int.random(in: 0...3, using: &rng))
            let hi = Point<2>(Int.random(in: 4...8, using: &rng), Int.random(in: 4...8, using: &rng))
            let mode: AccessMode = Bool.random(using: &rng) ? .write : .readWrite
            let raw = [_RawAccess(resource: grid, box: Box(uncheckedLower: lo, upper: hi).dataflowBox, mode: mode)]
            _ = try graph._submit(name: "w", space: .host, raw) { _ in
                inFlight.enter()
                for _ in 0..<200 { _ = inFlight.value.load(ordering: .relaxed) }
                inFlight.leave()
            }
        }
        try graph.wait()
        #expect(inFlight.maximum.load(ordering: .relaxed) == 1)
    }

    @Test func accumulatesAreExclusiveAndAllApplied() throws {
        let graph = try DataflowGraph(workers: 4)
        let total = Shared(0)
        let inFlight = AtomicCounter()
        for k in 1...500 {
            try graph.submit(name: "acc", .accumulate(total)) { (sum: SharedWriteView<Int>) in
                inFlight.enter()
                sum.value += k
                inFlight.leave()
            }
        }
        try graph.submit(name: "double", .readWrite(total)) { sum in sum.value *= 2 }
        try graph.wait()
        #expect(total.value == 2 * 500 * 501 / 2)
        #expect(inFlight.maximum.load(ordering: .relaxed) == 1)
    }

    @Test func typedViewsFollowTheAccesses() throws {
        let graph = try DataflowGraph(workers: 2)
        let a = Shared([1, 2, 3], name: "a")
        let b = Shared(0, name: "b")
        let c = Shared("", name: "c")
        try graph.submit(name: "sum", .read(a), .write(b)) { src, dst in
            dst.value = src.value.reduce(0, +)
        }
        try graph.submit(name: "show", .read(b), .readWrite(c)) { src, dst in
            dst.value += "sum=\(src.value)"
        }
        try graph.submit(name: "none") {}
        try graph.wait()
        #expect(b.value == 6)
        #expect(c.value == "sum=6")
    }

    @Test func streamingStartsBeforeSubmissionEnds() throws {
        let graph = try DataflowGraph(workers: 1)
        let flag = Shared(false)
        try graph.submit(name: "first", .write(flag)) { f in f.value = true }
        // The first task runs while we are still submitting: no region has ended.
        let ran = spinUntil(seconds: 5) { graph.counters.tasksRun == 1 }
        #expect(ran)
        try graph.wait()
        #expect(flag.value)
    }

    @Test(arguments: [1, 2])
    func nestedSpawnAndWaitDoesNotDeadlock(workers: Int) throws {
        let graph = try DataflowGraph(workers: workers)
        let leaves = AtomicCounter()
        @Sendable func tree(_ depth: Int) throws {
            if depth == 0 { leaves.value.wrappingAdd(1, ordering: .relaxed); return }
            let l = try graph.submit(name: "node") { try tree(depth - 1) }
            let r = try graph.submit(name: "node") { try tree(depth - 1) }
            try graph.wait(for: l)
            try graph.wait(for: r)
        }
        let root = try graph.submit(name: "root") { try tree(8) }
        try graph.wait(for: root)
        try graph.wait()
        #expect(leaves.value.load(ordering: .relaxed) == 256)
    }

    @Test func aTaskCanWaitForABoxThatAChildWrites() throws {
        let graph = try DataflowGraph(workers: 2)
        let result = Shared(0)
        try graph.submit(name: "parent", .write(result)) { [grid, left] out in
            for k in 0..<4 {
                let strip = try! Box<2>(lower: [2 * k, 0], upper: [2 * k + 2, 4])
                try graph.submit(name: "child", .write(grid, strip)) { v in
                    for (i, j) in strip.cellPairs { v[i, j] = i + j }
                }
            }
            try graph.wait(for: .read(grid, left))
            out.value = left.cellPairs.reduce(0) { $0 + grid.makeReadView(left)[$1.0, $1.1] }
        }
        try graph.wait()
        #expect(result.value == left.cellPairs.reduce(0) { $0 + $1.0 + $1.1 })
    }

    @Test func asyncWaitReturnsAfterAllTasks() async throws {
        let graph = try DataflowGraph(workers: 2)
        let total = Shared(0)
        for _ in 0..<100 { try graph.submit(.accumulate(total)) { t in t.value += 1 } }
        try await graph.wait()
        #expect(total.value == 100)
    }

    struct Smooth: Kernel {
        static func accesses(_ a: (src: TestGrid, dst: TestGrid, box: Box<2>))
            -> AccessList<(TestGrid.ReadView, TestGrid.WriteView)> {
            AccessList(.read(a.src, a.box), .write(a.dst, a.box))
        }
        func run(_ views: (TestGrid.ReadView, TestGrid.WriteView)) {
            let (src, dst) = views
            for (i, j) in dst.region.cellPairs { dst[i, j] = src[i, j] * 2 + 1 }
        }
    }

    @Test func kernelsDeclareTheirAccessesOnce() throws {
        let graph = try DataflowGraph(workers: 2)
        let dst = TestGrid(grid.bounds, name: "dst")
        try graph.submit(name: "fill", .write(grid, grid.bounds)) { v in
            for (i, j) in v.region.cellPairs { v[i, j] = i * 8 + j }
        }
        try graph.submit(Smooth(), (src: grid, dst: dst, box: left))
        try graph.submit(Smooth(), (src: grid, dst: dst, box: right))
        try graph.wait()
        #expect(dst.homeValues == (0..<64).map { $0 * 2 + 1 })
        #expect(Smooth.accesses((grid, dst, left)).modes == [.read, .write])
    }

    /// A host task gets its views made at submission, a staging task (which needs copies) when it
    /// runs: kernels and tasks with more than four accesses (the variadic form) give the same
    /// results either way.
    @Test(arguments: [MemorySpace.host, .staging])
    func kernelsAndLongAccessListsRunInEitherSpace(space: MemorySpace) throws {
        let graph = try DataflowGraph(workers: 2)
        let dst = TestGrid(grid.bounds, name: "dst")
        let sum = Shared(0)
        try graph.submit(name: "fill", .write(grid, grid.bounds)) { v in
            for (i, j) in v.region.cellPairs { v[i, j] = i * 8 + j }
        }
        try graph.submit(Smooth(), (src: grid, dst: dst, box: left), on: space)
        try graph.submit(Smooth(), (src: grid, dst: dst, box: right), on: space)
        try graph.submit(
            name: "five", on: space, .read(dst, left), .read(dst, right), .read(grid, left), .read(grid, right),
            .accumulate(sum)
        ) { a, b, c, d, s in
            for (i, j) in a.region.cellPairs { s.value += a[i, j] + c[i, j] }
            for (i, j) in b.region.cellPairs { s.value += b[i, j] + d[i, j] }
        }
        try graph.wait()
        try graph.synchronize(dst)  // written in staging: brought home
        #expect(dst.homeValues == (0..<64).map { $0 * 2 + 1 })
        #expect(sum.value == (0..<64).reduce(0) { $0 + 3 * $1 + 1 })
    }

    /// A region outside its resource is rejected before any view of it is made, in every form.
    @Test func kernelsAndLongAccessListsRejectRegionsOutside() throws {
        let graph = try DataflowGraph(workers: 2)
        let outside = try Box<2>(lower: [4, 4], upper: [9, 8])
        let sum = Shared(0)
        #expect(throws: DataflowError.self) { try graph.submit(Smooth(), (src: grid, dst: grid, box: outside)) }
        #expect(throws: DataflowError.self) {
            try graph.submit(.read(grid, left), .read(grid, right), .read(grid, outside), .read(grid, left), .write(sum)) { _, _, _, _, _ in }
        }
        #expect(graph.counters.tasksSubmitted == 0)
    }

    @Test func idleWorkersPark() throws {
        let graph = try DataflowGraph(workers: 2)
        try graph.submit {}
        try graph.wait()
        #expect(spinUntil(seconds: 5) { graph.runtime.sleepers.load(ordering: .relaxed) == 2 })
    }
}
