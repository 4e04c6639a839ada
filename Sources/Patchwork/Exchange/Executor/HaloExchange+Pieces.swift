/// The request of one message while it is in flight; also the identity under which a task
/// runtime orders successive uses of the message's buffer.
final class MessageSlot: @unchecked Sendable {
    var request: TransportRequest?
    /// The last task a runtime submitted on this buffer (its type is the runtime's business).
    var lastTask: AnyObject?
}

/// The pieces of one exchange that can run separately, for a task runtime: every local copy,
/// every outgoing message (pack, then send) and every incoming message (post, wait, unpack), each
/// with the patch cells it reads or writes. The phases of ``HaloExchange/start()`` and
/// ``HaloExchange/finish()`` are made of the same pieces.
///
/// A message's buffer is reused by the next exchange: its send waits for the previous send of
/// that buffer to complete, and the pieces of one message must not run concurrently with the same
/// piece of another exchange (a runtime orders them through ``MessageSlot``).
extension HaloExchange {
    /// Packs outgoing message `k` and posts its send, after the previous send from its buffer has
    /// completed (calling `whileWaiting` between tests).
    func packAndSend(_ k: Int, whileWaiting: () -> Void = {}) throws(ExchangeError) {
        if let shared {
            while !shared.isFree(k) { whileWaiting() }
            outgoing[k].packing.pack(UnsafeBufferPointer(pointers), into: shared.outBuffer(k).assumingMemoryBound(to: Element.self))
            shared.publish(k)
            return
        }
        guard let transport else { return }
        let m = outgoing[k]
        do {
            if let previous = m.slot.request {
                while try !transport.test(previous) { whileWaiting() }
            }
            m.packing.pack(UnsafeBufferPointer(pointers), into: m.elements)
            m.slot.request = try transport.send(UnsafeRawBufferPointer(m.buffer), to: m.peer, tag: tag)
        } catch {
            m.slot.request = nil
            throw .transport(error)
        }
    }

    /// Posts the receive of incoming message `k`.
    func postReceive(_ k: Int) throws(ExchangeError) {
        guard shared == nil, let transport else { return }
        let m = incoming[k]
        do { m.slot.request = try transport.receive(into: m.buffer, from: m.peer, tag: tag) } catch { throw .transport(error) }
    }

    /// True once incoming message `k` has arrived (or was never posted); throws when it failed.
    func hasArrived(_ k: Int) throws(ExchangeError) -> Bool {
        if let shared { return shared.isReady(k) }
        guard let transport, let request = incoming[k].slot.request else { return true }
        do {
            if try transport.test(request) {
                incoming[k].slot.request = nil
                return true
            }
            return false
        } catch {
            incoming[k].slot.request = nil
            throw .transport(error)
        }
    }

    /// Unpacks incoming message `k` (which must have arrived).
    func unpack(_ k: Int) {
        if let shared {
            incoming[k].packing.unpack(
                UnsafePointer(shared.inBuffer(k).assumingMemoryBound(to: Element.self)), into: UnsafeBufferPointer(pointers),
                adding: mode == .accumulate)
            shared.consume(k)
            return
        }
        incoming[k].packing.unpack(UnsafePointer(incoming[k].elements), into: UnsafeBufferPointer(pointers), adding: mode == .accumulate)
    }

    /// The number of local copies, outgoing and incoming messages.
    var pieceCounts: (localCopies: Int, outgoing: Int, incoming: Int) { (localCopies.count, outgoing.count, incoming.count) }
}

extension HaloExchange {
    /// Unpacks the buffers of the last finished exchange once more (for profiling: timing the
    /// unpack phase on its own). In copy mode it rewrites the same ghost values; in accumulate
    /// mode it does nothing.
    @_spi(Profiling)
    public func unpackAgainForTiming() throws(ExchangeError) {
        guard !inFlight else { throw .alreadyInFlight }
        guard mode == .copy, shared == nil else { return }
        let table = UnsafeBufferPointer(pointers)
        for m in incoming { m.packing.unpack(UnsafePointer(m.elements), into: table) }
    }
}
