import Foundation
import Testing
@testable import Patchwork

@Suite struct IOPlanTests {
    static let domain = Box<2>(uncheckedLower: Point(1, 2), upper: Point(11, 14))   // 10 × 12, not at the origin

    /// Four irregular patches covering the domain.
    static func fourPatches() throws -> Decomposition<2> {
        let cuts: [(Int, Int, Int, Int)] = [(1, 2, 4, 9), (1, 9, 4, 14), (4, 2, 11, 5), (4, 5, 11, 14)]
        return try Decomposition(domain: domain, boxes: cuts.map { Box(uncheckedLower: Point($0.0, $0.1), upper: Point($0.2, $0.3)) },
                                 owners: [0, 0, 0, 0], rankCount: 1, requireCovering: true)
    }

    /// Three other patches covering the same domain (a different floor plan).
    static func threePatches() throws -> Decomposition<2> {
        let cuts: [(Int, Int, Int, Int)] = [(1, 2, 11, 6), (1, 6, 7, 14), (7, 6, 11, 14)]
        return try Decomposition(domain: domain, boxes: cuts.map { Box(uncheckedLower: Point($0.0, $0.1), upper: Point($0.2, $0.3)) },
                                 owners: [0, 0, 0, 0].prefix(3).map { $0 }, rankCount: 1, requireCovering: true)
    }

    static func value(_ p: Point<2>) -> Double { Double(p[0] * 100 + p[1]) }

    func stores(_ dir: String) throws -> [any FileStore] {
        [try ZarrStore.create(at: dir + "/s.zarr"), try HDF5Store.create(at: dir + "/s.h5")]
    }

    /// Write from one floor plan, read onto another: every interior cell comes back; with ghosts,
    /// ghost cells inside the domain are read too and those outside stay untouched.
    @Test func writeOnePlanReadAnother() throws {
        let dir = IOTestSupport.scratchDirectory("ioplan")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for store in try stores(dir) {
            let u = try PatchArray<Double, 2>(decomposition: Self.fourPatches(), ghostWidth: 2)
            u.fill(includingGhosts: true) { Self.value($0) }
            let file = try FileArray<Double, 2>.create(in: store, name: "u", shape: Point(10, 12),
                                                      options: .init(chunks: Point(4, 5)))
            let plan = IOPlan(array: u)
            #expect(plan.moves.count == 4 && plan.cellCount == 120)
            try IOMover(plan: plan, array: u, file: file).write()
            let whole = try file.read(file.domain)
            #expect(whole == ArrayModel<Double>.points(lower: [1, 2], size: [10, 12]).map { Self.value(Point($0[0], $0[1])) })

            let v = try PatchArray<Double, 2>(decomposition: Self.threePatches(), ghostWidth: 1, initialValue: -1)
            try IOMover(plan: IOPlan(array: v, includingGhosts: true), array: v, file: file).read()
            for patch in v.patches {
                for q in ArrayModel<Double>.points(lower: patch.allocatedBox.lower.array, size: patch.allocatedBox.shape.array) {
                    let p = Point<2>(q[0], q[1])
                    #expect(patch[p] == (Self.domain.contains(p) ? Self.value(p) : -1), "\(p)")
                }
            }
        }
    }

