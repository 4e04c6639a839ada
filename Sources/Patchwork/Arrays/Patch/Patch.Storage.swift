/// The storage of one patch: a 64-byte aligned block of `count` initialised elements, freed when
/// the last ``Patch`` referring to it goes away.
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

    /// Allocates and initialises `count` elements to `value`; `count * stride` must not overflow.
    @usableFromInline
    init(count: Int, repeating value: Element) {
        let bytes = Swift.max(count * MemoryLayout<Element>.stride, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: Self.alignment)
        base = raw.initializeMemory(as: Element.self, repeating: value, count: count)
        self.count = count
    }

    deinit {
        UnsafeMutableRawPointer(base).deallocate()
    }
}
