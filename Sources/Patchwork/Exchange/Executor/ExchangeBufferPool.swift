
/// A pool of 64-byte aligned message buffers shared by exchanges: an exchange takes its buffers
/// when it is built and gives them back when it is released, so a later exchange of the same
/// sizes reuses them and the exchanges themselves allocate nothing.
///
/// Thread-safe. Buffers are matched by exact byte count.
public final class ExchangeBufferPool: Sendable {
    /// The pool shared by exchanges that do not name one.
    public static let shared = ExchangeBufferPool()

    private let free = _Lock<[Int: [UnsafeMutableRawPointerBox]]>([:])
    private let counts = _Lock<(allocated: Int, reused: Int)>((0, 0))

    public init() {}

    /// The number of buffers allocated and the number of takes served from the pool.
    public var statistics: (allocated: Int, reused: Int) { counts.withLock { $0 } }

    func take(byteCount: Int) -> UnsafeMutableRawBufferPointer {
        let size = max(byteCount, 1)
        if let box = free.withLock({ $0[size]?.popLast() }) {
            counts.withLock { $0.reused += 1 }
            return UnsafeMutableRawBufferPointer(start: box.pointer, count: byteCount)
        }
        counts.withLock { $0.allocated += 1 }
        let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        return UnsafeMutableRawBufferPointer(start: p, count: byteCount)
    }

    func giveBack(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        free.withLock { $0[max(buffer.count, 1), default: []].append(UnsafeMutableRawPointerBox(pointer: base)) }
    }

    deinit {
        free.withLock { pools in
            for list in pools.values { for b in list { b.pointer.deallocate() } }
        }
    }
}

/// A raw pointer that may cross threads inside the pool's lock.
struct UnsafeMutableRawPointerBox: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