    /// File regions split the moves; a leading time axis takes one step per run.
    @Test func fileRegionsAndTimeAxis() throws {
        let dir = IOTestSupport.scratchDirectory("ioplan-t")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for store in try stores(dir) {
            let u = try PatchArray<Float, 2>(decomposition: Self.fourPatches(), ghostWidth: 1)
            let halves = [Box<2>(uncheckedLower: Point(1, 2), upper: Point(6, 14)), Box<2>(uncheckedLower: Point(6, 2), upper: Point(11, 14))]
            let plan = IOPlan(array: u, fileRegions: halves)
            #expect(plan.moves.count == 6 && plan.cellCount == 120)   // patches 0, 1 lie in the first half
            let series = try FileArray<Float, 3>.create(in: store, name: "u_t", shape: Point(0, 10, 12),
                                                       options: .init(chunks: Point(1, 5, 6), growable: true, dimensionNames: ["time", "y", "x"]))
            let mover = try IOMover(plan: plan, array: u, file: series)
            for step in 0..<3 {
                u.fill { p in Float(step * 1000) + Float(Self.value(p)) }
                try series.resizeLeadingAxis(to: step + 1)
                try mover.write(step: step)
            }
            u.fill(-5)
            try mover.read(step: 1)
            #expect(try u.value(at: Point(7, 9)) == 1000 + Float(Self.value(Point(7, 9))))
            #expect(try series.read(makeBox([2, 0, 0], [1, 1, 1])) == [2000 + Float(Self.value(Point(1, 2)))])
            #expect(throws: IOError.invalidArgument(name: "step", value: "nil", requirement: "given for a file with a time axis (\(series.interface.path))")) {
                try mover.write()
            }
            // (the first backend write is the first 5 × 6 file chunk: the mover groups moves by chunk)
            #expect(throws: IOError.boxOutsideArray(path: series.interface.path, lower: [3, 0, 0], shape: [1, 5, 6], arrayShape: [3, 10, 12])) {
                try mover.write(step: 3)
            }
        }
    }

    /// A file decomposed in two slabs (ranks 0 and 1): each rank's plan moves only its patches'
    /// cells inside its own slab; what no rank holds there stays the fill value.
    @Test func fileDecompositionDecidesWhoWritesWhat() throws {
        let dir = IOTestSupport.scratchDirectory("ioplan-dec")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for store in try stores(dir) {
            let created = try FileArray<Double, 2>.create(in: store, name: "u", shape: Point(10, 12), options: .init(fillValue: -1))
            let top = Box<2>(uncheckedLower: Point(0, 0), upper: Point(5, 12)), bottom = Box<2>(uncheckedLower: Point(5, 0), upper: Point(10, 12))
            #expect(created.decomposition == nil && created.regions(forRank: 3) == [created.domain])
            let file = try created.distributed(as: Decomposition(domain: created.domain, boxes: [top, bottom], owners: [0, 1], rankCount: 2))
            #expect(file.regions(forRank: 0) == [top] && file.regions(forRank: 1) == [bottom] && file.regions(forRank: 2) == [])
            // The patch array's own plan: patches 0, 1 on rank 0 (rows 1..<4), 2, 3 on rank 1 (rows 4..<11).
            let patches = try Decomposition(domain: Self.domain, boxes: Self.fourPatches().boxes, owners: [0, 0, 1, 1], rankCount: 2)
            for rank in 0..<2 {
                let u = try PatchArray<Double, 2>(decomposition: patches, ghostWidth: 1, rank: rank)
                u.fill { Self.value($0) }
                let plan = try IOPlan(array: u, file: file)
                #expect(plan.cellCount == [36, 60][rank], "rank \(rank)")
                #expect(plan.moves.allSatisfy { file.regions(forRank: rank)[0].shifted(by: Self.domain.lower).contains($0.box) })
                try IOMover(plan: plan, array: u, file: file).write()
            }
            // Domain rows 4..<6 lie in rank 0's slab but on rank 1's patches: nobody writes them.
            let expected = ArrayModel<Double>.points(lower: [1, 2], size: [10, 12]).map { q in
                (4..<6).contains(q[0]) ? -1 : Self.value(Point(q[0], q[1]))
            }
            #expect(try file.read(file.domain) == expected)
            #expect(throws: IOError.invalidArgument(name: "decomposition of \(file.interface.path)", value: "[0, 0]..<[5, 12]",
                                                   requirement: "the array's domain [0, 0]..<[10, 12]")) {
                _ = try created.distributed(as: Decomposition(domain: top, boxes: [top], owners: [0], rankCount: 1))
            }
            let small = try FileArray<Double, 2>.create(in: store, name: "small", shape: Point(4, 4))
            #expect(throws: IOError.invalidArgument(name: "shape of \(small.interface.path)", value: "[4, 4]",
                                                   requirement: "the data domain's shape [10, 12]")) {
                _ = try IOPlan(array: PatchArray<Double, 2>(decomposition: Self.fourPatches()), file: small)
            }
        }
    }

    @Test func mismatchesAreTypedErrors() throws {
        let dir = IOTestSupport.scratchDirectory("ioplan-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ZarrStore.create(at: dir + "/s.zarr")
        let u = try PatchArray<Double, 2>(decomposition: Self.fourPatches())
        let ints = try FileArray<Int32, 2>.create(in: store, name: "i", shape: Point(10, 12))
        #expect(throws: IOError.elementTypeMismatch(path: dir + "/s.zarr/i", expected: "float64", found: "int32")) {
            _ = try IOMover(plan: IOPlan(array: u), array: u, file: ints.interface)
        }
        let flat = try FileArray<Double, 1>.create(in: store, name: "f", shape: Point(120))
        #expect(throws: IOError.rankMismatch(path: dir + "/s.zarr/f", expected: 2, found: 1)) {
            _ = try IOMover(plan: IOPlan(array: u), array: u, file: flat)
        }
        var plan = IOPlan<2>()
        plan.copyOnIntersection(patch: 0, region: Self.domain, within: Self.domain, shift: .zero)
        let file = try FileArray<Double, 2>.create(in: store, name: "u", shape: Point(10, 12))
        #expect(throws: IOError.invalidArgument(name: "box of an I/O move", value: "[1, 2]..<[11, 14]",
                                               requirement: "inside patch 0's storage [1, 2]..<[4, 9]")) {
            _ = try IOMover(plan: plan, array: u, file: file)
        }
    }

    /// Patches written through ``Embedding/pencilize(boxes:axis:)`` (one after another along an
    /// axis) read back onto another floor plan: every interior cell, for each backend and axis.
    @Test(arguments: [0, 1])
    func pencilizedPatchesReadOntoAnotherPlan(axis: Int) throws {
        let dir = IOTestSupport.scratchDirectory("pencils")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let four = try Self.fourPatches()
        let u = try PatchArray<Double, 2>(decomposition: four, ghostWidth: 1)
        u.fill { Self.value($0) }
        let layout = try Embedding.pencilize(boxes: four.boxes, axis: axis)
        #expect(layout.fileShape == (axis == 0 ? Point(3 + 3 + 7 + 7, 9) : Point(7, 7 + 5 + 3 + 9)))
        for store in try stores(dir) {
            let file = try FileArray<Double, 2>.create(in: store, name: "u", shape: layout.fileShape)
            try IOMover(plan: IOPlan(array: u, embedding: layout, includingGhosts: false), array: u, file: file).write()
            // Each patch is where the embedding says, as a row-major block of the file.
            for (i, box) in four.boxes.enumerated() {
                let stored = try file.read(layout.embedded(i))
                #expect(stored == Array(box.cells).map(Self.value), "patch \(i) in \(store.path)")
            }
            let back = try PatchArray<Double, 2>(decomposition: Self.threePatches(), ghostWidth: 1, initialValue: -1)
            try IOMover(plan: IOPlan(array: back, regions: four.boxes, shifts: layout.shifts), array: back, file: file).read()
            for patch in back.patches {
                for p in patch.box.cells { #expect(patch[p] == Self.value(p), "cell \(p) in \(store.path)") }
                #expect(patch[patch.allocatedBox.lower] == -1, "ghosts are not read")
            }
        }
    }
}
