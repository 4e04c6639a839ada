/// The inspector of KeLPIO's inspector–executor I/O: the list of boxes to move between the local
/// patches of a patch array and the regions of a file array, built once and run many times by an
/// ``IOMover``.
///
/// ```swift
/// let u = try PatchArray<Double, 2>(decomposition: plan, ghostWidth: 1)
/// let io = try IOPlan(array: u)                       // interiors ∩ the file domain
/// let mover = try IOMover(plan: io, array: u, file: fileArray)
/// try mover.write()                                   // patches → file
/// try mover.read()                                    // file → patches
/// ```
///
/// A move copies `box` (domain coordinates, inside the patch's allocated box) to the file cells
/// `box + shift`. ``copyOnIntersection(patch:region:within:shift:)`` is KeLPIO's
/// `CopyOnIntersection`; ``init(array:fileRegions:includingGhosts:shift:)`` builds the usual plan
/// for a whole patch array. With ghosts, neighbouring patches' moves overlap in the file (fine
/// for reading; for writing, the last move wins — checkpoints use an embedding instead).
/// A plain `Sendable` value. - Complexity: building is O(local patches × file regions).
public struct IOPlan<let N: Int>: Sendable {
    /// One box moved between a patch and the file.
    public struct Move: Sendable, Equatable {
        /// The global index of the patch.
        public var patch: Int
        /// The cells moved, in domain coordinates.
        public var box: Box<N>
        /// File coordinates are `box` cells plus `shift`.
        public var shift: Point<N>

        public init(patch: Int, box: Box<N>, shift: Point<N>) {
            self.patch = patch
            self.box = box
            self.shift = shift
        }
    }

    /// The moves, in the order they were added (deterministic).
    public private(set) var moves: [Move] = []

    /// An empty plan.
    public init() {}

    /// The largest number of cells in one move (the mover's scratch size).
    public var largestMove: Int { moves.map(\.box.volume).max() ?? 0 }

    /// The number of cells moved.
    public var cellCount: Int { moves.reduce(0) { $0 + $1.box.volume } }

    /// Adds the move of `region ∩ within` for patch `patch` (KeLPIO's `CopyOnIntersection`):
    /// `within` is the part of the patch to move (its interior, or the box with ghosts), `region`
    /// a file region in domain coordinates. Nothing is added when they do not meet.
    public mutating func copyOnIntersection(patch: Int, region: Box<N>, within: Box<N>, shift: Point<N>) {
        let box = within.intersection(region)
        if !box.isEmpty { moves.append(Move(patch: patch, box: box, shift: shift)) }
    }

    /// The plan for every local patch of `array`: its interior (or, `includingGhosts`, its
    /// allocated box) intersected with each file region. `fileRegions` default to the whole data
    /// domain; give the regions of the file's decomposition this rank accesses to split the moves
    /// along them. `shift` maps domain to file coordinates (default: the data domain's lower
    /// corner goes to the file origin).
    public init<Element: PatchElement>(array: PatchArray<Element, N>, fileRegions: [Box<N>]? = nil,
                                       includingGhosts: Bool = false, shift: Point<N>? = nil) {
        let regions = fileRegions ?? [array.dataDomain]
        let shift = shift ?? (Point.zero - array.dataDomain.lower)
        for (index, patch) in array.localPatches {
            let within = includingGhosts ? patch.allocatedBox : patch.box
            for region in regions {
                copyOnIntersection(patch: index, region: region, within: within, shift: shift)
            }
        }
    }
}
