#if canImport(Glibc)
import Glibc
#endif

/// A test hook for crash tests: when the environment variable `PATCHWORK_CHECKPOINT_PAUSE` names
/// a phase of ``CheckpointWriter`` (`data`: after the first quantity's data; `synced`: files
/// fsynced, before the rename; `renamed`: after the rename, before the manifest), the writer
/// prints `checkpoint writer paused at <phase>` to standard error and stops itself (`SIGSTOP`),
/// so that a parent process can kill it at exactly that point. Unset, it costs one `getenv`.
internal enum _CheckpointPause {
    static func at(_ phase: String) {
        guard let value = getenv("PATCHWORK_CHECKPOINT_PAUSE"), String(cString: value) == phase else { return }
        let line = "checkpoint writer paused at \(phase)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        raise(SIGSTOP)
    }
}
