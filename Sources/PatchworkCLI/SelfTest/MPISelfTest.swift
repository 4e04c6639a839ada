import ArgumentParser
import Patchwork
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `patchwork selftest mpi`: exercises ``MPICommunicator`` on every rank — reductions against
/// values computed serially, broadcast, gather, ring messages with checksums, the progress
/// engine, bad arguments — and, with `--mismatched-message-size`, a message of the wrong size,
/// which must fail on every rank with a clear error and a non-zero exit (no hang).
///
/// Each phase ends with an agreement (`MPI_Allreduce`), so a failure on one rank is reported by
/// all. Rank 0 prints `selftest mpi: passed N checks on K ranks` at the end.
struct MPISelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi",
        abstract: "Check the MPI communicator on every rank (run under mpirun, or alone as one rank)."
    )

    @Flag(help: "Send messages of the wrong size: every rank must fail with a clear error.")
    var mismatchedMessageSize = false

    @Option(help: "The largest ring message, in bytes.")
    var bytes = 1 << 20

    func run() throws {
        let comm = try MPICommunicator.world()
        var suite = SelfTestPhases(comm: comm)
        if comm.rank == 0 {
            print("selftest mpi: \(comm.size) ranks, thread level \(comm.threadLevel)")
        }
        if mismatchedMessageSize {
            try suite.phase("mismatched message size") { try mismatched(comm) }
            return
        }
        try suite.phase("ranks") { try ranks(comm, &$0) }
        try suite.phase("all-reduce") { try reductions(comm, &$0) }
        try suite.phase("broadcast") { try broadcasts(comm, &$0) }
        try suite.phase("gather") { try gathers(comm, &$0) }
        try suite.phase("ring") { try ring(comm, &$0, largest: bytes) }
        try suite.phase("progress engine") { try progress(comm, &$0) }
        try suite.phase("bad arguments") { try badArguments(comm, &$0) }
        try suite.phase("barrier") { try comm.barrier() }
        if comm.rank == 0 {
            print("selftest mpi: passed \(suite.checks) checks on \(comm.size) ranks")
        }
    }
}

/// A failed check: which, and the values that differed.
struct SelfTestFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs phases, counts checks, and makes every rank fail when one does.
struct SelfTestPhases {
    let comm: MPICommunicator
    var checks = 0

    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        checks += 1
        if !condition { throw SelfTestFailure(description: message()) }
    }

    /// Runs `body`; prints this rank's failure, then agrees with all ranks and throws if any failed.
    mutating func phase(_ name: String, _ body: (inout SelfTestPhases) throws -> Void) throws {
        var localError: String? = nil
        do {
            try body(&self)
        } catch {
            localError = "\(error)"
            printError("rank \(comm.rank): \(name): \(error)")
        }
        do {
            try comm.agreeOnSuccess(localError == nil)
        } catch {
            if localError == nil { printError("rank \(comm.rank): \(name): \(error)") }
            throw ExitCode(1)
        }
    }

    mutating func phase(_ name: String, _ body: () throws -> Void) throws {
        try phase(name) { (_: inout SelfTestPhases) in try body() }
    }
}

func printError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

// MARK: - Phases

private func ranks(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    try suite.expect(comm.size >= 1 && (0..<comm.size).contains(comm.rank), "rank \(comm.rank) of \(comm.size)")
    let all = try comm.allGather([comm.rank, comm.size])
    try suite.expect(all == (0..<comm.size).map { [$0, comm.size] }, "allGather of [rank, size]: \(all)")
}

/// Values each rank contributes; sums are exact (small multiples of powers of two).
private func intValue(_ rank: Int, _ i: Int) -> Int { (rank * 7919 + i * 31) % 97 - 40 }
private func doubleValue(_ rank: Int, _ i: Int) -> Double { Double((rank * 17 + i * 13) % 101) * 0.25 - 12.5 }

private func serial<T>(_ size: Int, _ op: ReductionOperation, _ value: (Int) -> T) -> T
where T: ReductionElement & AdditiveArithmetic {
    var result = value(0)
    for r in 1..<max(size, 1) {
        let v = value(r)
        switch op {
        case .sum: result += v
        case .min: result = min(result, v)
        case .max: result = max(result, v)
        }
    }
    return result
}

