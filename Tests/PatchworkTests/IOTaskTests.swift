import Foundation
import Testing
@testable import Patchwork

/// I/O as dataflow tasks (`graph.submit(mover, direction:step:)`) against the synchronous
/// ``IOMover`` (the sequential oracle): same bytes in the file, same values read back, with
/// compute tasks on the same and other arrays submitted around the I/O.
@Suite(.timeLimit(.minutes(1))) struct IOTaskTests {
    static let domain = Box<2>(uncheckedLower: Point(3, -2), upper: Point(27, 18))   // 24 × 20

    /// 12 patches (3 × 4 blocks) whose file chunks (5 × 7) are shared between patches, so that
    /// unserialised writes into one Zarr chunk would lose data.
    static func plan() throws -> Decomposition<2> {
        try Decomposition(blocks: domain, counts: [3, 4], ranks: 1)
    }

    static func value(_ p: Point<2>, _ salt: Int = 0) -> Double { Double(p[0] * 1000 + p[1]) + 0.25 + Double(salt) }

    static func stores(_ dir: String, _ tag: String) throws -> [any FileStore] {
        [try ZarrStore.create(at: dir + "/\(tag).zarr"), try HDF5Store.create(at: dir + "/\(tag).h5")]
    }

    /// Every patch's interior, cell by cell, equals `expected`.
    static func expectInterior(_ a: PatchArray<Double, 2>, _ expected: (Point<2>) -> Double) throws {
        for patch in a.patches {
            for q in ArrayModel<Double>.points(lower: patch.box.lower.array, size: patch.box.shape.array) {
                let p = Point<2>(q[0], q[1])
                #expect(try patch.value(at: p) == expected(p), "\(p)")
            }
        }
    }

    /// Submits, per patch, a compute task that rewrites the patch's interior of `a` as `f(old)`.
    static func submitUpdate(_ graph: DataflowGraph, _ a: PatchArray<Double, 2>, _ f: @escaping @Sendable (Double) -> Double) throws {
        for i in a.patchIndices {
            try graph.submit(name: "update", .readWrite(a, patch: i)) { view in
                for q in ArrayModel<Double>.points(lower: view.box.lower.array, size: view.box.shape.array) {
                    let p = Point<2>(q[0], q[1])
                    try view.setValue(f(try view.value(at: p)), at: p)
                }
            }
        }
    }

    /// Writing as tasks, then overwriting the patches with later tasks, leaves in the file exactly
    /// what the synchronous mover writes from the original values; compute tasks on another array
    /// run beside the writes. Reading back as tasks, followed by tasks that consume the values,
    /// gives the original values.
    @Test(arguments: [1, 2, 4]) func writeAndReadMatchSynchronousMover(workers: Int) throws {
        let dir = IOTestSupport.scratchDirectory("iotasks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let references = try Self.stores(dir, "reference"), targets = try Self.stores(dir, "tasks")
        for (reference, target) in zip(references, targets) {
            let u = try PatchArray<Double, 2>(decomposition: Self.plan(), ghostWidth: 1, initialValue: -3)
            u.fill { Self.value($0) }
            let options = FileArrayOptions<2>(chunks: Point(5, 7))
            let expectedFile = try FileArray<Double, 2>.create(in: reference, name: "u", shape: Point(24, 20), options: options)
            try IOMover(plan: IOPlan(array: u), array: u, file: expectedFile, groupingByChunk: false).write()

            let file = try FileArray<Double, 2>.create(in: target, name: "u", shape: Point(24, 20), options: options)
            let mover = try IOMover(plan: IOPlan(array: u), array: u, file: file)
            let other = try PatchArray<Double, 2>(decomposition: Self.plan(), ghostWidth: 0, initialValue: 1)
            let graph = try DataflowGraph(workers: workers)
            try Self.submitUpdate(graph, other) { $0 * 3 }            // independent compute
            let handles = try graph.submit(mover, direction: .write)
            #expect(handles.count == 15 && handles.count == mover.writes.count)   // one per 5 × 7 chunk
            try Self.submitUpdate(graph, u) { $0 * 2 + 1 }            // must wait for the writes
            try Self.submitUpdate(graph, other) { $0 + 1 }
            try graph.wait()
            #expect(try file.read(file.domain) == expectedFile.read(expectedFile.domain))
            try Self.expectInterior(u) { Self.value($0) * 2 + 1 }
            try Self.expectInterior(other) { _ in 4 }

            // Read back into another floor plan, ghosts included, then consume the values.
            let v = try PatchArray<Double, 2>(decomposition: Decomposition(blocks: Self.domain, counts: [2, 3], ranks: 1),
                                              ghostWidth: 1, initialValue: -1)
            let reader = try IOMover(plan: IOPlan(array: v, includingGhosts: true), array: v, file: file)
            try graph.submit(reader, direction: .read)
            try Self.submitUpdate(graph, v) { $0 - 0.25 }
            try graph.wait()
            try Self.expectInterior(v) { Self.value($0) - 0.25 }
            let sync = try PatchArray<Double, 2>(decomposition: v.decomposition, ghostWidth: 1, initialValue: -1)
            try IOMover(plan: IOPlan(array: sync, includingGhosts: true), array: sync, file: file).read()
            for (a, b) in zip(v.patches, sync.patches) {   // ghosts too: read from the file or untouched
                for q in ArrayModel<Double>.points(lower: a.allocatedBox.lower.array, size: a.allocatedBox.shape.array) {
                    let p = Point<2>(q[0], q[1])
                    #expect(try a.value(at: p) == (a.box.contains(p) ? b.value(at: p) - 0.25 : b.value(at: p)), "\(p)")
                }
            }
        }
    }

    /// A time series: each step's write is followed by an update of the patches; the file holds
    /// every step's values as the synchronous mover writes them.
    @Test func timeSeriesOverlappingUpdates() throws {
        let dir = IOTestSupport.scratchDirectory("iotasks-t")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for store in try Self.stores(dir, "series") {
            let u = try PatchArray<Double, 2>(decomposition: Self.plan(), ghostWidth: 1)
            u.fill { Self.value($0) }
            let series = try FileArray<Double, 3>.create(in: store, name: "u_t", shape: Point(4, 24, 20),
                                                         options: .init(chunks: Point(1, 8, 8)))
            let mover = try IOMover(plan: IOPlan(array: u), array: u, file: series)
            let graph = try DataflowGraph(workers: 2)
            for step in 0..<4 {
                try graph.submit(mover, direction: .write, step: step)
                try Self.submitUpdate(graph, u) { $0 + 10 }
            }
            try graph.wait()
            let model = ArrayModel<Double>.points(lower: [0, 3, -2], size: [4, 24, 20]).map { q in
                Self.value(Point(q[1], q[2])) + Double(10 * q[0])
            }
            #expect(try series.read(series.domain) == model)

            // A step for a file without a time axis, or none for one with: rejected at submission.
            #expect(throws: DataflowError.self) { try graph.submit(mover, direction: .write) }
            let flat = try FileArray<Double, 2>.create(in: store, name: "flat", shape: Point(24, 20))
            #expect(throws: DataflowError.self) {
                try graph.submit(IOMover(plan: IOPlan(array: u), array: u, file: flat), direction: .read, step: 0)
            }
            // A step outside the file fails the tasks (typed error at wait), not a trap.
            try graph.submit(mover, direction: .write, step: 9)
            #expect(throws: DataflowError.self) { try graph.wait() }
        }
    }
}
