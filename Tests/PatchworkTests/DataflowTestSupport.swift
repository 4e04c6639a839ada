import Testing
@testable import Patchwork

/// A 2-D grid of Ints that can have replicas in other memory spaces: the resource the dataflow
/// tests use.
final class TestGrid: DataflowResource, @unchecked Sendable {
    let bounds: Box<2>
    let name: String
    let home: MemorySpace
    let buffer: UnsafeMutableBufferPointer<Int>

    init(_ bounds: Box<2>, name: String = "grid", home: MemorySpace = .host, fill: Int = 0) {
        self.bounds = bounds
        self.name = name
        self.home = home
        buffer = .allocate(capacity: bounds.volume)
        buffer.initialize(repeating: fill)
    }

    deinit { buffer.deallocate() }

    var dataflowBounds: Box<2> { bounds }
    var dataflowName: String { name }
    var homeSpace: MemorySpace { home }
    var isSpaceManaged: Bool { true }

    func makeReadView(_ region: Box<2>) -> ReadView {
        ReadView(base: buffer.baseAddress!, bounds: bounds, region: region)
    }

    func makeWriteView(_ region: Box<2>) -> WriteView {
        WriteView(base: buffer.baseAddress!, bounds: bounds, region: region)
    }

    func makeReplica(in space: MemorySpace) throws -> TestGrid {
        TestGrid(bounds, name: "\(name)@\(space)", home: space, fill: -999)
    }

    func copyContents(to destination: TestGrid) throws {
        _ = destination.buffer.update(fromContentsOf: buffer)
    }

    /// The values, read directly (tests only).
    var homeValues: [Int] { Array(buffer) }

    static func index(_ p: Point<2>, _ bounds: Box<2>) -> Int {
        (p[0] - bounds.lower[0]) * (bounds.upper[1] - bounds.lower[1]) + (p[1] - bounds.lower[1])
    }

    struct ReadView {
        let base: UnsafeMutablePointer<Int>
        let bounds: Box<2>
        let region: Box<2>
        subscript(_ i: Int, _ j: Int) -> Int { base[TestGrid.index(Point(i, j), bounds)] }
    }

    struct WriteView {
        let base: UnsafeMutablePointer<Int>
        let bounds: Box<2>
        let region: Box<2>
        subscript(_ i: Int, _ j: Int) -> Int {
            get { base[TestGrid.index(Point(i, j), bounds)] }
            nonmutating set { base[TestGrid.index(Point(i, j), bounds)] = newValue }
        }
    }
}

extension Box<2> {
    /// The cells, row by row.
    var cellPairs: [(Int, Int)] {
        var out: [(Int, Int)] = []
        for i in lower[0]..<upper[0] { for j in lower[1]..<upper[1] { out.append((i, j)) } }
        return out
    }
}

/// A test error a task throws.
struct Boom: Error, CustomStringConvertible {
    let code: Int
    var description: String { "boom \(code)" }
}

/// Spins until `condition` holds or `seconds` pass; returns whether it held.
func spinUntil(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
    }
    return condition()
}

/// A resource class that has a subclass: the same object may be named as either type.
class BaseCell: DataflowResource, @unchecked Sendable {
    var value = 0
    var dataflowBounds: WholeValue { WholeValue() }
    func makeReadView(_ region: WholeValue) -> BaseCell { self }
    func makeWriteView(_ region: WholeValue) -> BaseCell { self }
}

final class DerivedCell: BaseCell, @unchecked Sendable {}

/// Brings every grid home and expects its cells to equal those of its sequential oracle.
func expectGridsMatch(
    _ grids: [TestGrid], _ oracle: [TestGrid], in graph: DataflowGraph, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    for (g, o) in zip(grids, oracle) {
        try graph.synchronize(g)
        #expect(g.homeValues == o.homeValues, "\(label) grid \(g.name)", sourceLocation: sourceLocation)
    }
}
