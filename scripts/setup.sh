#!/usr/bin/env bash
# Installs the system packages Patchwork needs (Debian; run as root or with sudo) and the Python
# tools the I/O tests use to read Patchwork's files back (h5py, zarr, xarray in .venv-tools).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(gcc pkg-config libpng-dev openmpi-bin libopenmpi-dev libhdf5-openmpi-dev libzstd-dev libjemalloc-dev python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Python readers for the I/O tests and the `bench io` peers (h5py wheels bundle their own HDF5;
# h5netcdf is xarray's HDF5 engine). Pinned: the tests compare exact output of these versions.
venv=.venv-tools
python_tools=(h5py==3.16.0 zarr==3.1.6 xarray==2026.9.0 numpy==2.4.6 h5netcdf==1.8.2)
if ! "$venv/bin/python" -c 'import h5py, zarr, xarray, numpy, h5netcdf' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q "${python_tools[@]}"
fi
