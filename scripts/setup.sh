#!/usr/bin/env bash
# Installs the system packages Patchwork needs (Debian; run as root or with sudo) and the Python
# tools the I/O tests use to read Patchwork's files back (h5py, zarr, xarray in .venv-tools).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(gcc pkg-config libpng-dev openmpi-bin libopenmpi-dev libhdf5-openmpi-dev libzstd-dev python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Python readers for the I/O tests and the `bench io` peers (h5py wheels bundle their own HDF5).
venv=.venv-tools
if ! "$venv/bin/python" -c 'import h5py, zarr, xarray, numpy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q h5py zarr xarray numpy
fi
