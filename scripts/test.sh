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
