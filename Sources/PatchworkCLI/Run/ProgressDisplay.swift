import Foundation
import Patchwork

/// Shows a run's progress: a redrawn bar (step, rate, ETA) on a terminal, ten plain lines
/// (every 10 %) otherwise.
final class ProgressDisplay {
    let terminal: Bool
    private var lastDraw = -1.0
    private var lastDecile = -1
    private var drawn = false

    init(terminal: Bool) { self.terminal = terminal }

    func update(_ p: HeatProgress) {
        if terminal {
            guard p.elapsed - lastDraw >= 0.1 || p.step == p.lastStep else { return }
            lastDraw = p.elapsed
            let width = 30
            let filled = Int(p.fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = String(format: "\r  [%@] step %d/%d %3.0f%%  %.0f steps/s  %.1f M cells/s  ETA %.1f s ",
                              bar, p.step, p.lastStep, 100 * p.fraction, p.stepsPerSecond, p.cellUpdatesPerSecond / 1e6, p.remaining)
            FileHandle.standardOutput.write(Data(line.utf8))
            drawn = true
        } else {
            let decile = Int(p.fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            print(String(format: "  step %d/%d (%.0f%%), %.0f steps/s, %.1f M cell updates/s, ETA %.1f s",
                         p.step, p.lastStep, 100 * p.fraction, p.stepsPerSecond, p.cellUpdatesPerSecond / 1e6, p.remaining))
        }
    }

    /// Ends the bar's line.
    func finish() {
        if drawn { print(""); drawn = false }
        fflush(nil)
    }
}
