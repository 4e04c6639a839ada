
/// Default message tags: the k-th exchange built with a given signature on a given transport gets
/// a tag derived from both, so every rank that builds its exchanges in the same order derives the
/// same tags, and two exchanges of the same plan and layout (say, of `u` and of `v` in a
/// two-array time loop) never share one while both are in flight.
enum ExchangeTags {
    private struct Key: Hashable {
        var signature: UInt64
        var transport: ObjectIdentifier?
    }

    /// The exchanges built per key, with the transport counted for: an object identifier is
    /// reused once its object is freed, and a new transport at that address starts from 0 (else
    /// in-process ranks whose transports reuse different addresses would derive different tags).
    private struct Count {
        weak var transport: AnyObject?
        var built: UInt64
    }

    private static let built = _Lock<[Key: Count]>([:])

    /// The default tag of the next exchange with `signature` on `transport`, in 1 ..< 32767.
    static func next(signature: UInt64, transport: (any Transport)?) -> Int {
        let key = Key(signature: signature, transport: transport.map { ObjectIdentifier($0) })
        let k = built.withLock { table in
            var count = table[key].flatMap { $0.transport === transport ? $0 : nil } ?? Count(transport: transport, built: 0)
            defer { count.built += 1; table[key] = count }
            return count.built
        }
        return Int((signature &+ k &* 0x9E37_79B9_7F4A_7C15) % 32766) + 1
    }
}
