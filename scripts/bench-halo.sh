#!/usr/bin/env bash
# The cubed-sphere halo benchmark with its peer in one run: pace-util's HaloUpdater (mpi4py) on 6
# ranks, then `patchwork bench halo` on 6 ranks given the peer's figure (one JSON object).
#   PEER_PYTHON=/path/to/venv/bin/python scripts/bench-halo.sh [extra bench options]
# Both run under the same mpirun options (no Open MPI tuning). Patchwork moves its messages through
# MPI-3 shared memory when all ranks share a node (--no-shared-memory: MPI Isend/Irecv instead);
# the JSON records the transport, the wait backoff (PATCHWORK_WAIT) and the MPI options it saw.
set -euo pipefail
cd "$(dirname "$0")/.."
PEER_PYTHON=${PEER_PYTHON:-/tmp/pv/bin/python}
MPIRUN=(mpirun --oversubscribe --mca btl_vader_single_copy_mechanism none -np 6)
[ "$(id -u)" -eq 0 ] && MPIRUN=(mpirun --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none -np 6)
swift build -c release --product patchwork >&2
peer=$("${MPIRUN[@]}" "$PEER_PYTHON" ../shared/peers/pace_halo_bench.py 48 | sed -n 's/.* \([0-9.]*\) ms\/update.*/\1/p' | head -1)
[ -n "$peer" ] || { echo "the pace-util peer did not run (PEER_PYTHON=$PEER_PYTHON)" >&2; exit 1; }
"${MPIRUN[@]}" .build/release/patchwork bench halo --json --peer-ms "$peer" "$@"
