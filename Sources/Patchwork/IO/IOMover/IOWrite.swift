/// One backend write of an ``IOMover`` run towards the file: a box of the file (spatial file
/// coordinates, without the time axis) and the pieces of moves that fill it exactly.
///
/// Built once per mover: ``perMove(_:)`` (one write per move, the plain schedule) or
/// ``grouped(_:chunk:limit:)``, which gathers the moves meeting one file chunk into one write of
/// the covered part when the pieces cover it exactly. - Complexity: building is O(moves² +
/// chunks touched).
internal struct _IOWrite<let N: Int>: Sendable {
    /// A part of move `move`: `box` in domain coordinates (inside the move's box).
    struct Piece: Sendable {
        var move: Int
        var box: Box<N>
    }

    /// The file cells written (spatial file coordinates).
    var fileBox: Box<N>
    /// The pieces, disjoint, covering `fileBox` exactly once shifted.
    var pieces: [Piece]

    static func fileBox(of move: IOPlan<N>.Move) -> Box<N> {
        Box(uncheckedLower: move.box.lower + move.shift, upper: move.box.upper + move.shift)
    }

    /// One write per move, in plan order.
    static func perMove(_ plan: IOPlan<N>) -> [_IOWrite] {
        plan.moves.indices.map { k in
            _IOWrite(fileBox: fileBox(of: plan.moves[k]), pieces: [Piece(move: k, box: plan.moves[k].box)])
        }
    }

    /// Writes grouped by file chunk (`chunk`: the chunk shape of the spatial axes): for each chunk
    /// met by two or more moves whose parts cover the parts' bounding box exactly, one write of
    /// that box; every other move keeps one write (or, when some of its chunks were grouped, one
    /// per remaining chunk part). Falls back to ``perMove(_:)`` when the file boxes overlap, a
    /// chunk has more than `limit` cells, or the chunk shape is not positive.
    static func grouped(_ plan: IOPlan<N>, chunk: [Int], limit: Int) -> [_IOWrite] {
        let moves = plan.moves
        guard moves.count > 1, chunk.count == N, chunk.allSatisfy({ $0 > 0 }),
              chunk.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= limit
        else { return perMove(plan) }
        let boxes = moves.map(fileBox(of:))
        for i in boxes.indices {
            if boxes[i].lower.array.contains(where: { $0 < 0 }) { return perMove(plan) }
            for j in (i + 1)..<boxes.count where boxes[i].intersects(boxes[j]) { return perMove(plan) }
        }
        // Chunk index → the parts (move, file box) meeting it, chunks in first-touch order.
        var order: [[Int]] = []
        var parts: [[Int]: [(move: Int, box: Box<N>)]] = [:]
        for (k, box) in boxes.enumerated() where !box.isEmpty {
            let first = (0..<N).map { box.lower[$0] / chunk[$0] }
            let last = (0..<N).map { (box.upper[$0] - 1) / chunk[$0] }
            var c = first
            while true {
                var lower = box.lower, upper = box.upper
                for a in 0..<N {
                    lower[a] = Swift.max(lower[a], c[a] * chunk[a])
                    upper[a] = Swift.min(upper[a], (c[a] + 1) * chunk[a])
                }
                if parts[c] == nil { order.append(c) }
                parts[c, default: []].append((k, Box(uncheckedLower: lower, upper: upper)))
                var a = N - 1
                while a >= 0 {
                    c[a] += 1
                    if c[a] <= last[a] { break }
                    c[a] = first[a]
                    a -= 1
                }
                if a < 0 { break }
            }
        }
        var result: [_IOWrite] = []
        var groupedChunks = Set<[Int]>()
        for c in order {
            let list = parts[c]!
            guard list.count >= 2 else { continue }
            var lower = list[0].box.lower, upper = list[0].box.upper
            for part in list {
                for a in 0..<N {
                    lower[a] = Swift.min(lower[a], part.box.lower[a])
                    upper[a] = Swift.max(upper[a], part.box.upper[a])
                }
            }
            let bounds = Box(uncheckedLower: lower, upper: upper)
            guard list.reduce(0, { $0 + $1.box.volume }) == bounds.volume else { continue }   // disjoint: exact cover
            groupedChunks.insert(c)
            result.append(_IOWrite(fileBox: bounds, pieces: list.map { part in
                let shift = moves[part.move].shift
                return Piece(move: part.move, box: Box(uncheckedLower: part.box.lower - shift, upper: part.box.upper - shift))
            }))
        }
        if groupedChunks.isEmpty { return perMove(plan) }
        // The rest: whole moves untouched by grouping, else their remaining chunk parts.
        var touched = Set<Int>()
        for c in groupedChunks { for part in parts[c]! { touched.insert(part.move) } }
        for k in moves.indices where !touched.contains(k) {
            result.append(_IOWrite(fileBox: boxes[k], pieces: [Piece(move: k, box: moves[k].box)]))
        }
        for c in order where !groupedChunks.contains(c) {
            for part in parts[c]! where touched.contains(part.move) {
                let shift = moves[part.move].shift
                result.append(_IOWrite(fileBox: part.box, pieces: [
                    Piece(move: part.move, box: Box(uncheckedLower: part.box.lower - shift, upper: part.box.upper - shift)),
                ]))
            }
        }
        return result
    }
}
