extension HaloExchange {
    /// Builds an exchange across ranks collectively: every rank calls it with its own part of the
    /// same quantities; the ranks then check together, with one all-gather, that they hold the same
    /// floor plan made for this many ranks and built the same exchange (motion plan, quantity list,
    /// ghost widths, staggering, element type, tag). Only then can no rank wait for a message that
    /// never comes.
    ///
    /// ```swift
    /// let comm = try MPICommunicator.world()
    /// let plan = try Decomposition(blocks: domain, counts: [comm.size, 1, 1], ranks: comm.size, periodic: [true, true, true])
    /// let u = try PatchArray<Double, 3>(decomposition: plan, ghostWidth: 1, rank: comm.rank)
    /// let exchange = try HaloExchange.collective(
    ///     plan: MotionPlan.haloFill(plan: plan, width: 1), quantities: [.scalar(u)], communicator: comm)
    /// try exchange.run()     // one message per peer, every quantity in it
    /// ```
    ///
    /// - Throws (the same verdict on every rank): ``DistributedError/rankCountMismatch(floorPlanRanks:transportRanks:ranks:)``,
    ///   ``DistributedError/floorPlanMismatch(differingRanks:fingerprints:)``,
    ///   ``DistributedError/elementTypeMismatch(differingRanks:elementTypes:)``,
    ///   ``DistributedError/exchangeMismatch(differingRanks:reason:)``; a rank whose own build
    ///   failed throws ``DistributedError/exchange(_:)`` and the others
    ///   ``DistributedError/failedOnOtherRanks(firstRank:failingRanks:)``.
    /// - Complexity: the local build (O(moves) plus the packing plans), plus one all-gather of
    ///   48 bytes per rank.
    public static func collective<C: CollectiveTransport>(
        plan: MotionPlan<N>, quantities: [ExchangeQuantity<Element, N>], communicator: C,
        mode: Mode = .copy, tag: Int? = nil, pool: ExchangeBufferPool = .shared
    ) throws(DistributedError) -> HaloExchange {
        let floorPlan = quantities.first?.components.first?.decomposition
        var built: Result<HaloExchange, ExchangeError>
        if let floorPlan, floorPlan.rankCount != communicator.size {
            built = .failure(.transportMismatch(transportRank: communicator.rank, transportSize: communicator.size, arrayRank: quantities[0].components[0].rank, rankCount: floorPlan.rankCount))
        } else {
            do throws(ExchangeError) {
                built = .success(try HaloExchange(plan: plan, quantities: quantities, transport: communicator, mode: mode, tag: tag, pool: pool))
            } catch {
                built = .failure(error)
            }
        }
        let exchange = try? built.get()
        let mine: [UInt64] = [
            floorPlan?.identity.fingerprint ?? 0,
            UInt64(bitPattern: Int64(floorPlan?.rankCount ?? -1)),
            exchange == nil ? 1 : 0,
            exchange?.signature ?? 0,
            UInt64(exchange?.tag ?? 0) | (mode == .accumulate ? 1 << 32 : 0),
            UInt64(Element.elementType.code),
        ]
        let all: [[UInt64]]
        do { all = try communicator.allGather(mine) } catch { throw .transport(error) }
        let rows = all.map { $0.count == 6 ? $0 : [0, UInt64.max, 1, 0, 0, 0] }
        try C.judgeFloorPlans(rows.map { Array($0[0..<2]) }, size: communicator.size)
        let failing = rows.indices.filter { rows[$0][2] != 0 }
        if case .failure(let error) = built { throw .exchange(error) }
        if let first = failing.first { throw .failedOnOtherRanks(firstRank: first, failingRanks: failing.count) }
        let otherType = rows.indices.filter { rows[$0][5] != rows[0][5] }
        if !otherType.isEmpty {
            throw .elementTypeMismatch(
                differingRanks: otherType,
                elementTypes: rows.map { ElementType(rawValue: UInt8(truncatingIfNeeded: $0[5]))?.name ?? "unknown" })
        }
        let differing = rows.indices.filter { rows[$0][3] != rows[0][3] }
        if !differing.isEmpty {
            throw .exchangeMismatch(differingRanks: differing, reason: "motion plan, quantity list, ghost width, staggering or element type")
        }
        let otherTag = rows.indices.filter { rows[$0][4] != rows[0][4] }
        if !otherTag.isEmpty { throw .exchangeMismatch(differingRanks: otherTag, reason: "message tag or mode") }
        return exchange!
    }

    /// Runs a whole exchange (``start()`` then ``finish()``) and then agrees with every rank on
    /// the outcome (one all-reduce), so that a failure on one rank — a message of the wrong size —
    /// is an error on every rank. Costs one collective per call: for checked runs and tests; the
    /// hot loop calls ``run()``.
    ///
    /// - Throws: on the failing ranks ``DistributedError/exchange(_:)``, on the others
    ///   ``DistributedError/failedOnOtherRanks(firstRank:failingRanks:)``.
    public func run<C: CollectiveTransport>(agreeingOn communicator: C) throws(DistributedError) {
        var local: ExchangeError? = nil
        do { try run() } catch { local = error }
        try communicator.agree(local)
    }
}
