import Foundation
import Testing

/// Parallel HDF5 over MPI: `patchwork selftest io` under `mpirun -np K` writes one array (and a
/// time series, through dataflow tasks) collectively from every rank into one file; the run
/// itself compares it bit for bit with a single-rank write and reads each rank's patches back;
/// here h5py compares the two files' datasets (dtype, shape, bytes) once more. A bad box on one
/// rank fails every rank without a hang. Bounded in time.
@Suite(.serialized, .enabled(if: MPIRun.mpirun != nil, "mpirun is not installed (run scripts/setup.sh)"))
struct ParallelHDF5Tests {
    static let compare = """
    import sys, h5py, numpy as np
    p = h5py.File(sys.argv[1] + '/parallel.h5', 'r'); r = h5py.File(sys.argv[1] + '/reference.h5', 'r')
    for name in ['u', 't']:
        a, b = p[name][...], r[name][...]
        assert a.dtype == b.dtype and a.shape == b.shape, (name, a.dtype, b.dtype, a.shape, b.shape)
        assert a.tobytes() == b.tobytes(), (name, int(np.sum(a != b)))
    print('h5py: equal', p['u'].dtype, p['u'].shape, p['t'].dtype, p['t'].shape)
    """

    @Test(arguments: [2, 4])
    func collectiveWritesEqualSingleRank(ranks: Int) throws {
        let dir = IOTestSupport.scratchDirectory("parallel-hdf5-\(ranks)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try MPIRun.mpirun(ranks: ranks, ["selftest", "io", "--directory", dir], timeout: 90)
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("selftest io: passed"), "output:\n\(outcome.output)")
        #expect(outcome.output.contains("checks on \(ranks) ranks"))
        let h5py = try IOTestSupport.python(Self.compare, [dir])
        #expect(h5py.contains("h5py: equal float64 (37, 29) float32 (3, 37, 29)"), "\(h5py)")
    }

    /// A rank writing outside the file fails on every rank with a clear error; none hangs in the
    /// collective write.
    @Test(arguments: [2, 4])
    func aBadBoxOnOneRankFailsOnEveryRank(ranks: Int) throws {
        let dir = IOTestSupport.scratchDirectory("parallel-hdf5-bad-\(ranks)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try MPIRun.mpirun(ranks: ranks, ["selftest", "io", "--bad-step", "--directory", dir], timeout: 60)
        #expect(!outcome.timedOut, "hung; output:\n\(outcome.output)")
        #expect(outcome.status != 0 && outcome.status != nil)
        let last = ranks - 1
        #expect(outcome.output.contains("rank \(last): bad step: box at [2, "), "output:\n\(outcome.output)")
        for rank in 0..<last {
            #expect(outcome.output.contains("rank \(rank): bad step: invalid collective write of \(dir)/bad.h5:/t 1 rank failed, the first being rank \(last)"),
                    "rank \(rank) did not report; output:\n\(outcome.output)")
        }
        #expect(!outcome.output.contains("passed"))
    }

    @Test func runsAsOneRankWithoutMpirun() throws {
        let dir = IOTestSupport.scratchDirectory("parallel-hdf5-1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["selftest", "io", "--directory", dir], timeout: 60)
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("checks on 1 ranks"))
    }
}
