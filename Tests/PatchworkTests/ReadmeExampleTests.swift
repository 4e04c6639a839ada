import Foundation
import Testing
import Patchwork

/// The README's ten-line stencil code: the test checks that the README shows exactly the code
/// between the markers below, runs it, and compares the result with the exact decay of its mode.
@Suite(.timeLimit(.minutes(1))) struct ReadmeExampleTests {
    /// The README's example, as written (between the markers), returning its field.
    static func readmeExample() throws -> PatchArray<Double, 2> {
        // README BEGIN
        let domain = try Box<2>(lower: [0, 0], upper: [512, 512])
        let plan = try Decomposition(bisecting: domain, maxExtent: 80, ranks: 1, periodic: [true, true])
        var u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        var v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
        u.fill { p in sin(2 * .pi * Double(p[0]) / 512) }               // a Fourier mode

        let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)   // inspector: built once
        var fillU = try HaloExchange(plan: halo, quantities: [.scalar(u)])         // executors: run every step
        var fillV = try HaloExchange(plan: halo, quantities: [.scalar(v)])
        let graph = try DataflowGraph()
        for _ in 0..<100 {
            try graph.submit(fillU)                                      // periodic ghosts of u, as tasks
            for i in u.patchIndices {                                    // v = u + 0.2 ∇²u, patch by patch
                try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { u, v in
                    try Stencil.jacobi5(from: u, to: v, over: v.box, centre: 1 - 4 * 0.2, neighbour: 0.2)
                }
            }
            swap(&u, &v); swap(&fillU, &fillV)
        }
        try graph.wait()
        // README END
        return u
    }

    @Test func readmeShowsThisCode() throws {
        let tests = URL(fileURLWithPath: #filePath)
        let readme = tests.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let readmeLines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
        let ownLines = try String(contentsOf: tests, encoding: .utf8).components(separatedBy: "\n")

        // The README's first Swift block, without the two import lines.
        let open = try #require(readmeLines.firstIndex(of: "```swift"))
        let close = try #require(readmeLines[(open + 1)...].firstIndex(of: "```"))
        let shown = readmeLines[(open + 1)..<close].filter { !$0.hasPrefix("import ") && !$0.isEmpty }

        let begin = try #require(ownLines.firstIndex { $0.hasSuffix("// README BEGIN") })
        let end = try #require(ownLines.firstIndex { $0.hasSuffix("// README END") })
        let run = ownLines[(begin + 1)..<end].filter { !$0.isEmpty }.map { String($0.dropFirst(8)) }
        #expect(Array(shown) == run)
    }

    @Test func readmeExampleDecaysAsTheExactSolution() throws {
        let u = try Self.readmeExample()
        // One step multiplies the mode by g = 1 − 4·0.2·sin²(π/512).
        let g = 1 - 4 * 0.2 * pow(sin(Double.pi / 512), 2)
        var worst = 0.0
        for (_, patch) in u.localPatches {
            for p in patch.box.cells {
                worst = max(worst, abs(patch[p] - pow(g, 100) * sin(2 * .pi * Double(p[0]) / 512)))
            }
        }
        #expect(worst < 1e-12)
        #expect(u.patchIndices.count > 4)   // really cut into several patches
    }
}
