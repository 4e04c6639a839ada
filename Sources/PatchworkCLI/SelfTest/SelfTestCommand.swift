import ArgumentParser

/// `patchwork selftest NAME` (hidden): checks that need several processes, run under `mpirun` by
/// the test suite, which asserts their exit status and output.
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Internal checks run by the test suite (under mpirun for several ranks).",
        shouldDisplay: false,
        subcommands: [
            MPISelfTest.self, ExchangeSelfTest.self, IOSelfTest.self, CheckpointSelfTest.self,
            FullDiskSelfTest.self, AllocationSelfTest.self,
        ]
    )
}
