import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command in a new session with a hard time limit, for multi-rank tests: on timeout it
/// terminates the whole session (mpirun and every rank it started), so a hung rank fails the test
/// instead of hanging the suite.
enum ProcessRunner {
    struct Outcome {
        /// The exit status, or nil when the command was killed for running too long.
        var status: Int32?
        var output: String
        var seconds: Double
        /// The command's process id, which is also its session id.
        var pid: pid_t
        /// Whether the command stopped itself (SIGSTOP) and was then killed (`killWhenStopped`).
        var stopped = false
        var timedOut: Bool { status == nil && !stopped }
    }

    /// `executable` (an absolute path) with `arguments` and extra `environment` variables,
    /// stdout and stderr captured together. With `killWhenStopped`, a command that stops itself
    /// is killed there with SIGKILL (a crash at a chosen point).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        timeout: Double, killWhenStopped: Bool = false
    ) throws -> Outcome {
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("patchwork-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log").path
        defer { unlink(logPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80))  // POSIX_SPAWN_SETSID: a new session

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let started = Date()
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }

        var status: Int32 = 0
        var exited = false
        while Date().timeIntervalSince(started) < timeout {
            if waitpid(pid, &status, WNOHANG | (killWhenStopped ? WUNTRACED : 0)) == pid {
                if (status & 0xff) == 0x7f {   // WIFSTOPPED: it stopped itself
                    killSession(pid)
                    waitpid(pid, &status, 0)
                    let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                    return Outcome(status: nil, output: output, seconds: Date().timeIntervalSince(started), pid: pid, stopped: true)
                }
                exited = true
                break
            }
            usleep(20_000)
        }
        if !exited {
            // Ask mpirun to stop its ranks, then kill whatever is left of the session.
            kill(pid, SIGTERM)
            let grace = Date()
            while Date().timeIntervalSince(grace) < 1.5, waitpid(pid, &status, WNOHANG) != pid { usleep(20_000) }
            killSession(pid)
            waitpid(pid, &status, 0)
        }
        let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let seconds = Date().timeIntervalSince(started)
        guard exited else { return Outcome(status: nil, output: output, seconds: seconds, pid: pid) }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus, output: output, seconds: seconds, pid: pid)
    }

    /// The processes of session `sid` (from /proc).
    static func sessionMembers(_ sid: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name),
                let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // Fields after "(comm)": state ppid pgrp session ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, let session = pid_t(fields[3]), session == sid else { return nil }
            return pid
        }
    }

    private static func killSession(_ sid: pid_t) {
        for _ in 0..<3 {
            let members = sessionMembers(sid)
            if members.isEmpty { return }
            for member in members { kill(member, SIGKILL) }
            usleep(50_000)
        }
    }

    /// The first executable named `name` on PATH.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }
}
