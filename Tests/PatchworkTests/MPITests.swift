import Foundation
import Testing

/// Multi-rank tests: `patchwork selftest mpi` under `mpirun --oversubscribe -np K`, each run bounded
/// in time (a hung rank fails the test). `scripts/test.sh` builds the `patchwork` binary first.
@Suite(.serialized, .enabled(if: MPIRun.mpirun != nil, "mpirun is not installed (run scripts/setup.sh)"))
struct MPITests {
    @Test(arguments: [2, 4, 6])
    func selftestPassesOnEveryRankCount(ranks: Int) throws {
        let outcome = try MPIRun.mpirun(ranks: ranks, ["selftest", "mpi"])
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("selftest mpi: \(ranks) ranks"))
        #expect(outcome.output.contains("selftest mpi: passed"), "output:\n\(outcome.output)")
        #expect(outcome.output.contains("checks on \(ranks) ranks"))
    }

    /// With `MPI_THREAD_SERIALIZED` every MPI call goes through one lock; the progress engine's
    /// thread and the main thread still both call MPI.
    @Test func selftestPassesWithSerializedCalls() throws {
        let outcome = try MPIRun.mpirun(
            ranks: 4, ["selftest", "mpi"], mpirunOptions: ["-x", "PATCHWORK_MPI_THREAD_LEVEL=serialized"])
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("thread level MPI_THREAD_SERIALIZED"))
        #expect(outcome.output.contains("checks on 4 ranks"))
    }

    @Test(arguments: [2, 4, 6])
    func mismatchedMessageSizeFailsOnEveryRankWithoutHanging(ranks: Int) throws {
        let outcome = try MPIRun.mpirun(ranks: ranks, ["selftest", "mpi", "--mismatched-message-size"])
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status != 0 && outcome.status != nil)
        for rank in 0..<ranks {
            let left = (rank + ranks - 1) % ranks
            let detail = left % 2 == 0 ? "is longer than the 512 bytes expected" : "has 256 bytes, expected 512"
            #expect(
                outcome.output.contains("rank \(rank): mismatched message size: message from rank \(left) with tag 7 \(detail)"),
                "rank \(rank) did not report its error; output:\n\(outcome.output)")
        }
        #expect(!outcome.output.contains("passed"))
    }

    @Test func aHungRankIsKilledAtTheTimeLimit() throws {
        let outcome = try MPIRun.mpirun(ranks: 2, ["selftest", "mpi", "--hang-on-rank", "1"], timeout: 6)
        #expect(outcome.timedOut)
        #expect(outcome.seconds < 30)
        #expect(outcome.output.contains("rank 1: hanging as asked"))
        // Nothing of the run survives: mpirun and both ranks are gone.
        var survivors = ProcessRunner.sessionMembers(outcome.pid)
        for _ in 0..<100 where !survivors.isEmpty {
            usleep(50_000)
            survivors = ProcessRunner.sessionMembers(outcome.pid)
        }
        #expect(survivors.isEmpty, "processes left: \(survivors)")
    }

    @Test func sessionMembersFindsThisProcess() {
        #expect(ProcessRunner.sessionMembers(getsid(0)).contains(getpid()))
    }
}

/// The same binary without mpirun: Open MPI's singleton initialisation makes one rank.
@Suite(.serialized) struct MPISingletonTests {
    @Test func selftestRunsAsOneRankWithoutMpirun() throws {
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["selftest", "mpi"], timeout: 60)
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("selftest mpi: 1 ranks"))
        #expect(outcome.output.contains("checks on 1 ranks"))
    }

    @Test func mismatchedMessageToItselfFailsCleanly() throws {
        let outcome = try ProcessRunner.run(
            try MPIRun.patchwork(), ["selftest", "mpi", "--mismatched-message-size"], timeout: 60)
        #expect(outcome.status == 1, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("rank 0: mismatched message size: message from rank 0 with tag 7 has 1024 bytes, expected 512"))
    }
}

/// Finds mpirun and the built `patchwork` binary.
enum MPIRun {
    static let mpirun: String? = ProcessRunner.which("mpirun")

    /// `.build/<triple>/debug/patchwork`, beside the test bundle (or the package's `.build/debug`).
    static func patchwork() throws -> String {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
            // Inside a bundle directory (macOS-style layout), climb out of it.
            while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
            candidates.append(directory.appendingPathComponent("patchwork").path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/patchwork").path)
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw MPIRunError(description: "no patchwork binary at \(candidates): run `swift build --build-tests` first")
        }
        return found
    }

    static func mpirun(
        ranks: Int, _ arguments: [String], mpirunOptions: [String] = [], timeout: Double = 120
    ) throws -> ProcessRunner.Outcome {
        guard let mpirun else { throw MPIRunError(description: "mpirun is not installed") }
        return try ProcessRunner.run(
            mpirun,
            // No single-copy (CMA) transfers: containers often forbid process_vm_readv.
            ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
             "-np", "\(ranks)"] + mpirunOptions + [try patchwork()] + arguments,
            timeout: timeout)
    }
}

struct MPIRunError: Error, CustomStringConvertible {
    let description: String
}
