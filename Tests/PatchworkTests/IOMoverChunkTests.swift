import Foundation
import Testing
@testable import Patchwork

/// ``IOMover`` writes grouped by file chunk: the same file contents as one write per move (the
/// oracle), and, for patches tiling the domain, each file chunk written by exactly one backend
/// call.
@Suite(.timeLimit(.minutes(1))) struct IOMoverChunkTests {
    /// A file that records every write box and passes it on.
    final class RecordingFile: FileInterface {
        let inner: any FileInterface
        var writes: [(lower: [Int], shape: [Int])] = []
        init(_ inner: any FileInterface) { self.inner = inner }
        var path: String { inner.path }
        var arrayDescription: FileArrayDescription { inner.arrayDescription }
        func write(lower: [Int], shape: [Int], from buffer: UnsafeRawBufferPointer) throws(IOError) {
            writes.append((lower, shape))
            try inner.write(lower: lower, shape: shape, from: buffer)
        }
        func read(lower: [Int], shape: [Int], into buffer: UnsafeMutableRawBufferPointer) throws(IOError) {
            try inner.read(lower: lower, shape: shape, into: buffer)
        }
        func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError) { try inner.setAttribute(name, value) }
        func attribute(_ name: String) throws(IOError) -> FileAttribute? { try inner.attribute(name) }
        func resizeLeadingAxis(to extent: Int) throws(IOError) { try inner.resizeLeadingAxis(to: extent) }
        func flush(durable: Bool) throws(IOError) { try inner.flush(durable: durable) }
    }

    /// Random 2-D block floor plans, chunk shapes and shifts, with and without a time axis, on
    /// Zarr and HDF5: grouped and per-move writes leave the same file; every chunk is written once.
    @Test func groupedWritesEqualPerMoveWrites() throws {
        let dir = IOTestSupport.scratchDirectory("iochunks")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = SeededGenerator(seed: 61)
        for k in 0..<24 {
            let shape = Point<2>(Int.random(in: 4...30, using: &g), Int.random(in: 4...30, using: &g))
            let domain = Box<2>(uncheckedLower: Point(Int.random(in: -5...5, using: &g), Int.random(in: -5...5, using: &g)),
                                upper: Point(0, 0) + shape)
            let domainBox = Box<2>(uncheckedLower: domain.lower, upper: domain.lower + shape)
            let plan = try Decomposition(blocks: domainBox, counts: [Int.random(in: 1...Swift.min(5, shape[0]), using: &g),
                                                                     Int.random(in: 1...Swift.min(5, shape[1]), using: &g)], ranks: 1)
            let u = try PatchArray<Int32, 2>(decomposition: plan, ghostWidth: Int.random(in: 0...2, using: &g))
            u.fill { Int32($0[0] * 1000 + $0[1]) }
            let chunks = Point<2>(Int.random(in: 1...12, using: &g), Int.random(in: 1...12, using: &g))
            let timeAxis = k % 3 == 0
            let store: any FileStore = k % 2 == 0 ? try ZarrStore.create(at: dir + "/\(k).zarr") : try HDF5Store.create(at: dir + "/\(k).h5")
            func make(_ name: String) throws -> any FileInterface {
                timeAxis
                    ? try FileArray<Int32, 3>.create(in: store, name: name, shape: Point(2, shape[0], shape[1]), options: .init(chunks: Point(1, chunks[0], chunks[1]))).interface
                    : try FileArray<Int32, 2>.create(in: store, name: name, shape: shape, options: .init(chunks: chunks)).interface
            }
            let grouped = RecordingFile(try make("grouped")), plain = try make("plain")
            let io = IOPlan(array: u)
            let step: Int? = timeAxis ? 1 : nil
            try IOMover(plan: io, array: u, file: grouped).write(step: step)
            try IOMover(plan: io, array: u, file: plain, groupingByChunk: false).write(step: step)
            let rank = plain.arrayDescription.rank
            let all = plain.arrayDescription.shape
            var a = [Int32](repeating: 0, count: all.reduce(1, *)), b = a
            try a.withUnsafeMutableBytes { try grouped.read(lower: [Int](repeating: 0, count: rank), shape: all, into: $0) }
            try b.withUnsafeMutableBytes { try plain.read(lower: [Int](repeating: 0, count: rank), shape: all, into: $0) }
            #expect(a == b, "case \(k): shape \(shape), chunks \(chunks), \(plan.count) patches")
            // Every chunk of the array is met by exactly one write.
            for ci in 0..<((shape[0] + chunks[0] - 1) / chunks[0]) {
                for cj in 0..<((shape[1] + chunks[1] - 1) / chunks[1]) {
                    let chunk = Box<2>(uncheckedLower: Point(ci * chunks[0], cj * chunks[1]), upper: Point((ci + 1) * chunks[0], (cj + 1) * chunks[1]))
                    let meeting = grouped.writes.filter { w in
                        let l = Array(w.lower.suffix(2)), s = Array(w.shape.suffix(2))
                        return Box<2>(uncheckedLower: Point(l[0], l[1]), upper: Point(l[0] + s[0], l[1] + s[1])).intersects(chunk)
                    }.count
                    #expect(meeting == 1, "case \(k): chunk \(ci), \(cj) written \(meeting) times")
                }
            }
        }
    }

    /// With ghosts the file boxes overlap (the last move wins): no grouping, one write per move.
    @Test func overlappingMovesKeepPerMoveOrder() throws {
        let dir = IOTestSupport.scratchDirectory("iochunks-ghosts")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let domain = Box<2>(uncheckedLower: Point(0, 0), upper: Point(12, 12))
        let u = try PatchArray<Double, 2>(decomposition: Decomposition(blocks: domain, counts: [2, 2], ranks: 1), ghostWidth: 1)
        let file = RecordingFile(try FileArray<Double, 2>.create(in: ZarrStore.create(at: dir + "/g.zarr"), name: "g",
                                                                 shape: Point(14, 14), options: .init(chunks: Point(4, 4))).interface)
        let mover = try IOMover(plan: IOPlan(array: u, includingGhosts: true, shift: Point(1, 1)), array: u, file: file)
        #expect(mover.writes.count == 4)
        try mover.write()
        #expect(file.writes.count == 4)
    }
}
