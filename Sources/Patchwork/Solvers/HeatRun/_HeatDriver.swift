#if canImport(Glibc)
import Glibc
#endif

/// The N-dimensional engine behind ``HeatRun``: floor plan, arrays, exchanges, stepping as
/// dataflow tasks, and the self-check. Output (snapshots, checkpoints, pictures) is in
/// `_HeatDriver+Output.swift`; the trace's accounting in `_HeatDriver+Trace.swift`.
final class _HeatDriver<let N: Int> {
    let options: HeatRunOptions
    let communicator: (any CollectiveTransport)?
    let rank: Int
    let ranks: Int
    let mode: FourierMode
    let floorPlan: Decomposition<N>
    /// Current and next temperature; `current` indexes the one holding the newest step.
    var arrays: [PatchArray<Double, N>]
    var exchanges: [HaloExchange<Double, N>]
    var current = 0
    /// The step `arrays[current]` holds.
    var step = 0
    var firstStep = 0
    let centre: Double
    let neighbour: Double
    /// This rank's task graph: halo exchanges, sweeps and I/O run as its tasks (traced).
    let graph: DataflowGraph
    /// Worker-seconds in sweep, halo and I/O tasks, folded from the graph's trace.
    var taskSeconds = _TaskSeconds()
    // Output state (rank 0 holds the stores).
    var output: _HeatOutput<N>?
    /// Rank 0's single-patch copy of the whole field, written by snapshots, checkpoints, pictures.
    var field: PatchArray<Double, N>?
    var snapshotsWritten = 0
    var checkpointsWritten = 0
    var pictures: [String] = []
    var lastCheckpointStep: Int? = nil

    init(options: HeatRunOptions, communicator: (any CollectiveTransport)?) throws(HeatRunError) {
        self.options = options
        let ranks = communicator?.size ?? 1
        self.communicator = ranks > 1 ? communicator : nil
        self.rank = ranks > 1 ? communicator!.rank : 0
        self.ranks = ranks
        let alpha = options.effectiveAlpha
        mode = FourierMode(dimensions: N, size: options.size, wavenumber: options.wavenumber,
                           boundary: options.boundary, alpha: alpha)
        centre = 1 - Double(2 * N) * alpha
        neighbour = alpha
        let processors = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        do {
            graph = try DataflowGraph(workers: options.workers ?? max(1, processors / ranks), tracing: true)
        } catch { throw .dataflow(error) }
        let floorPlan: Decomposition<N>
        do {
            let domain = try Box<N>(lower: .zero, upper: Point(repeating: options.size))
            floorPlan = try Decomposition(bisecting: domain, maxExtent: options.maxExtent, ranks: ranks,
                                          periodic: Array(repeating: options.boundary == .periodic, count: N))
        } catch { throw .geometry(error) }
        self.floorPlan = floorPlan
        if let communicator = self.communicator {
            do { try communicator.checkFloorPlan(floorPlan) } catch { throw .distributed(error) }
        }
        let rank = self.rank
        // Ranks of one MPI node share their arrays: halos are written straight into the
        // neighbours' ghosts (a private allocation across nodes).
        let shared = self.communicator as? MPICommunicator
        let arrays: [PatchArray<Double, N>]
        if let shared {
            do {
                arrays = try (0..<2).map { _ throws(DistributedError) in
                    try PatchArray<Double, N>(decomposition: floorPlan, ghostWidths: Point(repeating: 1), sharedWith: shared)
                }
            } catch { throw .distributed(error) }
        } else {
            do {
                arrays = try (0..<2).map { _ throws(ArrayError) in
                    try PatchArray<Double, N>(decomposition: floorPlan, ghostWidth: 1, rank: rank)
                }
            } catch { throw .array(error) }
        }
        self.arrays = arrays
        let transport = self.communicator
        do {
            let plan = try MotionPlan.haloFill(plan: floorPlan, width: 1, corners: false)
            let first = try HaloExchange(plan: plan, quantities: [.scalar(arrays[0])], transport: transport)
            let second = try HaloExchange(plan: plan, quantities: [.scalar(arrays[1])], transport: transport,
                                          tag: first.tag % 32766 + 1)
            exchanges = [first, second]
        } catch let error as GeometryError {
            throw .geometry(error)
        } catch let error as ExchangeError {
            throw .exchange(error)
        } catch {
            throw .invalidOption(name: "floor plan", value: "\(floorPlan.count) patches", accepted: "\(error)")
        }
        if let shared {
            do {
                for exchange in exchanges { _ = try exchange.useSharedMemory(shared) }
            } catch { throw .distributed(error) }
        }
    }

