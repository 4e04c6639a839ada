extension Point: Equatable {
    @inlinable
    public static func == (a: Point, b: Point) -> Bool { all(a, b, ==) }
}

extension Point: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        for i in 0..<N { hasher.combine(coordinates[i]) }
    }
}

extension Point: Comparable {
    /// Row-major (lexicographic) order: axis 0 is the most significant.
    @inlinable
    public static func < (a: Point, b: Point) -> Bool {
        for i in 0..<N where a.coordinates[i] != b.coordinates[i] {
            return a.coordinates[i] < b.coordinates[i]
        }
        return false
    }
}

extension Point: ExpressibleByArrayLiteral {
    /// `let p: Point<2> = [3, 4]`; traps unless the literal has `N` elements.
    @inlinable
    public init(arrayLiteral elements: Int...) {
        precondition(elements.count == N, "Point<\(N)> needs \(N) coordinates, got \(elements.count)")
        self.coordinates = InlineArray { elements[$0] }
    }
}

extension Point: CustomStringConvertible {
    public var description: String { "(" + array.map(String.init).joined(separator: ", ") + ")" }
}

extension Point: Codable {
    public init(from decoder: any Decoder) throws {
        let values = try decoder.singleValueContainer().decode([Int].self)
        self = try Point(validating: values)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(array)
    }
}
