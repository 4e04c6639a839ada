import Testing
@testable import Patchwork

/// Random task programs — random accesses over random boxes of a few grids, in host and staging
/// spaces — give exactly the result of running the same tasks one by one in submission order.
@Suite(.timeLimit(.minutes(1)))
struct DataflowRandomProgramTests {
    struct AccessSpec { let grid: Int; let box: Box<2>; let mode: AccessMode }
    struct TaskSpec { let index: Int; let accesses: [AccessSpec]; let space: MemorySpace }

    enum View {
        case read(TestGrid.ReadView)
        case write(TestGrid.WriteView)
        subscript(_ i: Int, _ j: Int) -> Int {
            switch self {
            case .read(let v): v[i, j]
            case .write(let v): v[i, j]
            }
        }
    }

    static let domain = try! Box<2>(lower: [0, 0], upper: [12, 10])

    static func randomProgram(seed: UInt64, tasks: Int, grids: Int, spaces: Bool, domain: Box<2> = domain, maxSide: Point<2> = [5, 5]) -> [TaskSpec] {
        var rng = SeededGenerator(seed: seed)
        return (0..<tasks).map { index in
            let n = Int.random(in: 1...3, using: &rng)
            let accesses = (0..<n).map { _ in
                let lo = Point<2>(Int.random(in: 0..<domain.upper[0], using: &rng), Int.random(in: 0..<domain.upper[1], using: &rng))
                let shape = Point<2>(Int.random(in: 1...maxSide[0], using: &rng), Int.random(in: 1...maxSide[1], using: &rng))
                let box = Box(uncheckedLower: lo, upper: lo + shape).intersection(domain)
                let mode = AccessMode.allCases.randomElement(using: &rng)!
                return AccessSpec(grid: Int.random(in: 0..<grids, using: &rng), box: box, mode: mode)
            }
            let space: MemorySpace = spaces && Int.random(in: 0..<8, using: &rng) == 0 ? .staging : .host
            return TaskSpec(index: index, accesses: accesses, space: space)
        }
    }

    /// The task's work: a hash of what it reads, then writes that depend on it.
    static func apply(_ task: TaskSpec, _ views: [View]) {
        var h = task.index &* 1_000_003
        for (a, v) in zip(task.accesses, views) where a.mode == .read || a.mode == .readWrite {
            for (i, j) in a.box.cellPairs { h = h &* 31 &+ v[i, j] }
        }
        for (a, v) in zip(task.accesses, views) {
            guard case .write(let w) = v else { continue }
            for (i, j) in a.box.cellPairs {
                switch a.mode {
                case .write: w[i, j] = h &+ i &* 7 &+ j
                case .readWrite: w[i, j] = w[i, j] &* 3 &+ h
                case .accumulate: w[i, j] = w[i, j] &+ (h & 0xFFFF) &+ 1
                case .read: break
                }
            }
        }
    }

    static func views(_ task: TaskSpec, _ grids: [TestGrid], _ resolve: (TestGrid) -> TestGrid) -> [View] {
        task.accesses.map { a in
            a.mode == .read
                ? .read(resolve(grids[a.grid]).makeReadView(a.box))
                : .write(resolve(grids[a.grid]).makeWriteView(a.box))
        }
    }

    static func check(seed: UInt64, workers: Int, tasks: Int = 1500, spaces: Bool, domain: Box<2> = domain, maxSide: Point<2> = [5, 5]) throws {
        let program = randomProgram(seed: seed, tasks: tasks, grids: 3, spaces: spaces, domain: domain, maxSide: maxSide)
        let oracle = (0..<3).map { TestGrid(domain, name: "oracle\($0)", fill: $0) }
        for task in program { apply(task, views(task, oracle, { $0 })) }

        let grids = (0..<3).map { TestGrid(domain, name: "grid\($0)", fill: $0) }
        let graph = try DataflowGraph(workers: workers, maxOutstandingTasks: 256)
        for task in program {
            let raw = task.accesses.map { _RawAccess(resource: grids[$0.grid], box: $0.box.dataflowBox, mode: $0.mode) }
            _ = try graph._submit(name: "t\(task.index)", space: task.space, raw) { context in
                apply(task, views(task, grids, { context.resolve($0) }))
            }
        }
        try graph.wait()
        try expectGridsMatch(grids, oracle, in: graph, "seed \(seed) workers \(workers)")
    }

    /// The first program of each worker count is a long one (deep dependency chains, trackers
    /// that keep and retire many entries); the others are shorter.
    static let longProgramTasks = 4000

    @Test(arguments: [1, 2, 4, 8])
    func hostProgramsMatchSequentialExecution(workers: Int) throws {
        for seed in UInt64(1)...4 {
            try Self.check(seed: seed &* 7919 &+ UInt64(workers), workers: workers,
                           tasks: seed == 1 ? Self.longProgramTasks : 1500, spaces: false)
        }
    }

    /// ThreadSanitizer (CI builds it with `-DPATCHWORK_TSAN_LOCKS`) runs these 10–20× slower:
    /// fewer programs keep the heaviest tests within their time limit there.
    #if PATCHWORK_TSAN_LOCKS
    static let underSanitizer = true
    #else
    static let underSanitizer = false
    #endif

    @Test(arguments: [1, 2, 4, 8])
    func programsWithStagingMatchSequentialExecution(workers: Int) throws {
        for seed in UInt64(10)...(Self.underSanitizer ? 10 : 12) {
            try Self.check(seed: seed &* 104_729 &+ UInt64(workers), workers: workers,
                           tasks: seed == 10 ? Self.longProgramTasks : 1500, spaces: true)
        }
    }

    /// A long thin domain: buckets hold several rows (uneven slabs) and boxes span many buckets.
    @Test(arguments: [1, 3])
    func longDomainProgramsMatch(workers: Int) throws {
        let long = try Box<2>(lower: [0, 0], upper: [150, 3])
        for seed in UInt64(50)...52 {
            try Self.check(seed: seed, workers: workers, tasks: 800, spaces: seed == 51, domain: long, maxSide: [40, 3])
        }
    }

    @Test func manySmallProgramsMatch() throws {
        for seed in UInt64(100)..<(Self.underSanitizer ? 110 : 140) {
            try Self.check(seed: seed, workers: 2, tasks: 60, spaces: seed % 2 == 0)
        }
    }
}
