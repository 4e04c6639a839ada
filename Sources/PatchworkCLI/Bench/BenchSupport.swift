/// Inputs and helpers shared by the benchmarks.
import Patchwork
enum BenchSupport {
    /// A cube cut into `count` boxes of about 16³ cells: recursive bisection of the longest axis
    /// at a random point near the share of boxes each side gets; optionally in shuffled order (so
    /// that an index, not the input order, does the work).
    static func bisectedCube(count: Int, seed: UInt64, shuffled: Bool = false) -> (domain: Box<3>, boxes: [Box<3>]) {
        var side = 1
        while side * side * side < count * 4096 { side += 1 }
        var rng = SplitMix64(seed: seed)
        let domain = Box<3>(uncheckedLower: .zero, upper: Point(repeating: side))
        var result: [Box<3>] = []
        result.reserveCapacity(count)
        var stack: [(Box<3>, Int)] = [(domain, count)]
        while let (box, k) = stack.popLast() {
            if k == 1 { result.append(box); continue }
            let shape = box.shape
            var axis = 0
            for a in 1..<3 where shape[a] > shape[axis] { axis = a }
            let left = k / 2
            let share = Double(left) / Double(k) * (0.85 + 0.3 * rng.unit())
            let cut = Swift.min(Swift.max(1, Int(Double(shape[axis]) * share)), shape[axis] - 1)
            var low = box, high = box
            low.upper[axis] = box.lower[axis] + cut
            high.lower[axis] = box.lower[axis] + cut
            stack.append((high, k - left))
            stack.append((low, left))
        }
        if shuffled {
            for i in stride(from: result.count - 1, to: 0, by: -1) {
                result.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
        }
        return (domain, result)
    }

    /// A duration in seconds.
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
