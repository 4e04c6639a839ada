
/// Default message tags: the k-th exchange built with a given signature on a given transport gets
/// a tag derived from both, so every rank that builds its exchanges in the same order derives the
/// same tags, and two exchanges of the same plan and layout (say, of `u` and of `v` in a
/// two-array time loop) never share one while both are in flight.
enum ExchangeTags {
    private struct Key: Hashable {
        var signature: UInt64
        var transport: ObjectIdentifier?
    }

    private static let built = _Lock<[Key: UInt64]>([:])

    /// The default tag of the next exchange with `signature` on `transport`, in 1 ..< 32767.
    static func next(signature: UInt64, transport: (any Transport)?) -> Int {
        let key = Key(signature: signature, transport: transport.map { ObjectIdentifier($0) })
        let k = built.withLock { table in
            defer { table[key, default: 0] += 1 }
            return table[key, default: 0]
        }
        return Int((signature &+ k &* 0x9E37_79B9_7F4A_7C15) % 32766) + 1
    }
}
