import Testing
@testable import Patchwork

@Suite struct EmbeddingTests {
    /// A block decomposition grown by ghosts keeps its grid arrangement, spread apart by the ghosts.
    @Test func removingOverlapKeepsAGrid() {
        var boxes: [Box<2>] = []
        for i in 0..<3 { for j in 0..<4 {
            boxes.append(Box(uncheckedLower: Point(i * 10, j * 8), upper: Point(i * 10 + 10, j * 8 + 8)).grown(by: 2))
        } }
        let e = Embedding.removingOverlap(boxes)
        #expect(e.isValid)
        #expect(e.fileShape.array == [3 * 14, 4 * 12])
        #expect(e.placedBox(0).lower.array == [0, 0])
        #expect(e.placedBox(5).lower.array == [14, 12])   // block (1, 1)
    }

    /// Any set of boxes (random, overlapping) is placed without overlap; the pencil is tight.
    @Test func randomBoxesArePlacedWithoutOverlap() {
        var g = SeededGenerator(seed: 9)
        for _ in 0..<300 {
            let boxes: [Box<3>] = (0..<Int.random(in: 1...12, using: &g)).map { _ in
                let lower = Point<3>(InlineArray { _ in Int.random(in: -5...5, using: &g) })
                return Box(uncheckedLower: lower, upper: lower + Point(InlineArray { _ in Int.random(in: 1...6, using: &g) }))
            }
            let e = Embedding.removingOverlap(boxes)
            #expect(e.isValid)
            for axis in 0..<3 {
                let p = Embedding.pencil(boxes, along: axis)
                #expect(p.isValid)
                #expect(p.fileShape[axis] == boxes.reduce(0) { $0 + $1.shape[axis] })
                #expect(zip(boxes.indices, boxes).allSatisfy { p.placedBox($0).shape == $1.shape })
            }
        }
    }
}
