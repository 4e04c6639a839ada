import Synchronization

/// The runtime's record of one resource: outstanding accesses by region (to derive dependencies),
/// the coherence state of its copies, the worker that last wrote it and its accumulate lock.
///
/// Outstanding accesses sit in buckets along the resource's longest axis; an access spanning
/// several buckets is listed in each. A query scans only the buckets its region covers, adds an
/// edge from every intersecting, conflicting access of another task, forgets the ones it fully
/// covers when it is a `write` or `readWrite` (they are ordered before it, and everything after
/// it), and drops finished ones on the way.
///
/// Everything but `copyState`, `lastWriter` and `commute` is guarded by the graph's submission lock.
@usableFromInline
class _AccessTracker: @unchecked Sendable {
    /// One remembered access; `task` is kept alive while any entry of it lives (see
    /// ``addEntries(_:_:)``).
    struct Entry {
        var box: DataflowBox
        var mode: AccessMode
        var task: Unmanaged<_TaskNode>
    }

    @usableFromInline let resource: any DataflowResource
    let identity: ObjectIdentifier
    let bounds: DataflowBox
    /// The number of cells of `bounds`.
    let volume: Int
    let axis: Int
    let low: Int
    let extent: Int
    let bucketCount: Int
    /// The entry lists: buckets `0 ..< bucketCount`, then the wide list. Behind a pointer so that
    /// updating them in place needs no run-time exclusivity checks (the submission lock orders
    /// every use).
    let lists: UnsafeMutablePointer<ContiguousArray<Entry>>
    /// Bit `b` set when bucket `b` may hold entries.
    @exclusivity(unchecked) final var occupied: UInt64 = 0
    /// True when the wide list may hold entries (the common case, where it holds none, then
    /// touches neither the list nor its storage).
    @exclusivity(unchecked) final var wideOccupied = false
    /// Accesses spanning many buckets.
    @inline(__always) final var wide: UnsafeMutablePointer<ContiguousArray<Entry>> { lists + bucketCount }

    /// Spaces with a valid copy, in submission order (the state the next submitted task sees).
    @exclusivity(unchecked) final var validSpaces: [MemorySpace]
    /// Run-time versions: the version of each valid copy; a write makes the others stale.
    let copyState: _Lock<_CopyState>
    /// The worker that last finished a write to the resource (-1: none).
    let lastWriter = Atomic<Int>(-1)
    /// The copy in each space where tasks ran (the home space maps to the resource itself).
    let replicas: _Lock<[Int: any DataflowResource]>
    /// Exclusive use for accumulate tasks.
    let commute = _Lock(_CommuteState())

    init(resource: any DataflowResource, maxBuckets: Int = 64) {
        self.resource = resource
        self.identity = resource.dataflowIdentity
        let b = resource.dataflowBounds.dataflowBox
        self.bounds = b
        self.volume = b.volume
        var axis = 0
        for i in 1..<4 where b.upper[i] - b.lower[i] > b.upper[axis] - b.lower[axis] { axis = i }
        self.axis = axis
        self.low = b.lower[axis]
        self.extent = Swift.max(1, b.upper[axis] - b.lower[axis])
        self.bucketCount = Swift.max(1, Swift.min(extent, maxBuckets))
        self.lists = .allocate(capacity: bucketCount + 1)
        self.lists.initialize(repeating: [], count: bucketCount + 1)
        let home = resource.homeSpace
        self.validSpaces = [home]
        self.copyState = _Lock(_CopyState(version: 0, copies: [(home, 0)]))
        self.replicas = _Lock([home.id: resource])
    }

    deinit {
        for b in 0...bucketCount { for e in lists[b] { Self.dropEntry(e.task) } }
        lists.deinitialize(count: bucketCount + 1)
        lists.deallocate()
    }

    /// The first coordinate (along `axis`) of bucket `b` (`b == bucketCount`: the end).
    @inline(__always)
    final func slabStart(_ b: Int) -> Int {
        if b >= bucketCount { return Int.max }
        if b == 0 { return Int.min }
        if bucketCount == extent { return low + b }
        return low + (b * extent + bucketCount - 1) / bucketCount
    }

