import Foundation
import Testing

/// Distributed patch arrays over MPI: `patchwork selftest exchange` under
/// `mpirun --oversubscribe -np K` (halo fills on periodic and cubed-sphere floor plans, scalars and
/// vectors, reductions, gathers and a heat run, each equal bit for bit to the single-rank
/// computation), and bad input failing on every rank. Every run is bounded in time.
@Suite(.serialized, .enabled(if: MPIRun.mpirun != nil, "mpirun is not installed (run scripts/setup.sh)"))
struct MPIExchangeTests {
    @Test(arguments: [2, 4, 6])
    func distributedResultsEqualSingleRank(ranks: Int) throws {
        let outcome = try MPIRun.mpirun(ranks: ranks, ["selftest", "exchange"], timeout: 90)
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("selftest exchange: passed"), "output:\n\(outcome.output)")
        #expect(outcome.output.contains("checks on \(ranks) ranks"))
    }

    @Test func runsAsOneRankWithoutMpirun() throws {
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["selftest", "exchange"], timeout: 60)
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("checks on 1 ranks"))
    }

    @Test(arguments: [2, 4])
    func aFloorPlanForAnotherRankCountFailsOnEveryRank(ranks: Int) throws {
        let outcome = try Self.badInput("rank-count", ranks: ranks)
        let all = (0..<ranks).map(String.init).joined(separator: ", ")
        for rank in 0..<ranks {
            #expect(outcome.output.contains("rank \(rank): rank-count: the floor plan on ranks [\(all)] is made for \(ranks + 1) ranks, but the run has \(ranks) ranks"),
                    "rank \(rank) did not report; output:\n\(outcome.output)")
        }
    }

    @Test(arguments: [2, 6])
    func mismatchedFloorPlansFailOnEveryRank(ranks: Int) throws {
        let outcome = try Self.badInput("floor-plan", ranks: ranks)
        for rank in 0..<ranks {
            #expect(outcome.output.contains("rank \(rank): floor-plan: ranks [\(ranks - 1)] hold a floor plan other than rank 0's"),
                    "rank \(rank) did not report; output:\n\(outcome.output)")
        }
    }

    @Test(arguments: [2, 4, 6])
    func aMessageOfTheWrongSizeFailsOnEveryRank(ranks: Int) throws {
        let outcome = try Self.badInput("message-size", ranks: ranks)
        let last = ranks - 1
        // The odd rank out and its neighbours see the wrong sizes; every other rank hears of it.
        #expect(outcome.output.contains("rank \(last): message-size: exchange: transport: message from rank"), "output:\n\(outcome.output)")
        #expect(outcome.output.contains("rank 0: message-size: exchange: transport: message from rank \(last) with tag 77 is longer than"), "output:\n\(outcome.output)")
        for rank in 0..<ranks {
            #expect(outcome.output.contains("rank \(rank): message-size: "), "rank \(rank) did not report; output:\n\(outcome.output)")
        }
        #expect(!outcome.output.contains("passed"))
    }

    @Test(arguments: [2, 4, 6])
    func aSharedMemoryMessageOfTheWrongSizeFailsOnEveryRank(ranks: Int) throws {
        let outcome = try Self.badInput("shared-message-size", ranks: ranks)
        let last = ranks - 1
        // Rank 0 receives from the odd rank out: it reads the size from its shared segment.
        #expect(outcome.output.contains("rank 0: shared-message-size: exchange: transport: message from rank \(last) with tag 77 has"), "output:\n\(outcome.output)")
        for rank in 0..<ranks {
            #expect(outcome.output.contains("rank \(rank): shared-message-size: "), "rank \(rank) did not report; output:\n\(outcome.output)")
        }
    }

    @Test(arguments: [2, 4, 6])
    func sharedArraysOfDifferentGhostWidthsFailOnEveryRank(ranks: Int) throws {
        let outcome = try Self.badInput("shared-layout", ranks: ranks)
        for rank in 0..<ranks {
            let other = rank == ranks - 1 ? 0 : ranks - 1
            #expect(outcome.output.contains("rank \(rank): shared-layout: rank \(other)'s shared-memory patches take"),
                    "rank \(rank) did not report; output:\n\(outcome.output)")
        }
    }

    @Test(arguments: [2, 6])
    func aDirectTransferOfPrivateArraysFailsOnEveryRank(ranks: Int) throws {
        let outcome = try Self.badInput("direct-private", ranks: ranks)
        for rank in 0..<ranks {
            #expect(outcome.output.contains("rank \(rank): direct-private: exchange: quantity 0: a direct shared-memory transfer needs every array allocated with PatchArray(…, sharedWith:) on this communicator"),
                    "rank \(rank) did not report; output:\n\(outcome.output)")
        }
    }

    @Test(arguments: [2, 4])
    func aSilentPeerTimesOutInsteadOfHanging(ranks: Int) throws {
        let outcome = try Self.badInput("shared-silent-peer", ranks: ranks)
        let last = ranks - 1
        #expect(outcome.output.contains("rank 0: shared-silent-peer: exchange: transport: rank \(last) did not answer within 1.0 s"),
                "output:\n\(outcome.output)")
        for rank in 0..<ranks {
            #expect(outcome.output.contains("rank \(rank): shared-silent-peer: "), "rank \(rank) did not report; output:\n\(outcome.output)")
        }
    }

    /// Runs `selftest exchange --bad NAME` on `ranks` ranks: it must end, in failure, within 60 s.
    static func badInput(_ name: String, ranks: Int) throws -> ProcessRunner.Outcome {
        let outcome = try MPIRun.mpirun(ranks: ranks, ["selftest", "exchange", "--bad", name], timeout: 60)
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status != 0 && outcome.status != nil)
        return outcome
    }
}
