import Synchronization
import Testing
@testable import Patchwork

/// More halo fills against the periodic modulo oracle (a ghost cell equals the domain cell at its
/// coordinates wrapped into the domain): irregular floor plans, ghosts wider than the patches
/// beside them, element types other than Double, accumulate mode across loopback ranks; the vector
/// rule for every number of quarter turns through hand-built plans; one message per peer.
@Suite struct HaloExchangeCoverageTests {
    /// A value naming its (wrapped) cell, exact in every element type tested (Float included).
    static func code<E: PatchElement & SignedNumeric, let N: Int>(_ p: Point<N>, component: Int = 0) -> E {
        var v = component * 5
        for i in 0..<N { v = v * 64 + (p[i] + 20) }
        return E(exactly: v)!
    }

    static func sentinel<E: PatchElement & SignedNumeric>() -> E { E(exactly: -1)! }

    static func prepare<E: PatchElement & SignedNumeric, let N: Int>(_ a: PatchArray<E, N>, component: Int = 0) {
        for (_, patch) in a.localPatches {
            try! patch.fill(in: patch.allocatedBox) { p in patch.box.contains(p) ? code(p, component: component) : sentinel() }
        }
    }

    /// The cells of `a` that differ from the oracle after a fill of `width` (copy, or accumulate
    /// into the sentinel).
    static func mismatches<E: PatchElement & SignedNumeric, let N: Int>(
        _ a: PatchArray<E, N>, width: Int, corners: Bool, component: Int = 0, accumulate: Bool = false
    ) -> Int {
        let plan = a.decomposition
        var wrong = 0
        for (index, patch) in a.localPatches {
            let box = plan.boxes[index]
            for p in patch.allocatedBox.cells {
                var outside = 0
                for i in 0..<N where p[i] < box.lower[i] || p[i] >= box.upper[i] { outside += 1 }
                let ghost = outside > 0 && box.grown(by: width).contains(p) && (corners || outside == 1)
                let expected: E
                if outside == 0 {
                    expected = code(p, component: component)
                } else if ghost, let w = plan.wrapped(p) {
                    expected = accumulate ? sentinel() + code(w, component: component) : code(w, component: component)
                } else {
                    expected = sentinel()
                }
                if patch[p] != expected { wrong += 1 }
            }
        }
        return wrong
    }

    /// A random floor plan: a random grid of blocks (thin ones included) or a bisection, random
    /// periodicity, and a ghost width up to 4 (at most the periodic extents).
    static func irregularCase<let N: Int>(_ rng: inout ArraysRandom) throws -> (Decomposition<N>, Int, Bool) {
        let domain: Box<N> = rng.box(lower: -3...3, shape: N >= 3 ? 4...7 : 4...9)
        let periodic = (0..<N).map { _ in rng.int(in: 0...1) == 1 }
        let plan: Decomposition<N>
        if rng.int(in: 0...1) == 0 {
            plan = try randomGridPlan(&rng, domain: domain, ranks: 1, periodic: periodic)
        } else {
            plan = try Decomposition(bisecting: domain, maxExtent: rng.int(in: N >= 3 ? 2...4 : 1...4), ranks: 1, periodic: periodic)
        }
        var width = rng.int(in: 1...4)
        for a in 0..<N where periodic[a] { width = min(width, domain.shape[a]) }
        return (plan, width, rng.int(in: 0...1) == 1)
    }

    func runIrregular<let N: Int>(_: Point<N>.Type, cases: Int, seed: UInt64) throws {
        var rng = ArraysRandom(seed: seed)
        var wider = 0
        for _ in 0..<cases {
            let (plan, width, corners): (Decomposition<N>, Int, Bool) = try Self.irregularCase(&rng)
            if plan.boxes.contains(where: { b in (0..<N).contains { b.shape[$0] < width } }) { wider += 1 }
            let u = try PatchArray<Double, N>(decomposition: plan, ghostWidth: width)
            Self.prepare(u)
            try HaloExchange(plan: MotionPlan.haloFill(plan: plan, width: width, corners: corners), quantities: [.scalar(u)]).run()
            #expect(Self.mismatches(u, width: width, corners: corners) == 0)
        }
        #expect(wider > cases / 4)  // ghosts wider than a neighbouring patch: filled from several patches
    }

