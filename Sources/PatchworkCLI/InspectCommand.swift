import ArgumentParser
import Foundation
import Patchwork

/// `patchwork inspect PATH`: what a snapshot store (Zarr or HDF5), a checkpoint, a directory of
/// checkpoints, or the output directory of `patchwork run heat` holds — quantities, shapes,
/// element types, floor plan, steps and times — and whether every checkpoint checksum and every
/// snapshot checksum (CRC32C per snapshot) is valid. Exit status 1 when a checksum is wrong or a
/// checkpoint is incomplete, 64 when PATH is none of these.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a snapshot store or checkpoint holds, and check its checksums."
    )

    @Argument(help: "A snapshot store (.zarr directory or HDF5 file), a checkpoint, a checkpoint directory, or a run's output directory.")
    var path: String

    func run() throws {
        var report = Report()
        let kind = Self.kind(of: path)
        switch kind {
        case .none:
            FileHandle.standardError.write(Data("Error: \(path) \(FileManager.default.fileExists(atPath: path) ? "is neither a snapshot store (Zarr or HDF5) nor a checkpoint" : "does not exist")\n".utf8))
            throw ExitCode(64)
        case .checkpoint: inspectCheckpoint(path, into: &report)
        case .checkpoints: inspectCheckpoints(path, into: &report)
        case .store: inspectStore(path, into: &report)
        case .runOutput:
            report.line("\(path): output of patchwork run heat")
            for name in ["snapshots.zarr", "snapshots.h5"] where Self.kind(of: path + "/" + name) == .store {
                inspectStore(path + "/" + name, into: &report)
            }
            if Self.kind(of: path + "/checkpoints") == .checkpoints { inspectCheckpoints(path + "/checkpoints", into: &report) }
            for name in ["heat.png"] where FileManager.default.fileExists(atPath: path + "/" + name) {
                report.line("picture: \(path)/\(name)")
            }
        }
        print(report.lines.joined(separator: "\n"))
        if report.invalid > 0 {
            FileHandle.standardError.write(Data("Error: \(report.invalid) INVALID (checkpoints or snapshots, see above)\n".utf8))
            throw ExitCode(1)
        }
    }

    struct Report {
        var lines: [String] = []
        var invalid = 0
        mutating func line(_ s: String) { lines.append(s) }
    }

    enum Kind: Equatable { case none, checkpoint, checkpoints, store, runOutput }

    /// What `path` looks like, from its files alone.
    static func kind(of path: String) -> Kind {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return .none }
        if !isDirectory.boolValue {
            guard let handle = FileHandle(forReadingAtPath: path) else { return .none }
            defer { try? handle.close() }
            let signature = handle.readData(ofLength: 8)
            return signature == Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]) ? .store : .none
        }
        let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
        if entries.contains("zarr.json") { return .store }
        if entries.contains("manifest.json") || entries.contains("data.zarr") || entries.contains("data.h5") { return .checkpoint }
        if entries.contains(where: { $0.hasPrefix("ckpt-") }) { return .checkpoints }
        if entries.contains("checkpoints") || entries.contains("snapshots.zarr") || entries.contains("snapshots.h5") { return .runOutput }
        return .none
    }

    /// Shape, element type, chunks and dimension names of one file array.
    static func describe(_ d: FileArrayDescription) -> String {
        var s = "\(d.elementType.name) \(d.shape.map(String.init).joined(separator: " × "))"
        if !d.dimensionNames.isEmpty, d.dimensionNames.contains(where: { !$0.isEmpty }) { s += " (\(d.dimensionNames.joined(separator: ", ")))" }
        s += ", chunks \(d.chunkShape.map(String.init).joined(separator: "×"))"
        if d.compression != .none { s += ", \(d.compression)" }
        return s
    }

    func openStore(_ path: String) throws -> any FileStore {
        Self.kind(of: path) == .store && FileManager.default.fileExists(atPath: path + "/zarr.json")
            ? try ZarrStore.open(at: path) : try HDF5Store.open(at: path, writable: false)
    }

    func inspectStore(_ path: String, into report: inout Report) {
        let format = FileManager.default.fileExists(atPath: path + "/zarr.json") ? "Zarr v3" : "HDF5"
        report.line("\(path): snapshot store (\(format))")
        do {
            let store = try openStore(path)
            let names = try store.arrayNames()
            if names.isEmpty { report.line("  no arrays") }
            for name in names {
                let file = try store.openArray(name)
                report.line("  \(name): \(Self.describe(file.arrayDescription))")
                var steps: [Int64] = []
                var times: [Double] = []
                if case let .ints(s)? = try file.attribute("step") { steps = s }
                switch try file.attribute("time") {
                case let .doubles(t)?: times = t
                case let .ints(t)?: times = t.map(Double.init)
                default: break
                }
                if !steps.isEmpty {
                    let count = min(steps.count, times.count)
                    report.line("    \(count) snapshot\(count == 1 ? "" : "s"): steps \(Self.list(steps.prefix(count).map { "\($0)" })), "
                                + "times \(Self.list(times.prefix(count).map { String(format: "%.6g", $0) }))")
                    inspectSnapshots(file, steps: steps, into: &report)
                }
            }
        } catch {
            report.line("  unreadable: \(error)")
            report.invalid += 1
        }
    }

    /// The floor plan a series was written from and whether each snapshot's CRC32C still holds.
    func inspectSnapshots(_ file: any FileInterface, steps: [Int64], into report: inout Report) {
        do {
            if let plan = try Self.snapshotFloorPlan(file) { report.line("    floor plan: " + plan) }
            let checks = try file.verifySnapshotChecksums()
            if checks.checked == 0 {
                report.line("    checksums: none stored")
            } else if checks.mismatches.isEmpty {
                report.line("    checksums: all \(checks.checked) snapshot\(checks.checked == 1 ? "" : "s") valid (CRC32C)")
            }
            for bad in checks.mismatches {
                let step = bad.snapshot < steps.count ? " (step \(steps[bad.snapshot]))" : ""
                report.line("    checksums: snapshot \(bad.snapshot)\(step) INVALID: checksum stored 0x\(String(bad.stored, radix: 16)), "
                            + "computed 0x\(String(bad.computed, radix: 16))")
                report.invalid += 1
            }
        } catch {
            report.line("    snapshots unreadable: \(error)")
            report.invalid += 1
        }
    }

    /// `2-D domain 20 × 20 from [0, 0], 4 patches on 2 ranks, not periodic; boxes → ranks: …`,
    /// or nil when the array records no floor plan.
    static func snapshotFloorPlan(_ file: any FileInterface) throws -> String? {
        func describe<let N: Int>(_ plan: Decomposition<N>) -> String {
            let boxes = zip(plan.boxes, plan.owners).map { "\($0) → \($1)" }
            return "\(domainPhrase(plan)), \(plan.count) patch\(plan.count == 1 ? "" : "es") on \(plan.rankCount) rank\(plan.rankCount == 1 ? "" : "s"), "
                + "\(periodicityPhrase(plan)); boxes → ranks: \(list(boxes))"
        }
        if let plan: Decomposition<1> = try file.floorPlan() { return describe(plan) }
        if let plan: Decomposition<2> = try file.floorPlan() { return describe(plan) }
        if let plan: Decomposition<3> = try file.floorPlan() { return describe(plan) }
        if let plan: Decomposition<4> = try file.floorPlan() { return describe(plan) }
        return nil
    }

    func inspectCheckpoints(_ root: String, into report: inout Report) {
        let directories = (try? Checkpoint.directories(in: root)) ?? []
        report.line("\(root): \(directories.count) checkpoint\(directories.count == 1 ? "" : "s"), newest first")
        for directory in directories { inspectCheckpoint(directory, into: &report) }
    }

    func inspectCheckpoint(_ path: String, into report: inout Report) {
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(at: path, verify: true)
        } catch {
            report.line("\(path): checkpoint INVALID: \(error)")
            report.invalid += 1
            return
        }
        let files = Self.manifestFileCount(path)
        report.line("\(path): checkpoint at step \(checkpoint.step), time \(String(format: "%.6g", checkpoint.time))")
        report.line("  checksums: all \(files) files valid (CRC32C and size as in manifest.json)")
        if !checkpoint.metadata.isEmpty {
            report.line("  metadata: " + checkpoint.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        report.line("  floor plan: " + Self.floorPlanDescription(checkpoint))
        let data = FileManager.default.fileExists(atPath: path + "/data.zarr") ? path + "/data.zarr" : path + "/data.h5"
        do {
            let store = try openStore(data)
            for name in checkpoint.quantityNames {
                let file = try store.openArray(name)
                var ghosts = ""
                if case let .int(g)? = try file.attribute("patchwork_ghost_width"), g > 0 { ghosts = ", with \(g) ghost cells" }
                report.line("  \(name): \(Self.describe(file.arrayDescription))\(ghosts)")
            }
        } catch {
            report.line("  quantities unreadable: \(error)")
            report.invalid += 1
        }
    }

    static func floorPlanDescription(_ checkpoint: Checkpoint) -> String {
        func describe<let N: Int>(_ plan: Decomposition<N>) -> String {
            let extents = plan.boxes.map { $0.shape.array.max() ?? 0 }
            return "\(domainPhrase(plan)), \(plan.count) patches (largest extent \(extents.max() ?? 0), smallest \(extents.min() ?? 0)), \(plan.rankCount) rank\(plan.rankCount == 1 ? "" : "s"), \(periodicityPhrase(plan))"
        }
        if let plan: Decomposition<2> = try? checkpoint.floorPlan() { return describe(plan) }
        if let plan: Decomposition<3> = try? checkpoint.floorPlan() { return describe(plan) }
        if let plan: Decomposition<1> = try? checkpoint.floorPlan() { return describe(plan) }
        if let plan: Decomposition<4> = try? checkpoint.floorPlan() { return describe(plan) }
        return "unreadable"
    }

    /// `2-D domain 20 × 20 from [0, 0]`.
    static func domainPhrase<let N: Int>(_ plan: Decomposition<N>) -> String {
        "\(N)-D domain \(plan.domain.shape.array.map(String.init).joined(separator: " × ")) from \(plan.domain.lower.array)"
    }

    /// `periodic`, `periodic on [true, false]` or `not periodic`.
    static func periodicityPhrase<let N: Int>(_ plan: Decomposition<N>) -> String {
        plan.periodic.allSatisfy { $0 } ? "periodic" : plan.periodic.contains(true) ? "periodic on \(plan.periodic)" : "not periodic"
    }

    static func manifestFileCount(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path + "/manifest.json"),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let files = json["files"] as? [Any] else { return 0 }
        return files.count
    }

    /// `a, b, c` or `a, b, …, z` for long lists.
    static func list(_ items: [String]) -> String {
        items.count <= 8 ? items.joined(separator: ", ")
            : (items.prefix(3) + ["…"] + items.suffix(2)).joined(separator: ", ")
    }
}
