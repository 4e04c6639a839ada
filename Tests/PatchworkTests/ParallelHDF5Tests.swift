import Foundation
import Testing

/// Parallel HDF5 over MPI: `patchwork selftest io` under `mpirun -np K` writes one array (and a
/// time series, through dataflow tasks) collectively from every rank into one file; the run
/// itself compares it bit for bit with a single-rank write and reads each rank's patches back;
/// here h5py compares the two files' datasets (dtype, shape, bytes) once more. Bounded in time.
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

    @Test func runsAsOneRankWithoutMpirun() throws {
        let dir = IOTestSupport.scratchDirectory("parallel-hdf5-1")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try ProcessRunner.run(try MPIRun.patchwork(), ["selftest", "io", "--directory", dir], timeout: 60)
        #expect(outcome.status == 0, "output:\n\(outcome.output)")
        #expect(outcome.output.contains("checks on 1 ranks"))
    }
}
