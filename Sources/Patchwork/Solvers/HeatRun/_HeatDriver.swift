/// The N-dimensional engine behind ``HeatRun``: floor plan, arrays, exchanges, stepping with
/// timers, and the self-check. Output (snapshots, checkpoints, pictures) is in
/// `_HeatDriver+Output.swift`.
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
    /// Overlap exchange and inner update (only worth it when messages travel).
    let overlap: Bool
    let interiors: [Box<N>]
    let shells: [[Box<N>]]
    let centre: Double
    let neighbour: Double
    let trace: PhaseTrace
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
        trace = PhaseTrace(recordingEvents: options.trace != nil, rank: rank)
        overlap = ranks > 1
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
        let arrays: [PatchArray<Double, N>]
        do {
            arrays = try (0..<2).map { _ throws(ArrayError) in
                try PatchArray<Double, N>(decomposition: floorPlan, ghostWidth: 1, rank: rank)
            }
        } catch { throw .array(error) }
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
        interiors = arrays[0].patches.map { $0.box.shrunk(by: 1) }
        shells = arrays[0].patches.map { patch in
            let inner = patch.box.shrunk(by: 1)
            return inner.isEmpty ? [patch.box] : patch.box.subtracting(inner)
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

    /// One sweep of patch `k` from `arrays[current]` to the other array over `box`.
    @inline(__always)
    func sweep(_ k: Int, over box: Box<N>) throws(ArrayError) {
        let source = arrays[current].patches[k], destination = arrays[1 - current].patches[k]
        if N == 2 {
            try Stencil.jacobi5(from: unsafeBitCast(source, to: Patch<Double, 2>.self),
                                to: unsafeBitCast(destination, to: Patch<Double, 2>.self),
                                over: unsafeBitCast(box, to: Box<2>.self), centre: centre, neighbour: neighbour)
        } else {
            try Stencil.jacobi7(from: unsafeBitCast(source, to: Patch<Double, 3>.self),
                                to: unsafeBitCast(destination, to: Patch<Double, 3>.self),
                                over: unsafeBitCast(box, to: Box<3>.self), centre: centre, neighbour: neighbour)
        }
    }

    /// Advances one step, timing the exchange and the compute phases.
    func advance() throws(HeatRunError) {
        let exchange = exchanges[current]
        let patches = arrays[current].patches.indices
        var t = trace.now()
        do {
            if overlap {
                try exchange.start()
                t = trace.record(.exchange, from: t)
                for k in patches where !interiors[k].isEmpty { try sweep(k, over: interiors[k]) }
                t = trace.record(.compute, from: t)
                try exchange.finish()
                t = trace.record(.exchange, from: t)
                for k in patches { for box in shells[k] { try sweep(k, over: box) } }
                trace.record(.compute, from: t)
            } else {
                try exchange.run()
                t = trace.record(.exchange, from: t)
                for k in patches { try sweep(k, over: arrays[current].patches[k].box) }
                trace.record(.compute, from: t)
            }
        } catch let error as ExchangeError {
            throw .exchange(error)
        } catch let error as ArrayError {
            throw .array(error)
        } catch {
            throw .invalidOption(name: "step", value: "\(step)", accepted: "\(error)")
        }
        current = 1 - current
        step += 1
    }

    // MARK: The run

    func run(progress: ((HeatProgress) -> Void)?) throws(HeatRunError) -> HeatRunSummary {
        try collectively { () throws(HeatRunError) in try prepareOutput() }
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

        let started = trace.now()
        func elapsed() -> Double { Double(trace.now() - started) / 1e9 }
        if !options.restart { try snapshotIfDue() }
        while step < lastStep {
            try advance()
            if let progress, rank == 0 {
                progress(HeatProgress(step: step, firstStep: firstStep, lastStep: lastStep, elapsed: elapsed(), cells: cells))
            }
            try snapshotIfDue()
            if options.checkpointEvery > 0, step % options.checkpointEvery == 0 { try checkpoint() }
        }
        let stopped = lastStep < options.steps
        if !stopped, options.checkpointEvery > 0, lastCheckpointStep != step { try checkpoint() }
        if !stopped { try finalPicture() }
        try collectively { () throws(HeatRunError) in try closeOutput() }
        let seconds = elapsed()

        let (maxError, discreteError) = try errors()
        if let path = options.trace { try writeTrace(to: path) }
        return HeatRunSummary(
            dimensions: N, size: options.size, boundary: options.boundary, alpha: mode.alpha,
            wavenumber: options.wavenumber, patches: floorPlan.count, ranks: ranks, cells: cells,
            firstStep: firstStep, lastStep: step, stopped: stopped, time: Double(step) * mode.timeStep,
            seconds: seconds, computeSeconds: trace.seconds(.compute), exchangeSeconds: trace.seconds(.exchange),
            ioSeconds: trace.seconds(.io), discreteAmplitude: mode.discreteAmplitude(after: step),
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

    // MARK: Trace

    func writeTrace(to path: String) throws(HeatRunError) {
        if let communicator {
            let flat = trace.events.flatMap { [UInt64($0.phase.rawValue), $0.start, $0.duration] }
            let all: [[UInt64]]
            do { all = try communicator.gather(flat, root: 0) } catch { throw .distributed(.transport(error)) }
            guard rank == 0 else { return }
            for (r, values) in all.enumerated() where r != 0 {
                trace.append(contentsOf: stride(from: 0, to: values.count - 2, by: 3).map { k in
                    PhaseTrace.Event(phase: PhaseTrace.Phase(rawValue: Int(values[k])) ?? .compute,
                                     start: values[k + 1], duration: values[k + 2], rank: r)
                })
            }
        }
        do { try trace.writeChromeTrace(to: path) } catch { throw .io(error) }
    }
}
