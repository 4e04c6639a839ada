/// What a task keeps of one access once it is submitted: its resource's tracker (which holds the
/// resource), the mode and what scheduling needs. No reference is counted: the tracker lives as
/// long as the runtime, so a task that runs on another thread than its submitter touches no
/// resource's reference count.
@usableFromInline
struct _TaskAccess {
    @usableFromInline let tracker: Unmanaged<_AccessTracker>
    let mode: AccessMode
    let spaceManaged: Bool
    /// The number of cells named.
    let volume: Int
}

/// A task's accesses: the first four inline in the task (a plain value: no allocation and no
/// reference counting for most tasks), the rest in an array.
@usableFromInline
struct _TaskAccesses {
    @usableFromInline var inline: (_TaskAccess?, _TaskAccess?, _TaskAccess?, _TaskAccess?) = (nil, nil, nil, nil)
    @usableFromInline var more: [_TaskAccess]?
    @usableFromInline private(set) var count = 0

    init() {}

    mutating func append(_ access: _TaskAccess) {
        switch count {
        case 0: inline.0 = access
        case 1: inline.1 = access
        case 2: inline.2 = access
        case 3: inline.3 = access
        default:
            if more == nil { more = [] }
            more?.append(access)
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

    @inline(__always)
    func forEach(_ body: (_TaskAccess) -> Void) {
        for k in 0..<count { body(self[k]) }
    }
}
