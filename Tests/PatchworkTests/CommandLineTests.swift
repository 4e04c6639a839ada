import Foundation
import Testing
@testable import Patchwork

/// The built `patchwork` executable answers `--help` and `--version` (found as the MPI tests find
/// it: `swift build --build-tests` builds it beside the tests).
@Suite struct CommandLineTests {
    @Test func versionIsTheLibraryVersion() throws {
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["--version"], timeout: 30)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines) == Patchwork.version)
    }

    @Test func helpListsTheSubcommands() throws {
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["--help"], timeout: 30)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("USAGE: patchwork <subcommand>"), "\(outcome.output)")
        #expect(outcome.output.contains("--version"))
        for subcommand in ["run", "inspect", "bench"] {
            #expect(outcome.output.contains("\n  \(subcommand) "), "\(subcommand) missing from \(outcome.output)")
        }
    }

    /// An unknown part of a benchmark is refused with its name and the valid ones, not run as
    /// another part.
    @Test func anUnknownBenchmarkPartIsRefused() throws {
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["bench", "dataflow", "--only", "stencl"], timeout: 30)
        #expect(outcome.status != 0)
        #expect(outcome.output.contains("stencl"), "\(outcome.output)")
        #expect(outcome.output.contains("stencil-traced"), "\(outcome.output)")
    }
}
