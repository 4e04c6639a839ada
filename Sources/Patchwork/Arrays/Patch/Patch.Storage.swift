/// The storage of one patch: a 64-byte aligned block of `count` initialised elements, freed when
/// the last ``Patch`` referring to it goes away, or placed in memory that `owner` keeps alive (a
/// segment of an MPI-3 shared window) and not freed here.
///
/// Internal: users reach the memory through ``Patch``'s closure-scoped views.
@usableFromInline
internal final class _PatchStorage<Element: PatchElement>: @unchecked Sendable {
    /// The alignment of every patch allocation, in bytes (a cache line; enough for AVX-512).
    @usableFromInline static var alignment: Int { 64 }

    /// The first element.
    @usableFromInline let base: UnsafeMutablePointer<Element>
    /// The number of elements.
    @usableFromInline let count: Int
    /// What keeps placed memory alive; nil when the storage allocated its own.
    let owner: AnyObject?

    /// Allocates and initialises `count` elements to `value`; `count * stride` must not overflow.
    ///
    /// Works on bytes (one store, then doubling `memcpy`s), so that it is fast even where the
    /// generic code is not specialised for `Element`.
    @usableFromInline
    init(count: Int, repeating value: Element) {
        let stride = MemoryLayout<Element>.stride
        let bytes = Swift.max(count * stride, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment)
        base = raw.bindMemory(to: Element.self, capacity: count)
        self.count = count
        owner = nil
        Self.fill(base, count: count, with: value)
    }

    /// Places `count` elements at `placement` (64-byte aligned, large enough) and initialises
    /// them to `value`.
    init(count: Int, repeating value: Element, placement: _PatchPlacement) {
        base = placement.address.bindMemory(to: Element.self, capacity: count)
        self.count = count
        owner = placement.owner
        Self.fill(base, count: count, with: value)
    }

    /// Sets `count` elements at `start` to `value` with byte operations (memset for an all-zero
    /// pattern, else one store and doubling copies).
    @usableFromInline
    static func fill(_ start: UnsafeMutablePointer<Element>, count: Int, with value: Element) {
        guard count > 0 else { return }
        let stride = MemoryLayout<Element>.stride
        let raw = UnsafeMutableRawPointer(start)
        let isZero = withUnsafeBytes(of: value) { $0.allSatisfy { $0 == 0 } }
        if isZero {
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * stride)
            return
        }
        raw.storeBytes(of: value, as: Element.self)
        var done = 1
        while done < count {
            let n = Swift.min(done, count - done)
            (raw + done * stride).copyMemory(from: raw, byteCount: n * stride)
            done += n
        }
    }

    /// Copies all elements of `other` (same count) with one `memcpy`.
    @usableFromInline
    func copyContents(of other: _PatchStorage) {
        precondition(other.count == count)
        UnsafeMutableRawPointer(base).copyMemory(from: other.base, byteCount: count * MemoryLayout<Element>.stride)
    }

    deinit {
        if owner == nil { UnsafeMutableRawPointer(base).deallocate() }
    }
}

/// Where a patch's storage goes when it does not allocate its own: an address (64-byte aligned)
/// and the object that keeps that memory mapped.
struct _PatchPlacement {
    var address: UnsafeMutableRawPointer
    var owner: AnyObject
}
