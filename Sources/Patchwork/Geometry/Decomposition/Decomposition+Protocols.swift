extension Decomposition: Equatable {
    /// Equal floor plans have the same domain, boxes, owners, rank count and periodicity.
    public static func == (a: Decomposition, b: Decomposition) -> Bool {
        a.domain == b.domain && a.boxes == b.boxes && a.owners == b.owners && a.rankCount == b.rankCount
            && a.periodic == b.periodic
    }
}

extension Decomposition: Codable {
    private enum CodingKeys: String, CodingKey { case domain, boxes, owners, rankCount, periodic }

    /// Decodes a floor plan and checks it as the checking initialiser does (a corrupted file
    /// gives `DecodingError.dataCorrupted` naming the ``GeometryError``).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let domain = try c.decode(Box<N>.self, forKey: .domain)
        let boxes = try c.decode([Box<N>].self, forKey: .boxes)
        let owners = try c.decode([Int].self, forKey: .owners)
        let rankCount = try c.decode(Int.self, forKey: .rankCount)
        let periodic = try c.decode([Bool].self, forKey: .periodic)
        do {
            try self.init(domain: domain, boxes: boxes, owners: owners, rankCount: rankCount, periodic: periodic)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: c.codingPath, debugDescription: "invalid floor plan: \(error)", underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(domain, forKey: .domain)
        try c.encode(boxes, forKey: .boxes)
        try c.encode(owners, forKey: .owners)
        try c.encode(rankCount, forKey: .rankCount)
        try c.encode(periodic, forKey: .periodic)
    }
}

extension Decomposition: CustomStringConvertible {
    /// A one-line summary: `Decomposition<2>(16 patches on 4 ranks over [0, 0]..<[64, 64], periodic [true, false])`.
    public var description: String {
        "Decomposition<\(N)>(\(count) patches on \(rankCount) ranks over \(domain), periodic \(periodic))"
    }
}
