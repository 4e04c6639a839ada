#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Suites run in parallel and some start child processes (mpirun, h5py): HDF5's file locks, which
# children inherit, must not make one test's file unreadable to another.
export HDF5_USE_FILE_LOCKING=FALSE
swift build --build-tests
# The DocC catalog, its links and parameters checked.
bash scripts/docs.sh
# Every suite is bounded in time, but a test body blocked in a deadlock cannot be cancelled:
# the time limits below make a hang a failure instead of a stalled CI job.
timeout -k 30 2700 swift test --skip-build
# The dataflow runtime under ThreadSanitizer, its locks on pthread mutexes that TSan can see
# (-DPATCHWORK_TSAN_LOCKS), in a build folder of its own.
timeout -k 30 1800 swift test --scratch-path .build-tsan --sanitize=thread -Xswiftc -DPATCHWORK_TSAN_LOCKS --filter Dataflow