    /// Cells in the domain.
    var cells: Int { floorPlan.domain.volume }

    /// Agrees with every rank that a phase succeeded (rethrowing this rank's error, or a
    /// distributed error naming the failing ranks), so no rank waits forever on a failed one.
    func collectively<T>(_ body: () throws(HeatRunError) -> T) throws(HeatRunError) -> T {
        guard let communicator else { return try body() }
        let result: Result<T, HeatRunError>
        do { result = .success(try body()) } catch { result = .failure(error) }
        var succeeded = true
        if case .failure = result { succeeded = false }
        do { try communicator.agreeOnSuccess(succeeded) } catch {
            if case let .failure(own) = result { throw own }
            throw .distributed(.transport(error))
        }
        return try result.get()
    }

    // MARK: Stepping

    /// The sweep of one patch: `dst ← centre · src + neighbour · Σ neighbours of src` over `dst`'s box.
    @inline(__always)
    static func sweep(_ src: PatchView<Double, N>, _ dst: MutablePatchView<Double, N>,
                      centre: Double, neighbour: Double) throws(ArrayError) {
        if N == 2 {
            let box = unsafeBitCast(dst.box, to: Box<2>.self)
            try Stencil.jacobi5(from: unsafeBitCast(src, to: PatchView<Double, 2>.self),
                                to: unsafeBitCast(dst, to: MutablePatchView<Double, 2>.self),
                                over: box, centre: centre, neighbour: neighbour)
        } else {
            let box = unsafeBitCast(dst.box, to: Box<3>.self)
            try Stencil.jacobi7(from: unsafeBitCast(src, to: PatchView<Double, 3>.self),
                                to: unsafeBitCast(dst, to: MutablePatchView<Double, 3>.self),
                                over: box, centre: centre, neighbour: neighbour)
        }
    }

    /// Submits one step: the halo exchange of `arrays[current]` as tasks, then one sweep task per
    /// patch into the other array. A sweep waits only for the tasks that fill its patch's ghosts
    /// (and for the previous step's readers of its destination), so sweeps of patches whose ghosts
    /// are in overlap the messages still in flight. Returns at once (tasks run on the workers).
    func submitStep() throws(HeatRunError) {
        let source = arrays[current], destination = arrays[1 - current]
        let centre = self.centre, neighbour = self.neighbour
        do throws(DataflowError) {
            if options.skipExchangeAtStep != step + 1 { try graph.submit(exchanges[current], name: Self.haloTask) }
            for i in source.patchIndices {
                try graph.submit(name: Self.sweepTask, .read(source, patch: i, grownBy: 1), .write(destination, patch: i)) { src, dst in
                    try _HeatDriver<N>.sweep(src, dst, centre: centre, neighbour: neighbour)
                }
            }
        } catch { throw .dataflow(error) }
        current = 1 - current
        step += 1
    }

    /// Waits for every submitted task (the arrays hold `step` afterwards).
    func drain() throws(HeatRunError) {
        do { try graph.wait() } catch { throw .dataflow(error) }
    }

    // MARK: The run