private func reductions(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    let (rank, size) = (comm.rank, comm.size)
    let n = 1000
    for op in ReductionOperation.allCases {
        let i = try comm.allReduce(intValue(rank, 0), op)
        let iSerial = serial(size, op) { intValue($0, 0) }
        try suite.expect(i == iSerial, "Int \(op): \(i), serial \(iSerial)")
        let d = try comm.allReduce(doubleValue(rank, 0), op)
        let dSerial = serial(size, op) { doubleValue($0, 0) }
        try suite.expect(d == dSerial, "Double \(op): \(d), serial \(dSerial)")
        let i32 = try comm.allReduce(Int32(intValue(rank, 1)), op)
        let i32Serial = serial(size, op) { Int32(intValue($0, 1)) }
        try suite.expect(i32 == i32Serial, "Int32 \(op): \(i32), serial \(i32Serial)")

        let ints = try comm.allReduce((0..<n).map { intValue(rank, $0) }, op)
        let doubles = try comm.allReduce((0..<n).map { doubleValue(rank, $0) }, op)
        for e in 0..<n {
            let iExpected = serial(size, op) { intValue($0, e) }
            let dExpected = serial(size, op) { doubleValue($0, e) }
            try suite.expect(ints[e] == iExpected, "[Int] \(op) element \(e): \(ints[e]), serial \(iExpected)")
            try suite.expect(doubles[e] == dExpected, "[Double] \(op) element \(e): \(doubles[e]), serial \(dExpected)")
        }
    }
    let empty = try comm.allReduce([Double](), .sum)
    try suite.expect(empty.isEmpty, "all-reduce of an empty array: \(empty)")
}

private func pattern(_ count: Int, seed: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 7) ^ ($0 >> 8) &+ seed &* 13) }
}

private func broadcasts(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    for root in Set([0, comm.size - 1]).sorted() {
        let expected = pattern(1000 + root, seed: root)
        var data: [UInt8] = comm.rank == root ? expected : []
        try comm.broadcast(&data, root: root)
        try suite.expect(data == expected, "broadcast of bytes from \(root): \(data.count) bytes differ")
        var values: [Double] = comm.rank == root ? [1.5, -2.25, Double(root)] : [9, 9, 9, 9, 9]
        try comm.broadcast(&values, root: root)
        try suite.expect(values == [1.5, -2.25, Double(root)], "broadcast of [Double] from \(root): \(values)")
        let scalar = try comm.broadcast(comm.rank == root ? 42 + root : -1, root: root)
        try suite.expect(scalar == 42 + root, "broadcast of Int from \(root): \(scalar)")
    }
}

private func gathers(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    let mine = (0...comm.rank).map { comm.rank * 1000 + $0 }
    let expected = (0..<comm.size).map { r in (0...r).map { r * 1000 + $0 } }
    for root in Set([0, comm.size - 1]).sorted() {
        let gathered = try comm.gather(mine, root: root)
        try suite.expect(
            comm.rank == root ? gathered == expected : gathered.isEmpty,
            "gather to \(root) on rank \(comm.rank): \(gathered)")
    }
    let bytes = try comm.allGather(pattern(comm.rank * 3 + 1, seed: comm.rank))
    let bytesExpected = (0..<comm.size).map { pattern($0 * 3 + 1, seed: $0) }
    try suite.expect(bytes == bytesExpected, "allGather of bytes: \(bytes.map(\.count)) bytes")
    let none = try comm.allGather([Int]())
    try suite.expect(none == Array(repeating: [], count: comm.size), "allGather of empty arrays: \(none)")
}

/// FNV-1a of bytes.
private func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}

private func payload(from source: Int, to destination: Int, message: Int, count: Int) -> [UInt8] {
    pattern(count, seed: source * 101 + destination * 7 + message)
}

/// Each rank sends messages of several sizes to both neighbours on a ring and checks what it
/// receives against checksums computed locally.
private func ring(_ comm: MPICommunicator, _ suite: inout SelfTestPhases, largest: Int) throws {
    let (rank, size) = (comm.rank, comm.size)
    let right = (rank + 1) % size
    let left = (rank + size - 1) % size
    let sizes = [0, 1, 4099, max(largest, 0)]
    var outbox: [[UInt8]] = []
    var inbox: [[UInt8]] = []
    var sources: [Int] = []
    var ids: [Int] = []
    for (k, count) in sizes.enumerated() {
        for (direction, (to, from)) in [(right, left), (left, right)].enumerated() {
            let message = k * 2 + direction
            outbox.append(payload(from: rank, to: to, message: message, count: count))
            inbox.append([UInt8](repeating: 0, count: count))
            sources.append(from)
            ids.append(message)
            _ = to
        }
    }
    // Post every receive first, then every send, then wait for all.
    var requests: [TransportRequest] = []
    for m in inbox.indices {
        let request = try inbox[m].withUnsafeMutableBytes { buffer in
            try comm.receive(into: buffer, from: sources[m], tag: 100 + ids[m])
        }
        requests.append(request)
    }
    for m in outbox.indices {
        let to = ids[m] % 2 == 0 ? right : left
        requests.append(try outbox[m].withUnsafeBytes { try comm.send($0, to: to, tag: 100 + ids[m]) })
    }
    try comm.waitAll(requests)
    try suite.expect(comm.outstandingRequests == 0, "\(comm.outstandingRequests) requests outstanding after waitAll")
    for m in inbox.indices {
        let expected = payload(from: sources[m], to: rank, message: ids[m], count: inbox[m].count)
        let got = inbox[m].withUnsafeBytes(checksum)
        let want = expected.withUnsafeBytes(checksum)
        try suite.expect(got == want, "message \(ids[m]) from rank \(sources[m]): checksum \(got), expected \(want)")
    }
}

