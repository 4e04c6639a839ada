/// A ``Transport`` whose ranks can also act together: gather values from every rank and agree
/// on success. The collectives on arrays (``CollectiveTransport/sum(_:)``, norms,
/// ``CollectiveTransport/gather(_:root:)``), floor-plan agreement and collectively built exchanges
/// are written against it.
///
/// ```swift
/// let comm = try MPICommunicator.world()
/// try comm.checkFloorPlan(plan)                 // same plan everywhere, fits the rank count
/// let total = try comm.sum(u)                    // every rank gets it
/// ```
///
/// ``MPICommunicator`` implements the requirements with MPI's collectives. Any other transport
/// (``LoopbackTransport``, whose logical ranks then each need their own thread) gets them from
/// point-to-point messages with the reserved tag ``collectiveTag``.
///
/// Semantics: every rank calls a collective, in the same order, as in MPI; each returns only when
/// its part is done. Not for use while another collective on the same transport runs on another
/// thread.
///
/// - Complexity: the point-to-point versions send 2·(size − 1) messages per rank (all-gather) or
///   2 per non-root rank (gather).
public protocol CollectiveTransport: Transport {
    /// Every rank's `values` (of any length), in rank order, on every rank.
    func allGather<T: BitwiseCopyable>(_ values: [T]) throws(TransportError) -> [[T]]
    /// Every rank's `values` in rank order on `root`; other ranks get an empty array.
    func gather<T: BitwiseCopyable>(_ values: [T], root: Int) throws(TransportError) -> [[T]]
    /// Throws ``TransportError/failedOnRanks(firstRank:failingRanks:)`` on every rank when any
    /// rank passes `false`.
    func agreeOnSuccess(_ succeeded: Bool) throws(TransportError)
}

extension CollectiveTransport {
    /// The message tag the point-to-point collectives use (above the exchanges' default tags,
    /// which lie in 1 ..< 32767).
    public static var collectiveTag: Int { 32767 }

    public func allGather<T: BitwiseCopyable>(_ values: [T]) throws(TransportError) -> [[T]] {
        try _pointToPointGather(values, root: nil)
    }

    public func gather<T: BitwiseCopyable>(_ values: [T], root: Int) throws(TransportError) -> [[T]] {
        guard root >= 0, root < size else { throw .invalidRank(name: "root", rank: root, size: size) }
        return try _pointToPointGather(values, root: root)
    }

    public func agreeOnSuccess(_ succeeded: Bool) throws(TransportError) {
        let flags = try allGather([succeeded ? 0 : 1]).map { $0.first ?? 1 }
        guard let first = flags.firstIndex(of: 1) else { return }
        throw .failedOnRanks(firstRank: first, failingRanks: flags.reduce(0, +))
    }

    /// Gathers on `root` (or on every rank when `root` is nil) with point-to-point messages:
    /// byte counts first, then the bytes.
    func _pointToPointGather<T: BitwiseCopyable>(_ values: [T], root: Int?) throws(TransportError) -> [[T]] {
        let tag = Self.collectiveTag
        let others = (0..<size).filter { $0 != rank }
        let receivesFrom = root == nil || root == rank ? others : []
        let sendsTo = root == nil ? others : (root == rank ? [] : [root!])
        let stride = MemoryLayout<T>.stride
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: size)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        counts[rank] = values.count
        var requests: [TransportRequest] = []
        for p in receivesFrom {
            requests.append(try receive(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(counts)[(p * 8)..<(p * 8 + 8)]), from: p, tag: tag))
        }
        for p in sendsTo {
            requests.append(try send(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(counts)[(rank * 8)..<(rank * 8 + 8)]), to: p, tag: tag))
        }
        try waitAll(requests)
        requests.removeAll()
        var inboxes: [UnsafeMutableRawBufferPointer] = Array(repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: size)
        defer { for b in inboxes where b.baseAddress != nil { b.deallocate() } }
        for p in receivesFrom {
            guard counts[p] >= 0, counts[p] <= Int(Int32.max) / max(stride, 1) else {
                throw .messageTooLarge(bytes: counts[p] &* stride, limit: Int(Int32.max))
            }
            inboxes[p] = .allocate(byteCount: max(counts[p] * stride, 1), alignment: 16)
            requests.append(try receive(into: UnsafeMutableRawBufferPointer(rebasing: inboxes[p][0..<(counts[p] * stride)]), from: p, tag: tag))
        }
        let failure: TransportError? = values.withUnsafeBytes { mine in
            do throws(TransportError) {
                for p in sendsTo { requests.append(try send(mine, to: p, tag: tag)) }
                try waitAll(requests)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
        guard root == nil || root == rank else { return [] }
        return (0..<size).map { p in
            if p == rank { return values }
            return [T](unsafeUninitializedCapacity: counts[p]) { buffer, initialized in
                if counts[p] > 0 {
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: inboxes[p][0..<(counts[p] * stride)]))
                }
                initialized = counts[p]
            }
        }
    }
}

/// MPI's own collectives: `MPI_Allgatherv`, `MPI_Gatherv`, `MPI_Allreduce`.
extension MPICommunicator: CollectiveTransport {}

/// Point-to-point collectives between logical ranks (each rank on its own thread).
extension LoopbackTransport: CollectiveTransport {}
