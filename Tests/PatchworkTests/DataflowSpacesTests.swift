import Testing
@testable import Patchwork

/// Copies are made where tasks run, writes make other copies stale, home is written back lazily.
@Suite(.timeLimit(.minutes(1)))
struct DataflowSpacesTests {
    @Test func copiesVersionsAndLazyWriteBack() throws {
        let graph = try DataflowGraph(workers: 2)
        let box = try Box<2>(lower: [0, 0], upper: [4, 4])
        let grid = TestGrid(box, name: "g", fill: 1)
        let top = try Box<2>(lower: [0, 0], upper: [2, 4])

        try graph.submit(name: "stage", on: .staging, .readWrite(grid, top)) { v in
            for (i, j) in top.cellPairs { v[i, j] += 10 }
        }
        try graph.wait()
        // The write happened in staging only: home is stale and untouched.
        #expect(grid.homeValues == Array(repeating: 1, count: 16))
        #expect(graph.replica(of: grid, in: .staging)?.homeValues == Array(repeating: 11, count: 8) + Array(repeating: 1, count: 8))
        #expect(graph.copies(of: grid).map { [$0.space.id, $0.version] } == [[1, 1]])
        #expect(graph.counters.copies == 1)

        // Reading outside the runtime brings it home.
        let sum = try graph.read(grid, box) { v in box.cellPairs.reduce(0) { $0 + v[$1.0, $1.1] } }
        #expect(sum == 8 * 11 + 8)
        #expect(grid.homeValues == Array(repeating: 11, count: 8) + Array(repeating: 1, count: 8))
        #expect(graph.copies(of: grid).map { [$0.space.id, $0.version] } == [[0, 1], [1, 1]])
        #expect(graph.counters.copies == 2)

        // Both copies valid: reading in staging copies nothing.
        try graph.submit(name: "look", on: .staging, .read(grid, top)) { _ in }
        try graph.wait()
        #expect(graph.counters.copies == 2)

        // A host write makes staging stale; the next staging task copies first.
        try graph.submit(name: "host", .write(grid, top)) { v in for (i, j) in top.cellPairs { v[i, j] = 5 } }
        try graph.submit(name: "stage2", on: .staging, .read(grid, box)) { v in
            #expect(v[0, 0] == 5 && v[3, 3] == 1)
        }
        try graph.wait()
        #expect(graph.counters.copies == 3)
        #expect(graph.copies(of: grid).map { [$0.space.id, $0.version] } == [[0, 2], [1, 2]])
        try graph.synchronize(grid)
        #expect(graph.counters.copies == 3)
    }

    @Test func sharedValuesNeedNoCopies() throws {
        let graph = try DataflowGraph(workers: 1)
        let x = Shared(3)
        try graph.submit(on: .staging, .readWrite(x)) { v in v.value *= 2 }
        try graph.wait()
        #expect(x.value == 6)
        #expect(graph.counters.copies == 0)
    }
}
