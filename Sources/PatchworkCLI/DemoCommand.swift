import ArgumentParser
import Foundation
import Patchwork

/// `patchwork demo`: a 2-D heat equation on an irregular floor plan in one run — recursive
/// bisection, periodic halo exchange from a cached plan, a 5-point stencil — checked against the
/// exact decay of a Fourier mode, with a picture of the field at the end.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A 2-D heat equation on an irregular floor plan, checked against its exact solution."
    )

    @Option(help: "Cells per side of the square, periodic domain.") var size = 512
    @Option(help: "Largest patch extent of the recursive bisection.") var maxExtent = 80
    @Option(help: "Time steps.") var steps = 400
    @Option(help: "Where to write the PNG of the final field (empty: none).") var picture = "heat-demo.png"

    func validate() throws {
        guard size >= 4 else { throw ValidationError("--size must be at least 4, got \(size)") }
        guard maxExtent >= 2 else { throw ValidationError("--max-extent must be at least 2, got \(maxExtent)") }
        guard steps >= 0 else { throw ValidationError("--steps must be non-negative, got \(steps)") }
    }

    func run() throws {
        let alpha = 0.2  // κ·Δt/Δx², stable below 1/4
        let domain = try Box<2>(lower: [0, 0], upper: [size, size])
        let floorPlan = try Decomposition(bisecting: domain, maxExtent: maxExtent, ranks: 1, periodic: [true, true])
        var u = try PatchArray<Double, 2>(decomposition: floorPlan, ghostWidth: 1)
        var v = try PatchArray<Double, 2>(decomposition: floorPlan, ghostWidth: 1)
        let k = 2 * Double.pi / Double(size)
        u.fill { p in sin(k * Double(p[0])) * sin(k * Double(p[1])) }

        // Inspector once, executor every step: one cached plan serves both arrays.
        let plans = PlanCache<2>()
        let halo = try plans.haloFill(plan: floorPlan, width: 1, corners: false)
        var exchangeU = try HaloExchange(plan: halo, quantities: [.scalar(u)])
        var exchangeV = try HaloExchange(plan: try plans.haloFill(plan: floorPlan, width: 1, corners: false), quantities: [.scalar(v)])
        print("floor plan: \(floorPlan.count) patches by recursive bisection of \(domain), periodic")
        print("halo plan:  \(halo.moves.count) moves, \(halo.volume) ghost cells per exchange (plans built \(plans.statistics.builds), reused \(plans.statistics.hits))")

        let start = Date()
        for _ in 0..<steps {
            try exchangeU.run()
            try Stencil.jacobi5(from: u, to: v, centre: 1 - 4 * alpha, neighbour: alpha)
            swap(&u, &v)
            swap(&exchangeU, &exchangeV)
        }
        let seconds = Date().timeIntervalSince(start)

        // The mode decays by exactly g per step under the 5-point scheme.
        let g = 1 - 8 * alpha * pow(sin(k / 2), 2)
        let decay = pow(g, Double(steps))
        var worst = 0.0
        for (_, patch) in u.localPatches {
            for p in patch.box.cells {
                let exact = decay * sin(k * Double(p[0])) * sin(k * Double(p[1]))
                worst = max(worst, abs(patch[p] - exact))
            }
        }
        let cellUpdates = Double(size * size * steps)
        print(String(format: "%d steps of %d×%d cells in %.3f s: %.1f M cell updates/s", steps, size, size, seconds, cellUpdates / seconds / 1e6))
        print(String(format: "amplitude %.6f (exact %.6f), max error %.2e", decay, decay, worst))
        if !picture.isEmpty {
            var dense = [Double](repeating: 0, count: size * size)
            for (_, patch) in u.localPatches {
                for p in patch.box.cells { dense[p[0] * size + p[1]] = patch[p] }
            }
            try PNG.write(values: dense, width: size, height: size, to: picture, colorMap: .blueWhiteRed)
            print("picture: \(picture)")
        }
        guard worst < 1e-10 else {
            throw ValidationError("the error \(worst) exceeds 1e-10: the run is wrong")
        }
    }
}
