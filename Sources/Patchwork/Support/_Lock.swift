import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if PATCHWORK_TSAN_LOCKS
/// The runtime's lock, built on `pthread_mutex_t` so that ThreadSanitizer sees its ordering (the
/// toolchain's `Synchronization.Mutex` is not instrumented on Linux, and TSan reports every access
/// it guards as a race). Selected with `-Xswiftc -DPATCHWORK_TSAN_LOCKS`, as CI does for
/// `swift test --sanitize=thread`.
final class _Lock<Value: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: consuming Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Runs `body` with the lock held if it is free now; nil when another thread holds it.
    @inline(__always)
    func withLockIfAvailable<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

#else
/// The runtime's lock: `Synchronization.Mutex`.
typealias _Lock<Value: ~Copyable> = Mutex<Value>
#endif