/// Receives watched by a ProgressEngine thread complete through callbacks.
private func progress(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    let (rank, size) = (comm.rank, comm.size)
    let right = (rank + 1) % size
    let left = (rank + size - 1) % size
    let messages = 8
    let count = 10_000
    let engine = ProgressEngine(transport: comm)
    let completed = Atomic<Int>(0)
    let failures = Mutex<[String]>([])
    let inbox = UnsafeMutableRawBufferPointer.allocate(byteCount: messages * count, alignment: 16)
    defer { inbox.deallocate() }
    engine.start()
    defer { engine.stop() }
    for m in 0..<messages {
        let slice = UnsafeMutableRawBufferPointer(rebasing: inbox[(m * count)..<((m + 1) * count)])
        engine.watch(try comm.receive(into: slice, from: left, tag: 500 + m)) { error in
            if let error { failures.withLock { $0.append("\(error)") } }
            completed.add(1, ordering: .relaxed)
        }
    }
    let outbox = (0..<messages).map { payload(from: rank, to: right, message: 50 + $0, count: count) }
    var sends: [TransportRequest] = []
    for m in 0..<messages {
        sends.append(try outbox[m].withUnsafeBytes { try comm.send($0, to: right, tag: 500 + m) })
    }
    try comm.waitAll(sends)
    var spins = 0
    while completed.load(ordering: .relaxed) < messages && spins < 600_000 {
        usleep(50)
        spins += 1
    }
    try suite.expect(completed.load(ordering: .relaxed) == messages,
                     "\(completed.load(ordering: .relaxed)) of \(messages) callbacks ran")
    try suite.expect(failures.withLock { $0.isEmpty }, "callback errors: \(failures.withLock { $0 })")
    for m in 0..<messages {
        let slice = UnsafeRawBufferPointer(rebasing: inbox[(m * count)..<((m + 1) * count)])
        let expected = payload(from: left, to: rank, message: 50 + m, count: count)
        try suite.expect(slice.elementsEqual(expected), "message \(m) via the progress engine differs")
    }
}

private func badArguments(_ comm: MPICommunicator, _ suite: inout SelfTestPhases) throws {
    var byte: UInt8 = 0
    func error(_ body: () throws(TransportError) -> Void) -> TransportError? {
        do { try body(); return nil } catch { return error }
    }
    let badPeer = withUnsafeMutableBytes(of: &byte) { buffer in
        error { () throws(TransportError) in _ = try comm.receive(into: buffer, from: comm.size, tag: 1) }
    }
    try suite.expect(badPeer == .invalidRank(name: "peer", rank: comm.size, size: comm.size), "bad peer: \(String(describing: badPeer))")
    let badTag = withUnsafeMutableBytes(of: &byte) { buffer in
        error { () throws(TransportError) in _ = try comm.receive(into: buffer, from: 0, tag: -3) }
    }
    try suite.expect(badTag == .invalidTag(tag: -3, upperBound: comm.tagUpperBound), "bad tag: \(String(describing: badTag))")
    let badRoot = error { () throws(TransportError) in _ = try comm.broadcast(1, root: -1) }
    try suite.expect(badRoot == .invalidRank(name: "root", rank: -1, size: comm.size), "bad root: \(String(describing: badRoot))")
    // A request that completed is forgotten: testing it again is a typed error.
    let request = try withUnsafeBytes(of: byte) { try comm.send($0, to: comm.rank, tag: 9) }
    let request2 = try withUnsafeMutableBytes(of: &byte) { try comm.receive(into: $0, from: comm.rank, tag: 9) }
    try comm.waitAll([request, request2])
    let stale = error { () throws(TransportError) in _ = try comm.test(request) }
    try suite.expect(stale == .unknownRequest(slot: request.slot, generation: request.generation), "stale request: \(String(describing: stale))")
}

/// Every rank receives 512 bytes from its left neighbour, which sends 1024 bytes (even ranks) or
/// 256 bytes (odd ranks): every rank must report the mismatch.
private func mismatched(_ comm: MPICommunicator) throws {
    let (rank, size) = (comm.rank, comm.size)
    var inbox = [UInt8](repeating: 0, count: 512)
    let outbox = [UInt8](repeating: 1, count: rank % 2 == 0 ? 1024 : 256)
    let receive = try inbox.withUnsafeMutableBytes { try comm.receive(into: $0, from: (rank + size - 1) % size, tag: 7) }
    let send = try outbox.withUnsafeBytes { try comm.send($0, to: (rank + 1) % size, tag: 7) }
    defer { _ = try? comm.waitAll([send]) }
    try comm.waitAll([receive])
    throw SelfTestFailure(description: "a message of the wrong size was accepted")
}
