import ArgumentParser

/// `patchwork run …`: the demos that show the library end to end.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a demo simulation (snapshots, checkpoints, pictures, self-verification).",
        subcommands: [RunHeatCommand.self]
    )
}
