import Testing
@testable import Patchwork

@Suite struct BoxCoreTests {
    @Test func invertedBoxIsATypedError() {
        #expect(throws: GeometryError.invertedBox(lower: [0, 5], upper: [3, 4])) {
            try Box<2>(lower: [0, 5], upper: [3, 4])
        }
    }

    @Test func intersectionOfDisjointBoxesIsEmpty() throws {
        let a = try Box<2>(lower: [0, 0], upper: [4, 4])
        let b = try Box<2>(lower: [4, 0], upper: [8, 4])
        #expect(a.intersection(b).isEmpty)
        #expect(!a.intersects(b))
        #expect(a.intersection(b.shifted(by: [-1, 1])).volume == 3)
    }
}