    func run(progress: ((HeatProgress) -> Void)?) throws(HeatRunError) -> HeatRunSummary {
        try collectively { () throws(HeatRunError) in
            try checkOutputFiles()
            try prepareOutput()
        }
        if options.restart {
            try collectively { () throws(HeatRunError) in try restoreCheckpoint() }
        } else {
            let mode = self.mode
            arrays[0].fill { p in
                var v = 1.0
                for a in 0..<N { v *= mode.tableValue(p[a]) }
                return v
            }
            step = 0
        }
        firstStep = step
        let lastStep = min(options.steps, options.stopAfter ?? options.steps)
        try collectively { () throws(HeatRunError) in try openSnapshots() }

        let clock = ContinuousClock()
        let started = clock.now
        func elapsed() -> Double {
            let d = (clock.now - started).components
            return Double(d.seconds) + Double(d.attoseconds) * 1e-18
        }
        if !options.restart { try snapshotIfDue() }
        while step < lastStep {
            try submitStep()
            if let progress, rank == 0 {
                progress(HeatProgress(step: step, firstStep: firstStep, lastStep: lastStep, elapsed: elapsed(), cells: cells))
            }
            try snapshotIfDue()
            if options.checkpointEvery > 0, step % options.checkpointEvery == 0 { try checkpoint() }
        }
        let stopped = lastStep < options.steps
        if !stopped, options.checkpointEvery > 0, lastCheckpointStep != step { try checkpoint() }
        if !stopped { try finalPicture() }
        try drain()
        try collectively { () throws(HeatRunError) in try closeOutput() }
        let seconds = elapsed()
        foldTrace(final: true)

        let (maxError, discreteError) = try errors()
        if let path = options.trace { try writeTrace(to: path) }
        return HeatRunSummary(
            dimensions: N, size: options.size, boundary: options.boundary, alpha: mode.alpha,
            wavenumber: options.wavenumber, patches: floorPlan.count, ranks: ranks, cells: cells,
            firstStep: firstStep, lastStep: step, stopped: stopped, time: Double(step) * mode.timeStep,
            workers: graph.workerCount, seconds: seconds, computeSeconds: taskSeconds.compute,
            exchangeSeconds: taskSeconds.exchange, ioSeconds: taskSeconds.io, discreteAmplitude: mode.discreteAmplitude(after: step),
            continuousAmplitude: mode.continuousAmplitude(after: step), maxError: maxError,
            errorBound: mode.errorBound(after: step), discreteError: discreteError,
            snapshots: snapshotsWritten, checkpoints: checkpointsWritten, pictures: pictures, output: options.output)
    }

    // MARK: Verification

    /// max |u − analytic| and max |u − g^s · mode| over the domain (every rank gets both).
    func errors() throws(HeatRunError) -> (Double, Double) {
        let continuous = mode.continuousAmplitude(after: step), discrete = mode.discreteAmplitude(after: step)
        var worstContinuous = 0.0, worstDiscrete = 0.0
        let mode = self.mode
        for patch in arrays[current].patches {
            patch.withView { (view: PatchView<Double, N>) in
                patch.box.forEachRow { (start: Point<N>, count: Int) in
                    var prefix = 1.0
                    for a in 0..<(N - 1) { prefix *= mode.tableValue(start[a]) }
                    let row = view.pointer(at: start)
                    let first = start[N - 1]
                    for i in 0..<count {
                        let m = prefix * mode.tableValue(first + i)
                        let u = row[i]
                        worstContinuous = max(worstContinuous, abs(u - continuous * m))
                        worstDiscrete = max(worstDiscrete, abs(u - discrete * m))
                    }
                }
            }
        }
        guard let communicator else { return (worstContinuous, worstDiscrete) }
        do {
            let all = try communicator.allGather([worstContinuous, worstDiscrete])
            return (all.map { $0[0] }.max() ?? 0, all.map { $0[1] }.max() ?? 0)
        } catch { throw .distributed(.transport(error)) }
    }
}
