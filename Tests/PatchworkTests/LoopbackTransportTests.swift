import Foundation
import Testing
@testable import Patchwork

/// Owns receive buffers for a test (the transport requires them to stay valid until completion).
final class Buffers {
    var storage: [UnsafeMutableRawBufferPointer] = []
    func make(_ count: Int) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0xEE)
        storage.append(buffer)
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
    }
    deinit { storage.forEach { $0.deallocate() } }
}

@Suite struct LoopbackTransportTests {
    func payload(_ source: Int, _ destination: Int, _ tag: Int, _ serial: Int, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ source &* 7 &+ destination &* 3 &+ tag &+ serial &* 11) }
    }

    @Test(arguments: 1...6)
    func ringExchangeDeliversEveryMessage(size: Int) throws {
        let ranks = try LoopbackTransport.group(size: size)
        let buffers = Buffers()
        var receives: [(rank: Int, from: Int, buffer: UnsafeMutableRawBufferPointer, request: TransportRequest)] = []
        var sends: [(Int, TransportRequest)] = []
        for t in ranks {
            let left = (t.rank + size - 1) % size
            let buffer = buffers.make(100 + left)
            receives.append((t.rank, left, buffer, try t.receive(into: buffer, from: left, tag: 4)))
        }
        for t in ranks {
            let right = (t.rank + 1) % size
            let bytes = payload(t.rank, right, 4, 0, 100 + t.rank)
            sends.append((t.rank, try bytes.withUnsafeBytes { try t.send($0, to: right, tag: 4) }))
        }
        for (rank, request) in sends { try ranks[rank].waitAll([request]) }
        for r in receives {
            try ranks[r.rank].waitAll([r.request])
            #expect(Array(r.buffer) == payload(r.from, r.rank, 4, 0, 100 + r.from))
        }
    }

    /// Random messages between random pairs and tags, receives posted before or after the sends:
    /// every message lands in the receive that a FIFO-per-(source, destination, tag) model predicts.
    @Test func randomTrafficMatchesInOrderModel() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            let size = Int.random(in: 1...5, using: &rng)
            let ranks = try LoopbackTransport.group(size: size)
            let buffers = Buffers()
            struct Message { var source, destination, tag, serial, count: Int }
            var messages: [Message] = []
            var serials: [String: Int] = [:]
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                let s = Int.random(in: 0..<size, using: &rng), d = Int.random(in: 0..<size, using: &rng)
                let tag = Int.random(in: 0...2, using: &rng)
                let key = "\(s),\(d),\(tag)"
                let serial = serials[key, default: 0]
                serials[key] = serial + 1
                // Sizes depend only on (key, serial) so the receiver knows what to expect.
                messages.append(Message(source: s, destination: d, tag: tag, serial: serial, count: (serial * 13 + tag) % 40))
            }
            // Interleave: each message's receive is posted either before or after its send,
            // but receives of one key in order and sends of one key in order.
            var receiveOrder = messages.indices.shuffled(using: &rng)
            receiveOrder.sort { (messages[$0].serial, $0) < (messages[$1].serial, $1) }
            var sendsDone: [Int: TransportRequest] = [:]
            var receivesPosted: [Int: (TransportRequest, UnsafeMutableRawBufferPointer)] = [:]
            var pendingReceives = receiveOrder[...], pendingSends = messages.indices[...]
            while !pendingReceives.isEmpty || !pendingSends.isEmpty {
                if !pendingSends.isEmpty && (pendingReceives.isEmpty || Bool.random(using: &rng)) {
                    let m = messages[pendingSends.removeFirst()]
                    let bytes = payload(m.source, m.destination, m.tag, m.serial, m.count)
                    sendsDone[sendsDone.count] = try bytes.withUnsafeBytes {
                        try ranks[m.source].send($0, to: m.destination, tag: m.tag)
                    }
                    _ = sendsDone
                } else {
                    let index = pendingReceives.removeFirst()
                    let m = messages[index]
                    let buffer = buffers.make(m.count)
                    receivesPosted[index] = (try ranks[m.destination].receive(into: buffer, from: m.source, tag: m.tag), buffer)
                }
            }
            for (index, (request, buffer)) in receivesPosted {
                let m = messages[index]
                try ranks[m.destination].waitAll([request])
                #expect(Array(buffer) == payload(m.source, m.destination, m.tag, m.serial, m.count))
            }
        }
    }

    @Test func ranksOnThreadsExchangeConcurrently() throws {
        let size = 4, rounds = 50
        let ranks = try LoopbackTransport.group(size: size)
        let failures = LockedList(), finished = LockedList()
        // One thread per rank (concurrentPerform may run fewer threads than ranks, and a rank
        // waiting for one not yet started would wait forever).
        let threads = (0..<size).map { rank in Thread {
            let t = ranks[rank]
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * size, alignment: 8)
            defer { buffer.deallocate() }
            do {
                for round in 0..<rounds {
                    var requests: [TransportRequest] = []
                    for peer in 0..<size {
                        let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[(peer * 64)..<(peer * 64 + 64)])
                        requests.append(try t.receive(into: slice, from: peer, tag: round))
                    }
                    for peer in 0..<size {
                        let bytes = payload(rank, peer, round, 0, 64)
                        requests.append(try bytes.withUnsafeBytes { try t.send($0, to: peer, tag: round) })
                    }
                    try t.waitAll(requests)
                    for peer in 0..<size where Array(buffer[(peer * 64)..<(peer * 64 + 64)]) != payload(peer, rank, round, 0, 64) {
                        failures.append("rank \(rank) round \(round) from \(peer)")
                    }
                }
            } catch {
                failures.append("rank \(rank): \(error)")
            }
            finished.append("\(rank)")
        } }
        threads.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(30)
        while finished.items.count < size && Date() < deadline { usleep(1000) }
        #expect(finished.items.count == size, "ranks finished: \(finished.items)")
        #expect(failures.items.isEmpty)
    }

    @Test func wrongSizedMessagesFailTheReceive() throws {
        let ranks = try LoopbackTransport.group(size: 2)
        let buffers = Buffers()
        let long = [UInt8](repeating: 1, count: 20), short = [UInt8](repeating: 2, count: 5)
        let r1 = try ranks[1].receive(into: buffers.make(10), from: 0, tag: 1)
        _ = try long.withUnsafeBytes { try ranks[0].send($0, to: 1, tag: 1) }
        _ = try short.withUnsafeBytes { try ranks[0].send($0, to: 1, tag: 2) }
        let r2 = try ranks[1].receive(into: buffers.make(10), from: 0, tag: 2)
        #expect(throws: TransportError.messageSizeMismatch(peer: 0, tag: 1, expected: 10, received: 20)) {
            try ranks[1].waitAll([r1])
        }
        #expect(throws: TransportError.messageSizeMismatch(peer: 0, tag: 2, expected: 10, received: 5)) {
            _ = try ranks[1].test(r2)
        }
    }

    @Test func badArgumentsAreTypedErrors() throws {
        #expect(throws: TransportError.invalidSize(0)) { try LoopbackTransport.group(size: 0) }
        let ranks = try LoopbackTransport.group(size: 3)
        let buffers = Buffers()
        #expect(throws: TransportError.invalidRank(name: "peer", rank: 3, size: 3)) {
            try ranks[0].receive(into: buffers.make(1), from: 3, tag: 0)
        }
        #expect(throws: TransportError.invalidRank(name: "peer", rank: -1, size: 3)) {
            try [UInt8]().withUnsafeBytes { try ranks[0].send($0, to: -1, tag: 0) }
        }
        #expect(throws: TransportError.invalidTag(tag: -1, upperBound: Int(Int32.max))) {
            try [UInt8]().withUnsafeBytes { try ranks[0].send($0, to: 1, tag: -1) }
        }
        let send = try [UInt8](repeating: 0, count: 3).withUnsafeBytes { try ranks[0].send($0, to: 1, tag: 0) }
        var completions: [TransportCompletion] = []
        #expect(throws: TransportError.unknownRequest(slot: send.slot, generation: 0)) {
            try ranks[0].testSome([send, send], completions: &completions)
        }
        #expect(try ranks[0].test(send))
        #expect(throws: TransportError.unknownRequest(slot: send.slot, generation: 0)) { try ranks[0].test(send) }
        // A request belongs to the rank that posted it.
        let receive = try ranks[1].receive(into: buffers.make(3), from: 0, tag: 0)
        #expect(throws: TransportError.unknownRequest(slot: receive.slot, generation: 0)) { try ranks[2].test(receive) }
        #expect(try ranks[1].test(receive))
    }

    @Test func progressEngineFiresCallbacksOnPollAndFromItsThread() throws {
        let ranks = try LoopbackTransport.group(size: 2)
        let buffers = Buffers()
        let fired = LockedList()
        let engine = ProgressEngine(transport: ranks[1])
        for tag in 0..<5 {
            engine.watch(try ranks[1].receive(into: buffers.make(8), from: 0, tag: tag)) { error in
                fired.append("tag \(tag): \(error.map { "\($0)" } ?? "ok")")
            }
        }
        #expect(engine.poll() == 0)
        #expect(engine.pending == 5)
        _ = try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try ranks[0].send($0, to: 1, tag: 3) }
        #expect(engine.poll() == 1)
        #expect(fired.items == ["tag 3: ok"])
        engine.start()
        _ = try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try ranks[0].send($0, to: 1, tag: 0) }
        _ = try [UInt8](repeating: 1, count: 9).withUnsafeBytes { try ranks[0].send($0, to: 1, tag: 1) }
        for tag in [2, 4] {
            _ = try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try ranks[0].send($0, to: 1, tag: tag) }
        }
        engine.waitUntilIdle()
        engine.stop()
        #expect(engine.pending == 0)
        #expect(Set(fired.items) == [
            "tag 3: ok", "tag 0: ok", "tag 2: ok", "tag 4: ok",
            "tag 1: \(TransportError.messageSizeMismatch(peer: 0, tag: 1, expected: 8, received: 9))",
        ])
    }

    /// Exchange tags count per transport object: a new transport (even one allocated at the
    /// address of a freed one) starts again from the first tag, so in-process ranks created
    /// after others were freed still derive the same tags.
    @Test func exchangeTagsStartAgainOnANewTransport() throws {
        let first = ExchangeTags.next(signature: 0xC0FFEE, transport: try LoopbackTransport.group(size: 1)[0])
        for _ in 0..<64 {
            let transport = try LoopbackTransport.group(size: 1)[0]
            #expect(ExchangeTags.next(signature: 0xC0FFEE, transport: transport) == first)
            #expect(ExchangeTags.next(signature: 0xC0FFEE, transport: transport) != first)
        }
    }
}

final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ item: String) { lock.lock(); storage.append(item); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
