import Foundation
import Testing
@testable import Patchwork

@Suite struct CheckpointTests {
    static let domain = Box<2>(uncheckedLower: Point(0, 0), upper: Point(9, 14))

    static func plan(_ cuts: [(Int, Int, Int, Int)], owners: [Int], ranks: Int) throws -> Decomposition<2> {
        try Decomposition(domain: domain, boxes: cuts.map { Box(uncheckedLower: Point($0.0, $0.1), upper: Point($0.2, $0.3)) },
                          owners: owners, rankCount: ranks, requireCovering: true)
    }
    /// Four patches on two ranks.
    static func twoRanks() throws -> Decomposition<2> {
        try plan([(0, 0, 5, 6), (0, 6, 5, 14), (5, 0, 9, 9), (5, 9, 9, 14)], owners: [0, 0, 1, 1], ranks: 2)
    }
    /// Three patches on three ranks.
    static func threeRanks() throws -> Decomposition<2> {
        try plan([(0, 0, 3, 14), (3, 0, 9, 7), (3, 7, 9, 14)], owners: [0, 1, 2], ranks: 3)
    }
    static func value(_ p: Point<2>) -> Double { Double(p[0] * 37 + p[1]) + 0.125 }

    /// The arrays of every rank of `plan`.
    static func arrays(_ plan: Decomposition<2>, ghostWidth: Int = 0, initial: Double = 0) throws -> [PatchArray<Double, 2>] {
        try (0..<plan.rankCount).map { try PatchArray<Double, 2>(decomposition: plan, ghostWidth: ghostWidth, rank: $0, initialValue: initial) }
    }

    /// Writes a checkpoint of step `step` from two ranks: `u` (interiors) and `g` (with ghosts,
    /// ghost cells holding patch-specific values).
    static func writeTwoRankCheckpoint(root: String, step: Int, format: CheckpointFormat, keeping: Int? = nil) throws {
        let writer = try CheckpointWriter(root: root, step: step, time: Double(step) / 8, floorPlan: twoRanks(), format: format)
        for u in try arrays(twoRanks()) {
            u.fill { value($0) + Double(step) }
            try writer.write("u", u)
        }
        for g in try arrays(twoRanks(), ghostWidth: 2) {
            for (index, patch) in g.localPatches {
                try patch.fill(in: patch.allocatedBox) { p in patch.box.contains(p) ? value(p) : -Double(index * 1000) - value(p) }
            }
            try writer.write("g", g, includingGhosts: true)
        }
        try writer.commit(metadata: ["model": "test", "note": "ü"], keeping: keeping)
    }

    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func restartTwoRanksOntoThreeAndOne(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-\(format)")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeTwoRankCheckpoint(root: root, step: 7, format: format)
        let checkpoint = try Checkpoint(at: root + "/ckpt-000000000007")
        #expect(checkpoint.step == 7 && checkpoint.time == 7.0 / 8)
        #expect(checkpoint.metadata == ["model": "test", "note": "ü"])
        #expect(checkpoint.quantityNames == ["u", "g"])
        let saved: Decomposition<2> = try checkpoint.floorPlan()
        #expect(saved.identity == (try Self.twoRanks()).identity)
        // 2 → 3 ranks: every interior cell, for both quantities.
        for v in try Self.arrays(Self.threeRanks(), ghostWidth: 1, initial: -1) {
            try checkpoint.read("u", into: v)
            for patch in v.patches {
                for q in ArrayModel<Double>.points(lower: patch.box.lower.array, size: patch.box.shape.array) {
                    #expect(patch[Point(q[0], q[1])] == Self.value(Point(q[0], q[1])) + 7)
                }
                #expect(patch[patch.allocatedBox.lower] == -1, "ghosts are not read onto another floor plan")
            }
            try checkpoint.read("g", into: v)
            for patch in v.patches { #expect(patch[patch.box.upper - Point(1, 1)] == Self.value(patch.box.upper - Point(1, 1))) }
        }
        // 2 → 1 rank with one patch.
        let one = try PatchArray<Double, 2>(decomposition: Decomposition(domain: Self.domain, boxes: [Self.domain], owners: [0], rankCount: 1))
        try checkpoint.read("u", into: one)
        #expect(try one.value(at: Point(8, 13)) == Self.value(Point(8, 13)) + 7)
        // Same floor plan and ghost width: ghost cells come back exactly.
        for g in try Self.arrays(Self.twoRanks(), ghostWidth: 2, initial: 99) {
            try checkpoint.read("g", into: g)
            for (index, patch) in g.localPatches {
                for q in ArrayModel<Double>.points(lower: patch.allocatedBox.lower.array, size: patch.allocatedBox.shape.array) {
                    let p = Point<2>(q[0], q[1])
                    #expect(patch[p] == (patch.box.contains(p) ? Self.value(p) : -Double(index * 1000) - Self.value(p)))
                }
            }
        }
    }

    /// Four ranks write, one reads.
    @Test func restartFourRanksOntoOne() throws {
        let root = IOTestSupport.scratchDirectory("ckpt-41")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let four = try Self.plan([(0, 0, 5, 6), (0, 6, 5, 14), (5, 0, 9, 9), (5, 9, 9, 14)], owners: [0, 1, 2, 3], ranks: 4)
        let writer = try CheckpointWriter(root: root, step: 1, time: 0, floorPlan: four)
        for u in try Self.arrays(four) { u.fill { Self.value($0) }; try writer.write("u", u) }
        try writer.commit()
        let one = try PatchArray<Double, 2>(decomposition: Decomposition(domain: Self.domain, boxes: [Self.domain], owners: [0], rankCount: 1))
        try #require(try Checkpoint.newest(in: root)).read("u", into: one)
        #expect(one.patches[0].withUnsafeBufferPointer { Array($0) }
                == ArrayModel<Double>.points(lower: [0, 0], size: [9, 14]).map { Self.value(Point($0[0], $0[1])) })
    }

