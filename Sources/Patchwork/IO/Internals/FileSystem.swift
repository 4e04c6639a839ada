import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls of the IO layer, each mapping a failure to a typed ``IOError`` with the path and
/// `errno` (the one place the Zarr store and the benchmarks touch the file system).
internal enum _FileSystem {
    static func failure(_ call: String, _ path: String) -> IOError {
        let e = errno
        return e == ENOENT ? .fileNotFound(path: path) : .system(call: call, path: path, errno: e)
    }

    /// True when something exists at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// True when `path` is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its missing parents.
    static func makeDirectories(_ path: String) throws(IOError) {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if !isDirectory(prefix), mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw failure("mkdir", prefix)
            }
            prefix += "/"
        }
    }

    /// The whole content of a file.
    static func readFile(_ path: String) throws(IOError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure("fstat", path) }
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        let got = try bytes.withUnsafeMutableBufferPointer { (b) throws(IOError) in
            try readFully(fd, UnsafeMutableRawBufferPointer(b), path: path)
        }
        if got < size { bytes.removeLast(size - got) }
        return bytes
    }

    /// Reads a file into `buffer`; returns the bytes read (less than the buffer at end of file).
    static func readFile(_ path: String, into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        return try readFully(fd, buffer, path: path)
    }

    /// The size of a file.
    static func fileSize(_ path: String) throws(IOError) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { throw failure("stat", path) }
        return Int(st.st_size)
    }

    static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, path: String) throws(IOError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 { if errno == EINTR { continue }; throw failure("read", path) }
            if n == 0 { break }
            done += n
        }
        return done
    }

    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws(IOError) {
        var done = 0
        while done < buffer.count {
            let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 { if errno == EINTR { continue }; throw failure("write", path) }
            done += n
        }
    }

    /// Writes `parts` (concatenated) to `path` atomically: a temporary file in the same directory,
    /// optionally fsynced, then renamed over `path`. A failure leaves the old file untouched.
    static func writeFileAtomically(_ path: String, _ parts: [UnsafeRawBufferPointer], durable: Bool) throws(IOError) {
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("open", temporary) }
        do throws(IOError) {
            for part in parts where part.count > 0 { try writeFully(fd, part, path: temporary) }
            if durable, fsync(fd) != 0 { throw failure("fsync", temporary) }
        } catch {
            close(fd); unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else { let e = failure("close", temporary); unlink(temporary); throw e }
        guard rename(temporary, path) == 0 else { let e = failure("rename", path); unlink(temporary); throw e }
    }

    /// Writes `parts` to `path` in place (created or truncated): for files inside a directory
    /// that is itself committed atomically (a checkpoint being written).
    static func writeFileInPlace(_ path: String, _ parts: [UnsafeRawBufferPointer]) throws(IOError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("open", path) }
        do throws(IOError) {
            for part in parts where part.count > 0 { try writeFully(fd, part, path: path) }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("close", path) }
    }

    /// Writes a byte array atomically (see the buffer form).
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8], durable: Bool) throws(IOError) {
        try bytes.withUnsafeBufferPointer { (b) throws(IOError) in
            try writeFileAtomically(path, [UnsafeRawBufferPointer(b)], durable: durable)
        }
    }

    /// Renames `from` to `to` (atomic within one file system).
    static func move(_ from: String, to: String) throws(IOError) {
        guard rename(from, to) == 0 else { throw failure("rename", to) }
    }

    /// The size and CRC32C of a file, streamed in 8 MiB pieces.
    static func checksum(of path: String) throws(IOError) -> (bytes: Int, crc: UInt32) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var crc = CRC32C(), total = 0
        while true {
            let n = try readFully(fd, buffer, path: path)
            if n == 0 { break }
            crc.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += n
            if n < buffer.count { break }
        }
        return (total, crc.value)
    }

    /// fsyncs a file or directory.
    static func sync(_ path: String) throws(IOError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", path) }
    }

    /// fsyncs every path, many at once: concurrent fsyncs share the file system's journal
    /// commits, so syncing a directory tree of chunk files costs about one commit, not one each.
    /// The first failure is thrown after all calls finish.
    static func syncAll(_ paths: [String]) throws(IOError) {
        if paths.count <= 1 { for p in paths { try sync(p) }; return }
        final class FirstError: Sendable { let value = _Lock<IOError?>(nil) }
        let firstError = FirstError()
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "patchwork.fsync", attributes: .concurrent)
        let lanes = Swift.min(paths.count, 16)
        for lane in 0..<lanes {
            queue.async(group: group) {
                for i in stride(from: lane, to: paths.count, by: lanes) {
                    do throws(IOError) { try sync(paths[i]) } catch { firstError.value.withLock { if $0 == nil { $0 = error } } }
                }
            }
        }
        group.wait()
        if let error = firstError.value.withLock({ $0 }) { throw error }
    }

    /// The entries of a directory (without "." and ".."), sorted.
    static func list(_ path: String) throws(IOError) -> [String] {
        guard let dir = opendir(path) else { throw failure("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a file, or a directory and everything in it; nothing there is not an error.
    static func remove(_ path: String) throws(IOError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try remove(path + "/" + name) }
            guard rmdir(path) == 0 else { throw failure("rmdir", path) }
        } else {
            guard unlink(path) == 0 else { throw failure("unlink", path) }
        }
    }
}
