import ArgumentParser

/// `patchwork bench NAME --json`: benchmarks that print their figures beside a reference measured
/// in the same run. One file per benchmark in `Bench/`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures (JSON with --json) with a same-run reference.",
        subcommands: [
            BoxesBench.self, PlansBench.self, StencilBench.self, ExchangeBench.self, DataflowBench.self,
            MPIBench.self, HaloBench.self, HeatScalingBench.self, IOBench.self,
        ]
    )
}