    @inline(__always)
    final func bucket(_ x: Int) -> Int {
        // One bucket per coordinate (a resource at most `maxBuckets` wide): no division.
        if bucketCount == extent { return x < low ? 0 : (x - low >= extent ? extent - 1 : x - low) }
        let i = (x - low) * bucketCount / extent
        return i < 0 ? 0 : (i >= bucketCount ? bucketCount - 1 : i)
    }

    /// Adds to `task` the edges its access (`box`, `mode`) needs, then records the access.
    /// Returns the number of edges added.
    final func register(_ task: _TaskNode, box: DataflowBox, mode: AccessMode) -> Int {
        let first = bucket(box.lower[axis])
        let last = bucket(box.upper[axis] - 1)
        var edges = 0
        // Wide accesses (spanning more than a few buckets) live in one list that every query
        // scans; narrow ones in the buckets they cover.
        if wideOccupied {
            scan(&wide.pointee, task: task, box: box, mode: mode, slab: nil, edges: &edges)
            if wide.pointee.isEmpty { wideOccupied = false }
        }
        var bits = occupied & Self.mask(first, last)
        while bits != 0 {
            let b = bits.trailingZeroBitCount
            bits &= bits - 1
            scan(&lists[b], task: task, box: box, mode: mode, slab: (slabStart(b), slabStart(b + 1)), edges: &edges)
            if lists[b].isEmpty { occupied &= ~(UInt64(1) << UInt64(b)) }
        }
        remember(task, box: box, mode: mode, first: first, last: last)
        return edges
    }

    /// Records the access (`box`, `mode`) of `task` without ordering it after anything: later
    /// accesses will find it (a task run in place that failed, see `_Runtime+InPlace.swift`).
    final func remember(_ task: _TaskNode, box: DataflowBox, mode: AccessMode) {
        remember(task, box: box, mode: mode, first: bucket(box.lower[axis]), last: bucket(box.upper[axis] - 1))
    }

    @inline(__always)
    private final func remember(_ task: _TaskNode, box: DataflowBox, mode: AccessMode, first: Int, last: Int) {
        if last - first + 1 > Self.wideBuckets {
            wide.pointee.append(Entry(box: box, mode: mode, task: Self.addEntries(task, 1)))
            wideOccupied = true
        } else {
            let entry = Entry(box: box, mode: mode, task: Self.addEntries(task, last - first + 1))
            for b in first...last { lists[b].append(entry) }
            occupied |= Self.mask(first, last)
        }
    }

    /// True when an access (`box`, `mode`) would wait: an earlier access that conflicts with it
    /// and intersects it is not retired (unfinished, or failed and not yet reported). Drops the
    /// retired conflicting entries it meets. Adds no edge and records nothing (see
    /// `_Runtime+InPlace.swift`).
    @inline(__always)
    final func blocks(box: DataflowBox, mode: AccessMode) -> Bool {
        // No entries at all: the common case while tasks run in place.
        if occupied == 0 && !wideOccupied { return false }
        return scanForBlocker(box: box, mode: mode)
    }

    private final func scanForBlocker(box: DataflowBox, mode: AccessMode) -> Bool {
        if wideOccupied {
            if blocks(&wide.pointee, box: box, mode: mode) { return true }
            if wide.pointee.isEmpty { wideOccupied = false }
        }
        var bits = occupied & Self.mask(bucket(box.lower[axis]), bucket(box.upper[axis] - 1))
        while bits != 0 {
            let b = bits.trailingZeroBitCount
            bits &= bits - 1
            if blocks(&lists[b], box: box, mode: mode) { return true }
            if lists[b].isEmpty { occupied &= ~(UInt64(1) << UInt64(b)) }
        }
        return false
    }

    @inline(__always)
    private final func blocks(_ list: inout ContiguousArray<Entry>, box: DataflowBox, mode: AccessMode) -> Bool {
        let n = list.count
        if n == 0 { return false }
        var blocked = false
        var kept = 0
        list.withUnsafeMutableBufferPointer { entries in
            for i in 0..<n {
                let e = entries[i]
                var keep = true
                if !blocked && e.mode.conflicts(with: mode) && e.box.intersects(box) {
                    if e.task._withUnsafeGuaranteedRef({ $0.isRetired }) {
                        keep = false
                    } else {
                        blocked = true
                    }
                }
                if keep {
                    if kept != i { entries[kept] = e }
                    kept += 1
                } else {
                    Self.dropEntry(e.task)
                }
            }
        }
        if kept < n { list.removeLast(n - kept) }
        return blocked
    }

