#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Suites run in parallel and some start child processes (mpirun, h5py): HDF5's file locks, which
# children inherit, must not make one test's file unreadable to another.
export HDF5_USE_FILE_LOCKING=FALSE
swift build --build-tests
swift test --skip-build
# The dataflow runtime under ThreadSanitizer, its locks on pthread mutexes that TSan can see
# (-DPATCHWORK_TSAN_LOCKS), in a build folder of its own.
swift test --scratch-path .build-tsan --sanitize=thread -Xswiftc -DPATCHWORK_TSAN_LOCKS --filter Dataflow