    @Test func irregularFloorPlans2D() throws { try runIrregular(Point<2>.self, cases: 300, seed: 21) }
    @Test func irregularFloorPlans3D() throws { try runIrregular(Point<3>.self, cases: 30, seed: 22) }

    /// One-cell-thin patches on a non-periodic axis, ghosts 4 deep: each ghost slab is filled from
    /// up to four patches.
    @Test func ghostWiderThanTheNeighbouringPatches() throws {
        let domain = try Box<2>(lower: [0, 0], upper: [9, 7])
        let boxes = try [Box<2>(lower: [0, 0], upper: [4, 7])] + (4..<9).map { x in try Box<2>(lower: [x, 0], upper: [x + 1, 7]) }
        let plan = try Decomposition(domain: domain, boxes: boxes, owners: boxes.map { _ in 0 }, rankCount: 1, periodic: [false, true])
        for corners in [false, true] {
            let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 4)
            Self.prepare(u)
            let motion = try MotionPlan.haloFill(plan: plan, width: 4, corners: corners)
            #expect(motion.moves.filter { $0.destinationPatch == 0 }.count >= 4)
            try HaloExchange(plan: motion, quantities: [.scalar(u)]).run()
            #expect(Self.mismatches(u, width: 4, corners: corners) == 0)
        }
        // Wider than the periodic extent (7 along axis 1): a typed error naming both.
        #expect(throws: GeometryError.invalidValue(name: "ghost width", value: 8, requirement: "at most the periodic extent 7 of axis 1")) {
            try MotionPlan.haloFill(plan: plan, width: 8)
        }
        #expect(throws: ArrayError.self) { try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 8) }
    }

    func runElementType<E: PatchElement & SignedNumeric>(_: E.Type, seed: UInt64) throws {
        var rng = ArraysRandom(seed: seed)
        for k in 0..<60 {
            let (plan, width, corners): (Decomposition<2>, Int, Bool) = try Self.irregularCase(&rng)
            let s = try PatchArray<E, 2>(decomposition: plan, ghostWidth: width)
            let w = try VectorPatchArray(x: PatchArray<E, 2>(decomposition: plan, ghostWidth: width),
                                         y: PatchArray<E, 2>(decomposition: plan, ghostWidth: width))
            Self.prepare(s, component: 0)
            Self.prepare(w.x, component: 1)
            Self.prepare(w.y, component: 2)
            let accumulate = k % 4 == 3
            try HaloExchange(
                plan: MotionPlan.haloFill(plan: plan, width: width, corners: corners),
                quantities: [.vector(w), .scalar(s)], mode: accumulate ? .accumulate : .copy
            ).run()
            for (c, a) in [s, w.x, w.y].enumerated() {
                #expect(Self.mismatches(a, width: width, corners: corners, component: c, accumulate: accumulate) == 0)
            }
        }
    }

    @Test func floatElements() throws { try runElementType(Float.self, seed: 31) }
    @Test func int32Elements() throws { try runElementType(Int32.self, seed: 32) }
    @Test func int64Elements() throws { try runElementType(Int64.self, seed: 33) }

    /// Accumulate mode through packed messages: every rank's ghosts hold sentinel + the oracle.
    @Test(arguments: [2, 4])
    func accumulateAcrossLoopbackRanks(ranks: Int) throws {
        var rng = ArraysRandom(seed: UInt64(40 + ranks))
        for _ in 0..<6 {
            let (one, width, corners): (Decomposition<3>, Int, Bool) = try Self.irregularCase(&rng)
            let plan = try one.reassigned(to: ranks, by: .roundRobin)
            let motion = try MotionPlan.haloFill(plan: plan, width: width, corners: corners)
            let transports = try LoopbackTransport.group(size: ranks)
            let arrays = try (0..<ranks).map { r in try PatchArray<Int64, 3>(decomposition: plan, ghostWidth: width, rank: r) }
            arrays.forEach { Self.prepare($0) }
            let exchanges = try (0..<ranks).map { r in
                try HaloExchange(plan: motion, quantities: [.scalar(arrays[r])], transport: transports[r], mode: .accumulate)
            }
            for e in exchanges { try e.start() }
            for e in exchanges { try e.finish() }
            for a in arrays { #expect(Self.mismatches(a, width: width, corners: corners, accumulate: true) == 0) }
        }
    }

    /// The component rule for n clockwise turns, against the seed's table.
    @Test func vectorComponentRule() {
        let (u, v) = (3, 5)
        let table = [(u, v), (v, -u), (-u, -v), (-v, u)]
        for n in 0..<4 {
            let values = [u, v]
            var out = [0, 0]
            for c in 0..<2 {
                let (s, negated) = ExchangeLayout<Int64, 2>.sourceComponent(of: c, turns: n, vector: true)
                out[c] = negated ? -values[s] : values[s]
            }
            #expect(out[0] == table[n].0 && out[1] == table[n].1, "n = \(n)")
            #expect(CubedSphere.rotate(u, v, clockwiseTurns: -n) == table[n], "n = \(n)")
            #expect(ExchangeLayout<Int64, 2>.sourceComponent(of: 0, turns: n, vector: false) == (0, false))
        }
    }

    /// A hand-built move with n quarter turns fills a ghost strip; each ghost cell holds the
    /// source cell the turn names (a step along destination axis 0 is a step along source axis 1,
    /// a step along destination axis 1 a step back along source axis 0), with the vector rule —
    /// on one rank (direct copy) and over two loopback ranks (packed message).
    @Test(arguments: 0..<4)
    func handBuiltTurnedMove(turns n: Int) throws {
        let domain = try Box<2>(lower: [0, 0], upper: [12, 6])
        let boxes = try [Box<2>(lower: [0, 0], upper: [6, 6]), Box<2>(lower: [6, 0], upper: [12, 6])]
        let strip = try Box<2>(lower: [4, 0], upper: [6, 6])  // patch 1's lower ghost strip along axis 0
        let anchor: Point<2> = [4, 0]
        func turned(_ d: Point<2>) -> Point<2> {
            switch n { case 1: [-d[1], d[0]]; case 2: [-d[0], -d[1]]; case 3: [d[1], -d[0]]; default: d }
        }
        // Place the image so that the turned strip lies inside patch 0.
        let offsets = strip.cells.map { turned($0 - anchor) }
        let image = Point<2>.zero - offsets.reduce(offsets[0]) { Point.min($0, $1) }
        let source: (Point<2>) -> Point<2> = { p in image + turned(p - anchor) }
        #expect(strip.cells.allSatisfy { boxes[0].contains(source($0)) })
        let motion = MotionPlan<2>(moves: [Move(
            sourcePatch: 0, destinationPatch: 1, destinationBox: strip,
            transform: LatticeTransform(turns: n, mapping: anchor, to: image))])
        let rule = [(1, 1, 0, 1), (1, -1, 0, 1), (-1, -1, 0, 1), (-1, 1, 0, 1)]  // signs, and which source component
        for ranks in [1, 2] {
            let plan = try Decomposition(domain: domain, boxes: boxes, owners: ranks == 1 ? [0, 0] : [0, 1], rankCount: ranks)
            let transports = try LoopbackTransport.group(size: ranks)
            var quantities: [(PatchArray<Int32, 2>, VectorPatchArray<Int32, 2>)] = []
            var exchanges: [HaloExchange<Int32, 2>] = []
            for r in 0..<ranks {
                let s = try PatchArray<Int32, 2>(decomposition: plan, ghostWidth: 2, rank: r)
                let w = try VectorPatchArray(x: PatchArray<Int32, 2>(decomposition: plan, ghostWidth: 2, rank: r),
                                             y: PatchArray<Int32, 2>(decomposition: plan, ghostWidth: 2, rank: r))
                Self.prepare(s, component: 0)
                Self.prepare(w.x, component: 1)
                Self.prepare(w.y, component: 2)
                quantities.append((s, w))
                exchanges.append(try HaloExchange(plan: motion, quantities: [.scalar(s), .vector(w)], transport: transports[r]))
            }
            for e in exchanges { try e.start() }
            for e in exchanges { try e.finish() }
            let (s, w) = quantities[ranks - 1]
            let (ps, px, py) = try (s.patch(1), w.x.patch(1), w.y.patch(1))
            var wrong = 0
            for p in ps.allocatedBox.cells {
                let interior = boxes[1].contains(p)
                if strip.contains(p) {
                    let q = source(p)
                    let (u, v): (Int32, Int32) = (Self.code(q, component: 1), Self.code(q, component: 2))
                    let (su, sv, _, _) = rule[n]
                    let (eu, ev): (Int32, Int32) = n % 2 == 0 ? (Int32(su) * u, Int32(sv) * v) : (Int32(su) * v, Int32(sv) * u)
                    if ps[p] != Self.code(q, component: 0) || px[p] != eu || py[p] != ev { wrong += 1 }
                } else {
                    let (e0, e1, e2): (Int32, Int32, Int32) = interior
                        ? (Self.code(p, component: 0), Self.code(p, component: 1), Self.code(p, component: 2))
                        : (Self.sentinel(), Self.sentinel(), Self.sentinel())
                    if ps[p] != e0 || px[p] != e1 || py[p] != e2 { wrong += 1 }
                }
            }
            #expect(wrong == 0, "n = \(n), ranks = \(ranks)")
        }
    }

    /// Every exchange sends exactly one message per peer, of the plan's cross-rank volume ×
    /// components × element size, and bytesSent says so.
    @Test(arguments: [2, 4])
    func oneMessagePerPeerPerExchange(ranks: Int) throws {
        var rng = ArraysRandom(seed: UInt64(60 + ranks))
        for _ in 0..<6 {
            let (one, width, corners): (Decomposition<3>, Int, Bool) = try Self.irregularCase(&rng)
            let plan = try one.reassigned(to: ranks, by: .roundRobin)
            let motion = try MotionPlan.haloFill(plan: plan, width: width, corners: corners)
            let group = try LoopbackTransport.group(size: ranks)
            let transports = group.map { CountingTransport($0) }
            let exchanges = try (0..<ranks).map { r in
                let s = try PatchArray<Float, 3>(decomposition: plan, ghostWidth: width, rank: r)
                let w = try VectorPatchArray(x: PatchArray<Float, 3>(decomposition: plan, ghostWidth: width, rank: r),
                                             y: PatchArray<Float, 3>(decomposition: plan, ghostWidth: width, rank: r))
                return try HaloExchange(plan: motion, quantities: [.scalar(s), .vector(w)], transport: transports[r])
            }
            let rounds = 3
            for _ in 0..<rounds {
                for e in exchanges { try e.start() }
                for e in exchanges { try e.finish() }
            }
            for r in 0..<ranks {
                let crossing = motion.moves.filter { plan.owners[$0.sourcePatch] == r && plan.owners[$0.destinationPatch] != r }
                var volumeByPeer: [Int: Int] = [:]
                for m in crossing { volumeByPeer[plan.owners[m.destinationPatch], default: 0] += m.destinationBox.volume }
                let expectedBytes = volumeByPeer.mapValues { $0 * 3 * MemoryLayout<Float>.stride }
                let sent = transports[r].sent.withLock { $0 }
                #expect(exchanges[r].peers.sends == volumeByPeer.keys.sorted())
                #expect(Dictionary(uniqueKeysWithValues: sent.map { ($0.key, $0.value.messages) }) == volumeByPeer.mapValues { _ in rounds })
                #expect(Dictionary(uniqueKeysWithValues: sent.map { ($0.key, $0.value.bytes) }) == expectedBytes.mapValues { $0 * rounds })
                #expect(exchanges[r].bytesSent == expectedBytes.values.reduce(0, +))
            }
        }
    }
}

/// A transport that counts the messages and bytes sent to each peer, passing everything on.
final class CountingTransport: Transport {
    let inner: LoopbackTransport
    let sent = Mutex<[Int: (messages: Int, bytes: Int)]>([:])
    init(_ inner: LoopbackTransport) { self.inner = inner }
    var rank: Int { inner.rank }
    var size: Int { inner.size }
    func receive(into buffer: UnsafeMutableRawBufferPointer, from peer: Int, tag: Int) throws(TransportError) -> TransportRequest {
        try inner.receive(into: buffer, from: peer, tag: tag)
    }
    func send(_ buffer: UnsafeRawBufferPointer, to peer: Int, tag: Int) throws(TransportError) -> TransportRequest {
        sent.withLock { $0[peer, default: (0, 0)].messages += 1; $0[peer, default: (0, 0)].bytes += buffer.count }
        return try inner.send(buffer, to: peer, tag: tag)
    }
    func testSome(_ requests: [TransportRequest], completions: inout [TransportCompletion]) throws(TransportError) {
        try inner.testSome(requests, completions: &completions)
    }
}