    /// Counts `count` new entries of `task` (in any tracker): the first one retains the task, once
    /// for all its entries (entries are counted under the submission lock, without atomics).
    @inline(__always)
    static func addEntries(_ task: _TaskNode, _ count: Int) -> Unmanaged<_TaskNode> {
        if task.trackerEntries == 0 { _ = Unmanaged.passRetained(task) }
        task.trackerEntries += count
        return Unmanaged.passUnretained(task)
    }

    /// Forgets one entry of `task`; the last one releases it.
    @inline(__always)
    static func dropEntry(_ task: Unmanaged<_TaskNode>) {
        let left = task._withUnsafeGuaranteedRef { t in
            t.trackerEntries -= 1
            return t.trackerEntries
        }
        if left == 0 { task.release() }
    }

    /// Lists longer than this are pruned of finished tasks' entries as they are scanned.
    static var pruneLength: Int { 8 }

    /// Accesses spanning more buckets than this go to the wide list.
    static var wideBuckets: Int { 4 }

    /// The bits of buckets `first ... last`.
    @inline(__always)
    static func mask(_ first: Int, _ last: Int) -> UInt64 {
        let high: UInt64 = last >= 63 ? ~0 : (UInt64(1) << UInt64(last + 1)) - 1
        return high & ~((UInt64(1) << UInt64(first)) - 1)
    }

    /// Links `task` after the conflicting, intersecting entries of `list`, drops finished entries
    /// and the ones the new access supersedes. With `slab`, the list answers only for that range
    /// along `axis`: an entry is superseded when its part in the slab lies inside a new write
    /// (everything that would later meet it there meets the write, which is ordered after it).
    ///
    /// Transitive reduction: entries are in registration order, and a later entry B that
    /// conflicts with and intersects an earlier entry A was ordered after A when B registered
    /// (B's scan saw A; or A had finished). So when `task` comes after B, an edge from A is
    /// redundant and is not added — the common "written, then read, then written again" pattern
    /// needs one edge per reader and none from the old writer. The predecessors found are linked
    /// after the scan, newest first, skipping those a later one covers.
    @inline(__always)
    private final func scan(
        _ list: inout ContiguousArray<Entry>, task: _TaskNode, box: DataflowBox, mode: AccessMode,
        slab: (Int, Int)?, edges: inout Int
    ) {
        let n = list.count
        if n == 0 { return }
        let dominates = mode == .write || mode == .readWrite  // accumulates do not order later accumulates
        let axis = self.axis
        // A short list keeps the entries that do not conflict without looking at their tasks
        // (which the workers that ran them wrote last); a long one is pruned of finished ones.
        let prune = n > Self.pruneLength
        var kept = 0
        // Stack storage, left uninitialised (entries are trivial values).
        withUnsafeTemporaryAllocation(of: Entry.self, capacity: _Predecessors.capacity) { storage in
            var found = _Predecessors(storage: storage.baseAddress.unsafelyUnwrapped)
            list.withUnsafeMutableBufferPointer { entries in
                for i in 0..<n {
                    let e = entries[i]
                    var keep = true
                    var predecessor = false
                    e.task._withUnsafeGuaranteedRef { earlier in
                        if earlier === task { return }
                        let conflicts = e.mode.conflicts(with: mode) && e.box.intersects(box)
                        if !conflicts && !prune { return }
                        if earlier.isRetired { keep = false; return }
                        if conflicts {
                            predecessor = true
                            if dominates {
                                var part = e.box
                                if let (lo, hi) = slab {
                                    part.lower[axis] = Swift.max(part.lower[axis], lo)
                                    part.upper[axis] = Swift.min(part.upper[axis], hi)
                                }
                                if box.contains(part) { keep = false }
                            }
                        }
                    }
                    if predecessor {
                        // A kept entry stays in `list`, which keeps its task alive until linked; a
                        // superseded one passes its retain to `found`, which releases it once linked.
                        if found.isFull { found.link(to: task, edges: &edges) }
                        found.append(e, owned: !keep)
                    }
                    if keep {
                        if kept != i { entries[kept] = e }
                        kept += 1
                    } else if !predecessor {
                        Self.dropEntry(e.task)
                    }
                }
            }
            found.link(to: task, edges: &edges)
        }
        if kept < n { list.removeLast(n - kept) }
    }

