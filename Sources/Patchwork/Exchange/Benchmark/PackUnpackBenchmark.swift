import Foundation

/// The measurements behind `patchwork bench exchange` (package-internal: the CLI runs them).
///
/// Packs the four edge strips of `quantities` Double arrays of one cubed-sphere tile
/// (`(n + 2h) × (n + 2h) × nz`, row-major) into one buffer and unpacks them into the halos: the
/// configuration of pace's `HaloDataTransformer` benchmark. With one quarter turn, each halo strip
/// reads a turned interior strip, exactly as across a turned tile edge.
package enum PackUnpackBenchmark {
    package struct Figures: Sendable {
        package var haloBytes: Int
        package var secondsPerPackUnpack: Double
        package var secondsWithBufferCopy: Double
        package var memcpySeconds: Double
    }

    package static func packUnpack(n: Int, levels nz: Int, halo h: Int, quantities q: Int, turns: Int, repetitions: Int) throws -> Figures {
        let interior = try Box<3>(lower: [0, 0, 0], upper: [n, n, nz])
        let patches = try (0..<q).map { _ in try Patch<Double, 3>(box: interior, ghostWidths: [h, h, 0]) }  // (n + 2h)² × nz, as pace
        for (k, p) in patches.enumerated() { try p.fill(in: p.allocatedBox) { pt in Double(k + pt[0] * 3 + pt[1] * 7 + pt[2]) } }
        // The four halo strips (all levels) and, for each, the interior cells it reads.
        let west = try Box<3>(lower: [-h, 0, 0], upper: [0, n, nz])
        let east = try Box<3>(lower: [n, 0, 0], upper: [n + h, n, nz])
        let south = try Box<3>(lower: [0, -h, 0], upper: [n, 0, nz])
        let north = try Box<3>(lower: [0, n, 0], upper: [n, n + h, nz])
        var moves: [Move<3>] = []
        for halo in [west, east, south, north] {
            // Place the turned footprint inside the interior (against the far side where it is thin).
            let probe = LatticeTransform<3>(turns: turns, mapping: halo.lower, to: .zero)
            let a = probe.apply(halo.lower), b = probe.apply(halo.upper - Point(repeating: 1))
            let lo = Point.min(a, b), hi = Point.max(a, b)
            var shift = Point<3>.zero
            for axis in 0..<2 {
                shift[axis] = (hi[axis] - lo[axis] + 1 == n) ? -lo[axis] : (halo.lower[axis] < 0 ? n - 1 - hi[axis] : -lo[axis])
            }
            shift[2] = -lo[2]
            moves.append(Move(sourcePatch: 0, destinationPatch: 0, destinationBox: halo,
                              transform: LatticeTransform(turns: turns, mapping: halo.lower, to: shift)))
        }
        var packing = PackingPlan<3>()
        var unpacking = PackingPlan<3>()
        typealias Layout = ExchangeLayout<Double, 3>
        for move in moves {
            for k in 0..<q {
                let source = try Layout.sourceRegion(of: move, in: patches[k], staggeredAxis: nil)
                packing.append(quantity: k, region: source.region, box: source.box)
                unpacking.append(quantity: k, region: try Layout.destinationRegion(of: move, in: patches[k], staggeredAxis: nil), box: move.destinationBox)
            }
        }
        let bytes = packing.elementCount * 8
        let pointers = UnsafeMutableBufferPointer<UnsafeMutablePointer<Double>>.allocate(capacity: q)
        defer { pointers.deallocate() }
        for k in 0..<q { pointers[k] = patches[k].storage.base }
        let sendBuffer = UnsafeMutablePointer<Double>.allocate(capacity: packing.elementCount)
        let receiveBuffer = UnsafeMutablePointer<Double>.allocate(capacity: packing.elementCount)
        defer { sendBuffer.deallocate(); receiveBuffer.deallocate() }
        let table = UnsafeBufferPointer(pointers)
        // A round packs into the buffer and unpacks from it (the definition); pace's
        // script also copies the buffer in between, reported separately for a like-for-like ratio.
        func once() {
            packing.pack(table, into: sendBuffer)
            unpacking.unpack(UnsafePointer(sendBuffer), into: table)
        }
        func onceWithCopy() {
            packing.pack(table, into: sendBuffer)
            receiveBuffer.update(from: sendBuffer, count: packing.elementCount)
            unpacking.unpack(UnsafePointer(receiveBuffer), into: table)
        }
        let packSeconds = withExtendedLifetime(patches) { bestOf(5, repetitions: repetitions, once) }
        let copySeconds = withExtendedLifetime(patches) { bestOf(5, repetitions: repetitions, onceWithCopy) }
        let memcpySeconds = bestOf(5, repetitions: repetitions) {
            receiveBuffer.update(from: sendBuffer, count: packing.elementCount)
        }
        return Figures(haloBytes: bytes, secondsPerPackUnpack: packSeconds, secondsWithBufferCopy: copySeconds, memcpySeconds: memcpySeconds)
    }

    /// A full ghost fill of the 6-tile sphere in one process (every move a local copy).
    package static func sphereFill(n: Int, levels nz: Int, halo h: Int, quantities q: Int, repetitions: Int) throws -> (bytes: Int, seconds: Double, memcpySeconds: Double) {
        let sphere = try CubedSphere(tileSize: n, layout: [1, 1])
        let plan: Decomposition<3> = try sphere.floorPlan(levels: nz, ranks: 1)
        let arrays = try (0..<q).map { _ in try PatchArray<Double, 3>(decomposition: plan, ghostWidths: [h, h, 0]) }
        for a in arrays { a.fill { p in Double(p[0] + 2 * p[1] + 3 * p[2]) } }
        let motion = try MotionPlan<3>.cubedSphereHaloFill(sphere: sphere, levels: nz, width: h, corners: false)
        let exchange = try HaloExchange(plan: motion, quantities: arrays.map { .scalar($0) })
        let bytes = motion.volume * 8 * q
        let seconds = bestOf(5, repetitions: repetitions) { try! exchange.run() }
        let count = bytes / 8
        let a = UnsafeMutablePointer<Double>.allocate(capacity: count), b = UnsafeMutablePointer<Double>.allocate(capacity: count)
        a.initialize(repeating: 1, count: count); b.initialize(repeating: 0, count: count)
        defer { a.deallocate(); b.deallocate() }
        let memcpySeconds = bestOf(5, repetitions: repetitions) { b.update(from: a, count: count) }
        return (bytes, seconds, memcpySeconds)
    }

    /// The best mean time per call over `rounds` rounds of `repetitions` calls.
    static func bestOf(_ rounds: Int, repetitions: Int, _ body: () -> Void) -> Double {
        for _ in 0..<3 { body() }
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repetitions { body() }
            let t = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repetitions)
            best = min(best, t)
        }
        return best
    }
}
