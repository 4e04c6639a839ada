// Shim over Debian's libhdf5-openmpi-dev: HDF5's type, property-list and selection constants are
// macros (often expanding to H5open() plus a global), which Swift cannot import; these static
// inline functions return them. Only Patchwork/IO/HDF5 uses this module.
#ifndef PATCHWORK_CHDF5_H
#define PATCHWORK_CHDF5_H
#include <hdf5.h>
#include <hdf5_hl.h>   // H5DS: dimension scales (libhdf5_hl), which h5netcdf and xarray read as axis names

static inline hid_t pw_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t pw_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t pw_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline hsize_t pw_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline size_t pw_H5T_VARIABLE(void) { return H5T_VARIABLE; }

static inline unsigned pw_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned pw_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned pw_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline unsigned pw_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }

static inline hid_t pw_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t pw_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t pw_H5P_DATASET_XFER(void) { return H5P_DATASET_XFER; }
static inline hid_t pw_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }

static inline hid_t pw_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t pw_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t pw_H5T_NATIVE_INT8(void) { return H5T_NATIVE_INT8; }
static inline hid_t pw_H5T_NATIVE_INT16(void) { return H5T_NATIVE_INT16; }
static inline hid_t pw_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t pw_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t pw_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t pw_H5T_NATIVE_UINT16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t pw_H5T_NATIVE_UINT32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t pw_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t pw_H5T_C_S1(void) { return H5T_C_S1; }

// Parallel HDF5 (MPI-IO driver): MPI_INFO_NULL and the collective transfer mode are macros or
// enum constants behind H5_HAVE_PARALLEL; these wrappers fail (-1) on a serial HDF5 build.
#ifdef H5_HAVE_PARALLEL
static inline int pw_H5_have_parallel(void) { return 1; }
static inline herr_t pw_H5Pset_fapl_mpio(hid_t fapl, MPI_Comm comm) { return H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL); }
static inline herr_t pw_H5Pset_dxpl_mpio_collective(hid_t dxpl) { return H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE); }
#else
static inline int pw_H5_have_parallel(void) { return 0; }
static inline herr_t pw_H5Pset_fapl_mpio(hid_t fapl, void *comm) { (void)fapl; (void)comm; return -1; }
static inline herr_t pw_H5Pset_dxpl_mpio_collective(hid_t dxpl) { (void)dxpl; return -1; }
#endif

// HDF5 before 1.14 frees a file whose close failed (a full disk: the metadata flush fails) but
// leaves its identifier registered; the library's termination — at exit, or from its MPI_Finalize
// hook — then closes it again and crashes (HDFGroup/hdf5 pull request 2291, fixed in 1.14.0).
// After such a failure Patchwork flushes the other open files itself and marks the library as
// already terminated (its exported flag `H5_libinit_g`), so that the termination does nothing.
#if H5_VERS_MAJOR == 1 && H5_VERS_MINOR < 14 && !defined(H5_HAVE_THREADSAFE)
extern hbool_t H5_libinit_g;
static inline int pw_H5_skip_termination(void) { H5_libinit_g = 0; return 1; }
#else
static inline int pw_H5_skip_termination(void) { return 0; }
#endif

/// Turns off HDF5's automatic printing of its error stack; Patchwork reports typed errors instead.
static inline herr_t pw_H5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

#endif
