/// What was wrong with geometric input: each case names the offending values.
public enum GeometryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A point or shape had the wrong number of coordinates.
    case wrongDimension(expected: Int, got: Int)
    /// A box whose upper corner is below its lower corner on some axis.
    case invertedBox(lower: [Int], upper: [Int])
    /// A size, width or ratio that must be positive (or non-negative) was not.
    case invalidValue(name: String, value: Int, requirement: String)
    /// A box that must lie inside a domain does not.
    case boxOutsideDomain(box: String, domain: String)
    /// Two boxes that must be disjoint overlap.
    case overlappingBoxes(first: Int, second: Int, overlap: String)
    /// The boxes do not cover the domain; `uncovered` is one cell left out.
    case notCovering(uncoveredCells: Int, example: [Int])
    /// A cubed-sphere layout that does not divide the tile.
    case layoutDoesNotDivideTile(tileSize: Int, layout: [Int])
    /// A rank, tile or box index outside its range.
    case indexOutOfRange(name: String, index: Int, range: Range<Int>)

    public var description: String {
        switch self {
        case let .wrongDimension(expected, got):
            "expected \(expected) coordinates, got \(got)"
        case let .invertedBox(lower, upper):
            "inverted box: upper \(upper) is below lower \(lower) on some axis"
        case let .invalidValue(name, value, requirement):
            "invalid \(name) \(value): must be \(requirement)"
        case let .boxOutsideDomain(box, domain):
            "box \(box) is not inside the domain \(domain)"
        case let .overlappingBoxes(first, second, overlap):
            "boxes \(first) and \(second) overlap on \(overlap)"
        case let .notCovering(uncoveredCells, example):
            "the boxes leave \(uncoveredCells) cells of the domain uncovered, e.g. \(example)"
        case let .layoutDoesNotDivideTile(tileSize, layout):
            "layout \(layout) does not divide a tile of \(tileSize)×\(tileSize) cells"
        case let .indexOutOfRange(name, index, range):
            "\(name) \(index) is outside \(range.lowerBound)..<\(range.upperBound)"
        }
    }
}
