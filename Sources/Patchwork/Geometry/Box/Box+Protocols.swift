extension Box: Equatable {
    /// Two boxes are equal when they hold the same cells (all empty boxes are equal).
    @inlinable
    public static func == (a: Box, b: Box) -> Bool {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty }
        return a.lower == b.lower && a.upper == b.upper
    }
}

extension Box: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        if isEmpty { hasher.combine(0); return }
        hasher.combine(lower)
        hasher.combine(upper)
    }
}

extension Box: CustomStringConvertible {
    /// `[l0, l1) ..< [u0, u1)` style: `[0, 0]..<[64, 32]`.
    public var description: String { "\(lower.array)..<\(upper.array)" }
}

extension Box: Codable {
    private enum CodingKeys: String, CodingKey { case lower, upper }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(lower: c.decode(Point<N>.self, forKey: .lower), upper: c.decode(Point<N>.self, forKey: .upper))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lower, forKey: .lower)
        try c.encode(upper, forKey: .upper)
    }
}
