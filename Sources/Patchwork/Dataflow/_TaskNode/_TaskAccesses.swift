/// What a task keeps of one access once it is submitted: its resource's tracker (which holds the
/// resource), the mode and what scheduling needs. No reference is counted: the tracker lives as
/// long as the runtime, so a task that runs on another thread than its submitter touches no
/// resource's reference count.
@usableFromInline
struct _TaskAccess {
    // The words first, then the bytes: 24 bytes a slot, not 32.
    @usableFromInline let tracker: Unmanaged<_AccessTracker>
    /// The number of cells named.
    let volume: Int
    let mode: AccessMode
    let spaceManaged: Bool
    /// True when the access names a good part (a quarter or more) of its resource: a write then
    /// moves the resource to the worker that ran it (a halo strip does not move a patch).
    let locates: Bool
}

extension _TaskAccess {
    /// What a task keeps of `access` (declared as `mode`), whose resource `tracker` tracks.
    @inline(__always)
    init(_ access: UnsafePointer<_RawAccess>, mode: AccessMode, tracker: Unmanaged<_AccessTracker>) {
        let volume = access.pointee.box.volume
        self.init(
            tracker: tracker, volume: volume, mode: mode, spaceManaged: access.pointee.spaceManaged,
            locates: volume &* 4 >= tracker._withUnsafeGuaranteedRef { $0.volume })
    }
}

/// A task's accesses: the first four inline in the task, the rest in memory the task frees
/// (``deallocate()``). A plain value without references: copying it, reading it on another
/// thread and iterating over it touch no reference count and call no value witness.
@usableFromInline
struct _TaskAccesses {
    @usableFromInline var inline: (_TaskAccess?, _TaskAccess?, _TaskAccess?, _TaskAccess?) = (nil, nil, nil, nil)
    @usableFromInline var more: UnsafeMutablePointer<_TaskAccess>?
    private var capacity = 0
    @usableFromInline private(set) var count = 0

    init() {}

    mutating func append(_ access: _TaskAccess) {
        switch count {
        case 0: inline.0 = access
        case 1: inline.1 = access
        case 2: inline.2 = access
        case 3: inline.3 = access
        default:
            let k = count - 4
            if k == capacity {
                capacity = Swift.max(4, 2 * capacity)
                let bigger = UnsafeMutablePointer<_TaskAccess>.allocate(capacity: capacity)
                if let more {
                    bigger.moveInitialize(from: more, count: k)
                    more.deallocate()
                }
                more = bigger
            }
            (more.unsafelyUnwrapped + k).initialize(to: access)
        }
        count += 1
    }

    @inlinable
    subscript(k: Int) -> _TaskAccess {
        switch k {
        case 0: inline.0.unsafelyUnwrapped
        case 1: inline.1.unsafelyUnwrapped
        case 2: inline.2.unsafelyUnwrapped
        case 3: inline.3.unsafelyUnwrapped
        default: more.unsafelyUnwrapped[k - 4]
        }
    }

    var isEmpty: Bool { count == 0 }

    /// A copy with memory of its own for the accesses past the fourth.
    func copy() -> _TaskAccesses {
        if count <= 4 { var c = self; c.more = nil; c.capacity = 0; return c }
        var c = _TaskAccesses()
        forEach { c.append($0) }
        return c
    }

    @inline(__always)
    func forEach(_ body: (_TaskAccess) -> Void) {
        for k in 0..<count { body(self[k]) }
    }

    /// Frees the accesses past the fourth (once, when the task is freed).
    func deallocate() { more?.deallocate() }
}
