import ArgumentParser
import Patchwork

/// The `patchwork` command-line tool: demos, benchmarks and inspection.
@main
struct PatchworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patchwork",
        abstract: "Irregular block-structured scientific computing: floor plans, patch arrays, halo exchange.",
        version: Patchwork.version,
        subcommands: [RunCommand.self, InspectCommand.self, BenchCommand.self, SelfTestCommand.self]
    )
}
