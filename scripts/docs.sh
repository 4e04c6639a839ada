#!/usr/bin/env bash
# Builds the DocC catalog of the library (Sources/Patchwork/Patchwork.docc) with every warning
# an error: a broken symbol link or an undocumented parameter fails the test suite.
# Output: .build/docs/Patchwork.doccarchive.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-symbol-graph --minimum-access-level public > /dev/null
mkdir -p .build/docs
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
cp .build/*/symbolgraph/Patchwork.symbols.json .build/*/symbolgraph/Patchwork@*.symbols.json "$graphs"/
docc convert Sources/Patchwork/Patchwork.docc --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name Patchwork --fallback-bundle-identifier org.patchwork.Patchwork \
    --output-path .build/docs/Patchwork.doccarchive --warnings-as-errors
echo "docs: .build/docs/Patchwork.doccarchive"
