#if canImport(Glibc)
import Glibc
#endif

/// A full disk for the self-tests: lowers this process's file-size limit (`RLIMIT_FSIZE`) and
/// ignores `SIGXFSZ`, so that a write past the limit fails with `EFBIG` instead of killing the
/// process. Returns false (errno set) when the limit cannot be set.
func limitFileSize(toBytes bytes: Int) -> Bool {
    signal(SIGXFSZ, SIG_IGN)
    var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
    return setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0
}
