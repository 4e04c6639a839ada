import ArgumentParser
import Patchwork

/// `patchwork demo`: a short tour of what the library does so far.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A short tour of the library: boxes, floor plans, patch arrays and a stencil sweep."
    )

    func run() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [64, 32])
        print("domain \(domain): \(domain.volume) cells")
        print("grown by 2: \(domain.grown(by: 2))")
    }
}