    /// Number of remembered accesses (an access spanning k buckets counts k times); for tests.
    final var entryCount: Int { (0...bucketCount).reduce(0) { $0 + lists[$1].count } }

    /// Records a finished write by `worker` in `space`: a new version, the other copies stale.
    final func recordWrite(in space: MemorySpace) {
        copyState.withLock { s in
            s.version += 1
            if s.copies.count == 1 && s.copies[0].space == space {
                s.copies[0].version = s.version  // never replicated: no new array
            } else {
                s.copies = [(space, s.version)]
            }
        }
    }

    /// The copy in `space`, if one was made.
    final func replica(in space: MemorySpace) -> (any DataflowResource)? {
        replicas.withLock { $0[space.id] }
    }

    /// Copies the data from the replica in `source` to the one in `destination` (made if needed)
    /// and records the copy's version.
    final func copy(from source: MemorySpace, to destination: MemorySpace) throws {
        try copy(resource, from: source, to: destination)
        recordCopy(from: source, to: destination)
    }

    private final func copy<R: DataflowResource>(_ original: R, from source: MemorySpace, to destination: MemorySpace) throws {
        let (src, existing) = replicas.withLock { ($0[source.id] as? R, $0[destination.id] as? R) }
        guard let src else { preconditionFailure("no copy of \(original.dataflowName) in \(source)") }
        let dst: R
        if let existing {
            dst = existing
        } else {
            dst = try original.makeReplica(in: destination)
            replicas.withLock { $0[destination.id] = dst }
        }
        try src.copyContents(to: dst)
    }

    /// Records a finished copy from `source` to `destination`.
    final func recordCopy(from source: MemorySpace, to destination: MemorySpace) {
        copyState.withLock { s in
            let v = s.copies.first { $0.space == source }?.version ?? s.version
            s.copies.removeAll { $0.space == destination }
            s.copies.append((destination, v))
        }
    }
}

/// Run-time versions of a resource's copies.
struct _CopyState {
    var version: Int
    var copies: [(space: MemorySpace, version: Int)]
}

/// The accumulate lock of a resource: held by one task at a time; tasks that found it held wait in
/// `waiters` and are scheduled again when it is released.
struct _CommuteState {
    var held = false
    var waiters: [_TaskNode] = []
}

/// The predecessors one scan found, in registration order (up to `capacity`; a full buffer is
/// linked early, without reduction), in stack storage. An `owned` one holds the retain of an
/// entry removed from its list, given back once linked.
struct _Predecessors {
    static var capacity: Int { 8 }
    private let items: UnsafeMutablePointer<_AccessTracker.Entry>
    private var count = 0
    private var owned: UInt8 = 0

    @inline(__always)
    init(storage: UnsafeMutablePointer<_AccessTracker.Entry>) { items = storage }

    var isFull: Bool { count == Self.capacity }

    @inline(__always)
    mutating func append(_ entry: _AccessTracker.Entry, owned isOwned: Bool) {
        (items + count).initialize(to: entry)
        if isOwned { owned |= UInt8(1) << UInt8(count) }
        count += 1
    }

    /// Links `task` after each predecessor, newest first, except those a later one (which
    /// conflicts with it and intersects it, hence was ordered after it) already covers; empties
    /// the buffer.
    mutating func link(to task: _TaskNode, edges: inout Int) {
        if count == 0 { return }
        let serial = task.id
        var k = count - 1
        while k >= 0 {
            let a = items[k]
            var covered = false
            var j = k + 1
            while j < count {
                if items[j].mode.conflicts(with: a.mode) && items[j].box.intersects(a.box) { covered = true; break }
                j += 1
            }
            if !covered {
                a.task._withUnsafeGuaranteedRef { earlier in
                    if earlier.lastLinkedSerial != serial {
                        earlier.lastLinkedSerial = serial
                        if earlier.link(task) { edges += 1 }
                    }
                }
            }
            k -= 1
        }
        if owned != 0 {
            for i in 0..<count where owned & (UInt8(1) << UInt8(i)) != 0 { _AccessTracker.dropEntry(items[i].task) }
        }
        count = 0
        owned = 0
    }
}
