// Open MPI for Swift: the library header plus static inline functions for the handles and
// constants that mpi.h defines as macros over incomplete globals (which Swift cannot import).
#ifndef PATCHWORK_CMPI_SHIM_H
#define PATCHWORK_CMPI_SHIM_H

#include <mpi.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

// Communicators.
static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm cmpi_comm_self(void) { return MPI_COMM_SELF; }
static inline MPI_Comm cmpi_comm_null(void) { return MPI_COMM_NULL; }

// Datatypes.
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype cmpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype cmpi_int32_t(void) { return MPI_INT32_T; }
static inline MPI_Datatype cmpi_int64_t(void) { return MPI_INT64_T; }
static inline MPI_Datatype cmpi_int(void) { return MPI_INT; }

// Reduction operations.
static inline MPI_Op cmpi_sum(void) { return MPI_SUM; }
static inline MPI_Op cmpi_min(void) { return MPI_MIN; }
static inline MPI_Op cmpi_max(void) { return MPI_MAX; }

// Requests, statuses and special buffers.
static inline MPI_Request cmpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *cmpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Status *cmpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline void *cmpi_in_place(void) { return MPI_IN_PLACE; }

// Error handlers.
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }

// Integer constants (macros that Swift may import, kept here so every use reads the same).
static inline int cmpi_tag_ub_key(void) { return MPI_TAG_UB; }
static inline int cmpi_any_source(void) { return MPI_ANY_SOURCE; }
static inline int cmpi_any_tag(void) { return MPI_ANY_TAG; }
static inline int cmpi_undefined(void) { return MPI_UNDEFINED; }
static inline int cmpi_success(void) { return MPI_SUCCESS; }
static inline int cmpi_err_truncate(void) { return MPI_ERR_TRUNCATE; }
static inline int cmpi_err_in_status(void) { return MPI_ERR_IN_STATUS; }
static inline int cmpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int cmpi_thread_single(void) { return MPI_THREAD_SINGLE; }
static inline int cmpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
static inline int cmpi_thread_multiple(void) { return MPI_THREAD_MULTIPLE; }


// MPI-3 shared memory (the halo exchange's shared-memory path).
static inline int cmpi_comm_type_shared(void) { return MPI_COMM_TYPE_SHARED; }
static inline MPI_Info cmpi_info_null(void) { return MPI_INFO_NULL; }
static inline MPI_Win cmpi_win_null(void) { return MPI_WIN_NULL; }

// Flags in shared memory between processes: acquire loads and release stores.
static inline uint64_t cmpi_load_acquire(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void cmpi_store_release(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

// A doorbell in shared memory between processes: bell[0] counts rings, bell[1] counts sleepers.
// A waiter reads the count, checks its condition, and sleeps only while the count is unchanged
// (a process-shared Linux futex; elsewhere a 30 µs nap), so no ring is lost.
static inline uint32_t cmpi_doorbell_read(uint32_t *bell) { return __atomic_load_n(bell, __ATOMIC_SEQ_CST); }
static inline void cmpi_doorbell_ring(uint32_t *bell) {
    __atomic_fetch_add(bell, 1, __ATOMIC_SEQ_CST);
#ifdef __linux__
    if (__atomic_load_n(bell + 1, __ATOMIC_SEQ_CST) != 0) syscall(SYS_futex, bell, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
#endif
}
static inline void cmpi_doorbell_sleep(uint32_t *bell, uint32_t seen, long microseconds) {
    __atomic_fetch_add(bell + 1, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(bell, __ATOMIC_SEQ_CST) == seen) {
#ifdef __linux__
        struct timespec timeout = { microseconds / 1000000, (microseconds % 1000000) * 1000 };
        syscall(SYS_futex, bell, FUTEX_WAIT, seen, &timeout, NULL, 0);
#else
        usleep(microseconds < 30 ? (useconds_t)microseconds : 30);
#endif
    }
    __atomic_fetch_sub(bell + 1, 1, __ATOMIC_SEQ_CST);
}
#endif