    /// A writer killed before its manifest leaves the previous checkpoint the newest valid one;
    /// a flipped byte is caught by the checksum; only the newest K are kept.
    @Test func killedWriterFlippedByteAndRetention() throws {
        let root = IOTestSupport.scratchDirectory("ckpt-kill")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeTwoRankCheckpoint(root: root, step: 10, format: .zarr)
        // Abandoned while writing data (never committed); CheckpointCrashTests kills real processes.
        do {
            let dying = try CheckpointWriter(root: root, step: 20, time: 2.5, floorPlan: Self.twoRanks())
            for u in try Self.arrays(Self.twoRanks()) { try dying.write("u", u) }
            #expect(try Checkpoint.newest(in: root)?.step == 10)
        }
        // Abandoned after the rename, before the manifest.
        do {
            let late = try CheckpointWriter(root: root, step: 30, time: 3, floorPlan: Self.twoRanks())
            for u in try Self.arrays(Self.twoRanks()) { try late.write("u", u) }
            try _FileSystem.move(late.temporaryPath, to: late.finalPath)
            #expect(throws: IOError.corrupt(path: late.finalPath, reason: "incomplete checkpoint: no manifest.json")) {
                _ = try Checkpoint(at: late.finalPath)
            }
            #expect(try Checkpoint.newest(in: root)?.step == 10)
        }
        // The next writer of step 20 clears the leftover and commits.
        try Self.writeTwoRankCheckpoint(root: root, step: 20, format: .hdf5)
        #expect(try Checkpoint.newest(in: root)?.step == 20)
        // A flipped byte in step 20's data: a clear error naming the file, and newest falls back.
        let file = root + "/ckpt-000000000020/data.h5"
        var bytes = try _FileSystem.readFile(file)
        bytes[bytes.count / 2] ^= 0x01
        try _FileSystem.writeFileAtomically(file, bytes, durable: false)
        do {
            _ = try Checkpoint(at: root + "/ckpt-000000000020")
            Issue.record("a flipped byte went unnoticed")
        } catch {
            guard case let .checksumMismatch(path, stored, computed) = error else { Issue.record("\(error)"); return }
            #expect(path == file && stored != computed)
            #expect(error.description.contains("checksum mismatch in \(file)"))
        }
        #expect(try Checkpoint.newest(in: root)?.step == 10)
        // Retention: keep the newest two.
        for step in 40..<43 { try Self.writeTwoRankCheckpoint(root: root, step: step, format: .zarr, keeping: 2) }
        #expect(try Checkpoint.directories(in: root).map { String($0.suffix(3)) } == ["042", "041"])
    }

    @Test func badInputIsTyped() throws {
        let root = IOTestSupport.scratchDirectory("ckpt-bad")
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: IOError.fileNotFound(path: root + "/nope")) { _ = try Checkpoint(at: root + "/nope") }
        #expect(try Checkpoint.newest(in: root + "/nothing-here") == nil)
        try Self.writeTwoRankCheckpoint(root: root, step: 3, format: .zarr)
        #expect(throws: IOError.alreadyExists(path: root + "/ckpt-000000000003")) {
            _ = try CheckpointWriter(root: root, step: 3, time: 0, floorPlan: Self.twoRanks())
        }
        let checkpoint = try #require(try Checkpoint.newest(in: root))
        #expect(throws: IOError.rankMismatch(path: root + "/ckpt-000000000003/data.zarr", expected: 3, found: 2)) {
            let _: Decomposition<3> = try checkpoint.floorPlan()
        }
        #expect(throws: IOError.fileNotFound(path: root + "/ckpt-000000000003/data.zarr/missing/zarr.json")) {
            try checkpoint.read("missing", into: Self.arrays(Self.twoRanks())[0])
        }
        let floats = try PatchArray<Float, 2>(decomposition: Self.twoRanks())
        #expect(throws: IOError.elementTypeMismatch(path: root + "/ckpt-000000000003/data.zarr/u", expected: "float32", found: "float64")) {
            try checkpoint.read("u", into: floats)
        }
        // An extra file in a checkpoint is not silently accepted.
        try _FileSystem.writeFileAtomically(root + "/ckpt-000000000003/stray", [1], durable: false)
        #expect(throws: IOError.corrupt(path: root + "/ckpt-000000000003/stray", reason: "not listed in the manifest")) {
            _ = try Checkpoint(at: root + "/ckpt-000000000003")
        }
    }

    /// A restart onto a grid of another shape is refused, naming both domains.
    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func anotherDomainIsATypedError(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-domain")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeTwoRankCheckpoint(root: root, step: 1, format: format)
        let checkpoint = try #require(try Checkpoint.newest(in: root))
        let file = checkpoint.path + (format == .zarr ? "/data.zarr/u" : "/data.h5:/u")
        for other in [Box<2>(uncheckedLower: Point(0, 0), upper: Point(10, 14)), Box<2>(uncheckedLower: Point(1, 0), upper: Point(10, 14)),
                      Box<2>(uncheckedLower: Point(0, 0), upper: Point(4, 5))] {
            let array = try PatchArray<Double, 2>(decomposition: Decomposition(domain: other, boxes: [other], owners: [0], rankCount: 1))
            #expect(throws: IOError.domainMismatch(path: file, saved: Self.domain.description, requested: other.description)) {
                try checkpoint.read("u", into: array)
            }
            #expect(throws: IOError.domainMismatch(path: file.replacingOccurrences(of: "/u", with: "/g"), saved: Self.domain.description,
                                                   requested: other.description)) {
                try checkpoint.read("g", into: array)
            }
        }
        #expect(IOError.domainMismatch(path: "f", saved: "[0, 0]..<[9, 14]", requested: "[0, 0]..<[10, 14]").description
                == "f holds data over the domain [0, 0]..<[9, 14], the array asks for [0, 0]..<[10, 14]")
    }

    /// Ghost widths are stored per axis: (2, 1) restores ghosts into (2, 1) arrays only.
    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func ghostWidthsPerAxis(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-ghosts")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plan = try Self.twoRanks()
        let writer = try CheckpointWriter(root: root, step: 1, time: 0, floorPlan: plan, format: format)
        func ghostValue(_ index: Int, _ p: Point<2>) -> Double { -Double(index * 1000) - Self.value(p) }
        for rank in 0..<2 {
            let g = try PatchArray<Double, 2>(decomposition: plan, ghostWidths: Point(2, 1), rank: rank)
            for (index, patch) in g.localPatches {
                try patch.fill(in: patch.allocatedBox) { p in patch.box.contains(p) ? Self.value(p) : ghostValue(index, p) }
            }
            try writer.write("g", g, includingGhosts: true)
        }
        try writer.commit()
        let checkpoint = try #require(try Checkpoint.newest(in: root))
        for widths in [Point<2>(2, 1), Point(1, 2)] {
            for rank in 0..<2 {
                let back = try PatchArray<Double, 2>(decomposition: plan, ghostWidths: widths, rank: rank, initialValue: 99)
                try checkpoint.read("g", into: back)
                for (index, patch) in back.localPatches {
                    for p in patch.allocatedBox.cells {
                        let expected = patch.box.contains(p) ? Self.value(p) : (widths == Point(2, 1) ? ghostValue(index, p) : 99)
                        #expect(patch[p] == expected, "widths \(widths), patch \(index), cell \(p)")
                    }
                }
            }
        }
    }

    /// The pencil layout (patches one after another along an axis, ranks chunk-aligned) reads
    /// back onto other floor plans, interiors and (same plan) ghosts.
    @Test(arguments: [CheckpointFormat.zarr, .hdf5], [0, 1])
    func pencilLayout(format: CheckpointFormat, axis: Int) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-pencils")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let writer = try CheckpointWriter(root: root, step: 2, time: 0, floorPlan: Self.twoRanks(), format: format, layout: .pencils(axis: axis))
        #expect(writer.layout == .pencils(axis: axis))
        for u in try Self.arrays(Self.twoRanks()) { u.fill { Self.value($0) }; try writer.write("u", u) }
        for g in try Self.arrays(Self.twoRanks(), ghostWidth: 1) {
            for (index, patch) in g.localPatches {
                try patch.fill(in: patch.allocatedBox) { p in patch.box.contains(p) ? Self.value(p) : -Double(index * 1000) - Self.value(p) }
            }
            try writer.write("g", g, includingGhosts: true)
        }
        try writer.commit()
        let checkpoint = try #require(try Checkpoint.newest(in: root))
        // The file is the patches along the axis, each rank's run starting on a chunk boundary, the
        // chunk no longer than the shortest run: along axis 0 rank 0 has 5 + 5 rows, rank 1 4 + 4
        // (chunk 8: rank 1 starts at row 16, 24 rows × the widest patch's 9 columns); along axis 1
        // both ranks have 6 + 8 = 9 + 5 = 14 columns (chunk 14, no padding: 5 rows × 28).
        let u = try checkpoint.store.openArray("u")
        #expect(u.arrayDescription.shape == (axis == 0 ? [24, 9] : [5, 28]), "\(u.arrayDescription.shape)")
        #expect(u.arrayDescription.chunkShape == (axis == 0 ? [8, 9] : [5, 14]), "\(u.arrayDescription.chunkShape)")
        for v in try Self.arrays(Self.threeRanks(), ghostWidth: 1, initial: -1) + [
            PatchArray<Double, 2>(decomposition: Decomposition(domain: Self.domain, boxes: [Self.domain], owners: [0], rankCount: 1))] {
            try checkpoint.read("u", into: v)
            for patch in v.patches { for p in patch.box.cells { #expect(patch[p] == Self.value(p)) } }
            v.fill { _ in -1 }
            try checkpoint.read("g", into: v)
            for patch in v.patches { for p in patch.box.cells { #expect(patch[p] == Self.value(p)) } }
        }
        for g in try Self.arrays(Self.twoRanks(), ghostWidth: 1, initial: 99) {
            try checkpoint.read("g", into: g)
            for (index, patch) in g.localPatches {
                for p in patch.allocatedBox.cells { #expect(patch[p] == (patch.box.contains(p) ? Self.value(p) : -Double(index * 1000) - Self.value(p))) }
            }
        }
        // With one owner, the layout is exactly Embedding.pencilize's.
        let (single, _) = try CheckpointLayout.pencils(Self.twoRanks().boxes, owners: [0, 0, 0, 0], axis: axis, elementBytes: 8)
        let pencilized = try Embedding.pencilize(boxes: Self.twoRanks().boxes, axis: axis)
        #expect(single.shifts == pencilized.shifts && single.fileShape == pencilized.fileShape)
        #expect(throws: IOError.invalidArgument(name: "pencil axis", value: "2", requirement: "in 0..<2")) {
            _ = try CheckpointWriter(root: root, step: 3, time: 0, floorPlan: Self.twoRanks(), layout: .pencils(axis: 2))
        }
    }

    /// A file whose size is not the manifest's is rejected (with or without checksum
    /// verification), and newest falls back to the previous checkpoint.
    @Test(arguments: [CheckpointFormat.zarr, .hdf5])
    func aFileOfAnotherSizeIsRejected(format: CheckpointFormat) throws {
        let root = IOTestSupport.scratchDirectory("ckpt-size")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeTwoRankCheckpoint(root: root, step: 1, format: format)
        try Self.writeTwoRankCheckpoint(root: root, step: 2, format: format)
        let directory = root + "/ckpt-000000000002"
        let file = directory + (format == .zarr ? "/data.zarr/u/c/0/0" : "/data.h5")
        let bytes = try _FileSystem.readFile(file)
        for changed in [bytes + [0], Array(bytes.dropLast(8))] {
            try _FileSystem.writeFileAtomically(file, changed, durable: false)
            for verify in [false, true] {
                #expect(throws: IOError.corrupt(path: file, reason: "\(changed.count) bytes, the manifest records \(bytes.count)")) {
                    _ = try Checkpoint(at: directory, verify: verify)
                }
            }
            #expect(try Checkpoint.newest(in: root)?.step == 1)
        }
    }

    /// An unwritable root (under a regular file: ENOTDIR even for root) is a typed error naming the path.
    @Test func anUnwritableRootIsATypedError() throws {
        let scratch = IOTestSupport.scratchDirectory("ckpt-notdir")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let plain = scratch + "/plain"
        try _FileSystem.writeFileAtomically(plain, [1, 2, 3], durable: false)
        #expect(throws: IOError.system(call: "mkdir", path: plain + "/ckpt", errno: ENOTDIR)) {
            _ = try CheckpointWriter(root: plain + "/ckpt", step: 1, time: 0, floorPlan: Self.twoRanks())
        }
        #expect(throws: IOError.system(call: "mkdir", path: plain + "/.ckpt-000000000001.partial", errno: ENOTDIR)) {
            _ = try CheckpointWriter(root: plain, step: 1, time: 0, floorPlan: Self.twoRanks())
        }
        #expect(IOError.system(call: "mkdir", path: plain, errno: ENOTDIR).description.contains("(ENOTDIR: not a directory)"))
        #expect(try _FileSystem.readFile(plain) == [1, 2, 3])
    }

    /// Retention counts valid checkpoints only and removes the leftovers of dead writers, but
    /// not the directory of a writer still at work; a manifest-less leftover of a step does not
    /// block the next writer of that step.
    @Test func pruneCountsValidCheckpointsAndRemovesLeftovers() throws {
        let root = IOTestSupport.scratchDirectory("ckpt-prune")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for step in 1...3 { try Self.writeTwoRankCheckpoint(root: root, step: step, format: .zarr) }
        // Step 3 corrupt (a truncated chunk), a dead writer's partial step 5 and manifest-less step 4.
        let chunk = root + "/ckpt-000000000003/data.zarr/u/c/0/0"
        try _FileSystem.writeFileAtomically(chunk, Array(try _FileSystem.readFile(chunk).dropLast()), durable: false)
        try _FileSystem.makeDirectories(root + "/.ckpt-000000000005.partial/data.zarr")
        try _FileSystem.makeDirectories(root + "/ckpt-000000000004/data.zarr")
        let active = try CheckpointWriter(root: root, step: 6, time: 0, floorPlan: Self.twoRanks())
        for u in try Self.arrays(Self.twoRanks()) { try active.write("u", u) }
        func entries() throws -> [String] { try _FileSystem.list(root) }
        #expect(try entries() == [".ckpt-000000000005.partial", ".ckpt-000000000006.partial",
                                  "ckpt-000000000001", "ckpt-000000000002", "ckpt-000000000003", "ckpt-000000000004"])
        // Keeping 2: the corrupt step 3 is not counted (so 1 and 2 stay); leftovers go, the active writer's stays.
        try Checkpoint.prune(in: root, keeping: 2)
        #expect(try entries() == [".ckpt-000000000006.partial", "ckpt-000000000001", "ckpt-000000000002", "ckpt-000000000003"])
        try Checkpoint.prune(in: root, keeping: 1)
        #expect(try entries() == [".ckpt-000000000006.partial", "ckpt-000000000002", "ckpt-000000000003"])
        // The active writer commits and keeps 2: step 6 and step 2 are valid, corrupt 3 between them stays.
        try active.commit(keeping: 2)
        #expect(try entries() == ["ckpt-000000000002", "ckpt-000000000003", "ckpt-000000000006"])
        try Checkpoint.prune(in: root, keeping: 1)
        #expect(try entries() == ["ckpt-000000000006"])
        // A manifest-less leftover of step 7 is replaced by the next writer of step 7.
        try _FileSystem.makeDirectories(root + "/ckpt-000000000007/data.zarr")
        try Self.writeTwoRankCheckpoint(root: root, step: 7, format: .hdf5)
        #expect(try Checkpoint.newest(in: root)?.step == 7)
        #expect(throws: IOError.alreadyExists(path: root + "/ckpt-000000000007")) {
            _ = try CheckpointWriter(root: root, step: 7, time: 0, floorPlan: Self.twoRanks())
        }
        #expect(throws: IOError.invalidArgument(name: "checkpoints to keep", value: "0", requirement: ">= 1")) {
            try Checkpoint.prune(in: root, keeping: 0)
        }
    }
}
