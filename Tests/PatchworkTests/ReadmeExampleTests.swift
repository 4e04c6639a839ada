import Foundation
import Testing
import Patchwork

/// The README's ten-line stencil code, run as written, against the exact decay of its mode.
@Test func readmeExampleDecaysAsTheExactSolution() throws {
    let domain = try Box<2>(lower: [0, 0], upper: [512, 512])
    let plan = try Decomposition(bisecting: domain, maxExtent: 80, ranks: 1, periodic: [true, true])
    let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
    let v = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
    u.fill { p in sin(2 * .pi * Double(p[0]) / 512) }

    let halo = try MotionPlan.haloFill(plan: plan, width: 1, corners: false)
    let fill = try HaloExchange(plan: halo, quantities: [.scalar(u)])
    for _ in 0..<100 {
        try fill.run()
        try Stencil.jacobi5(from: u, to: v, centre: 1 - 4 * 0.2, neighbour: 0.2)
        try u.copy(from: v)
    }
    // One step multiplies the mode by g = 1 − 4·0.2·sin²(π/512).
    let g = 1 - 4 * 0.2 * pow(sin(Double.pi / 512), 2)
    var worst = 0.0
    for (_, patch) in u.localPatches {
        for p in patch.box.cells {
            worst = max(worst, abs(patch[p] - pow(g, 100) * sin(2 * .pi * Double(p[0]) / 512)))
        }
    }
    #expect(worst < 1e-12)
}
