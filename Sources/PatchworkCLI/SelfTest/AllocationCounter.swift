#if canImport(Glibc)
import Glibc

/// Counts the Swift heap allocations (`swift_allocObject`: array, set and dictionary storage,
/// class instances, closure contexts, boxes) made on the calling thread while a body runs, through
/// the runtime's `_swift_allocObject` hook (the one Instruments uses). Raw allocations
/// (`UnsafeMutableRawPointer.allocate`) are not seen: the exchange's come from its buffer pool,
/// whose statistics the self-test checks beside this count.
///
/// Only for a single-threaded process (`patchwork selftest allocations`): while the hook is
/// installed the runtime raises its "swizzling" flag on every allocation, which sends retains and
/// releases through an adapter that miscompiles callers on Linux; the hook lowers the flag again
/// at once, which is only safe when no other thread retains in between.
enum AllocationCounter {
    typealias Allocate = @convention(c) (UnsafeRawPointer?, Int, Int) -> UnsafeMutableRawPointer?

    /// The number of Swift heap allocations `body` makes on this thread; nil when the runtime
    /// exposes no hook.
    static func count(_ body: () throws -> Void) rethrows -> Int? {
        guard let process = dlopen(nil, RTLD_NOW),
            let symbol = dlsym(process, "_swift_allocObject"),
            let flag = dlsym(process, "_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly")
        else { return nil }
        let slot = symbol.assumingMemoryBound(to: Allocate?.self)
        guard let original = slot.pointee else { return nil }
        _originalAllocate = original
        _swizzleFlag = flag.assumingMemoryBound(to: UInt8.self)
        _allocationCount = 0
        _countingThread = pthread_self()
        slot.pointee = _countingAllocate
        defer {
            slot.pointee = original
            _swizzleFlag!.pointee = 0
        }
        try body()
        return _allocationCount
    }
}

nonisolated(unsafe) private var _originalAllocate: AllocationCounter.Allocate? = nil
nonisolated(unsafe) private var _swizzleFlag: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) private var _countingThread: pthread_t = 0
nonisolated(unsafe) private var _allocationCount = 0

/// The hook: lowers the runtime's swizzling flag, counts, allocates.
private func _countingAllocate(_ metadata: UnsafeRawPointer?, _ size: Int, _ alignMask: Int) -> UnsafeMutableRawPointer? {
    _swizzleFlag!.pointee = 0
    if pthread_equal(pthread_self(), _countingThread) != 0 { _allocationCount &+= 1 }
    return _originalAllocate!(metadata, size, alignMask)
}
#endif
