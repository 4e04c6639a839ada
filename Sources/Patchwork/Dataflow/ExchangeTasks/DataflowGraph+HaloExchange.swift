#if canImport(Glibc)
import Glibc
#endif

extension DataflowGraph {
    /// Submits one run of `exchange` as tasks: the local copies into each patch read their source
    /// cells and write the ghost cells they fill; each outgoing message reads the interior cells it packs, then
    /// sends; each incoming message posts its receive, waits for it and writes the ghost cells it
    /// unpacks (adds into them in accumulate mode).
    ///
    /// ```swift
    /// for _ in 0..<steps {
    ///     try graph.submit(fill)                              // the halo exchange, as tasks
    ///     for i in u.patchIndices {                           // each sweep waits for its patch's ghosts only
    ///         try graph.submit(name: "sweep", .read(u, patch: i, grownBy: 1), .write(v, patch: i)) { src, dst in
    ///             try Stencil.jacobi5(from: src, to: dst, over: dst.box)
    ///         }
    ///     }
    /// }
    /// try graph.wait()
    /// ```
    ///
    /// Because the accesses are boxes of patches, a stencil task on a patch waits only for the
    /// tasks that write that patch's ghosts, and work on interiors overlaps the exchange. No worker
    /// blocks on a message: a receive task is held until its message has arrived, which idle
    /// workers check between tasks (the progress mechanism). Successive submissions of the same
    /// exchange are ordered on each message buffer. Do not mix with ``HaloExchange/start()`` /
    /// ``HaloExchange/finish()`` on the same exchange while tasks of it are outstanding.
    ///
    /// With a direct shared-memory transfer (``SharedMemoryTransfer/direct``) each incoming message
    /// is an "open" task (once the ghosts' readers are done, the sender may write them) and a
    /// receive task held until the sender has written; each outgoing message is a task held until
    /// its receiver has opened, which writes straight into the receiver's ghosts.
    ///
    /// - Returns: the handles of the submitted tasks.
    @discardableResult
    public func submit<Element, let N: Int>(_ exchange: HaloExchange<Element, N>, name: String = "halo") throws(DataflowError) -> [TaskHandle] {
        let ghostMode: AccessMode = exchange.mode == .accumulate ? .accumulate : .write
        let patches = exchange.patchTable
        var handles: [TaskHandle] = []
        let counts = exchange.pieceCounts
        handles.reserveCapacity(counts.localCopies + counts.outgoing + counts.incoming)
        // One task per destination patch for its local copies (few, larger tasks): it reads every
        // source box and writes every ghost box it fills.
        var copiesByDestination: [Int: [Int]] = [:]
        for (i, copy) in exchange.localCopies.enumerated() { copiesByDestination[copy.destination, default: []].append(i) }
        for destination in copiesByDestination.keys.sorted() {
            let copies = copiesByDestination[destination]!
            var accesses: [_RawAccess] = []
            accesses.reserveCapacity(2 * copies.count)
            for i in copies {
                let copy = exchange.localCopies[i]
                accesses.append(_RawAccess(resource: patches[copy.source], box: copy.sourceBox.dataflowBox, mode: .read))
                accesses.append(_RawAccess(resource: patches[copy.destination], box: copy.destinationBox.dataflowBox, mode: ghostMode))
            }
            handles.append(try _submit(name: "\(name): copy", space: .host, accesses) { _ in
                for i in copies { exchange.performLocalCopy(i) }
            })
        }
        if let link = exchange.shared, link.direct {
            try submitDirectMessages(exchange, link: link, name: name, into: &handles)
            return handles
        }
        for (k, message) in exchange.outgoing.enumerated() {
            var accesses = message.packing.segments.map { s in
                _RawAccess(resource: patches[s.quantity], box: s.box.dataflowBox, mode: .read)
            }
            accesses.append(_RawAccess(resource: _MessageSlotResource(message.slot), box: DataflowBox.unit, mode: .readWrite))
            handles.append(try _submit(name: "\(name): send to \(message.peer)", space: .host, accesses) { [runtime] _ in
                try exchange.packAndSend(k) {
                    if !runtime.pollExternalEvents() { sched_yield() }
                }
            })
        }
        // A receive is a task held until its message has arrived: a poller (run by idle workers)
        // posts the receive once the buffer's previous unpack is done, tests it, and releases the
        // task, so no worker ever blocks on a message.
        for (k, message) in exchange.incoming.enumerated() {
            var accesses = message.packing.segments.map { s in
                _RawAccess(resource: patches[s.quantity], box: s.box.dataflowBox, mode: ghostMode)
            }
            accesses.append(_RawAccess(resource: _MessageSlotResource(message.slot), box: DataflowBox.unit, mode: .readWrite))
            let failure = _ExchangeFailure()
            let node = try runtime.submit(
                name: "\(name): receive from \(message.peer)", space: .host, accesses: accesses, held: true
            ) { _ in
                if let error = failure.error { throw error }
                exchange.unpack(k)
            }
            let previous = message.slot.lastTask as? _TaskNode
            message.slot.lastTask = node
            var posted = false
            runtime.addPoller { [runtime] in
                do throws(ExchangeError) {
                    if !posted {
                        if let previous, !previous.isFinished { return false }
                        try exchange.postReceive(k)
                        posted = true
                    }
                    guard try exchange.hasArrived(k) else { return false }
                } catch {
                    failure.error = error
                }
                runtime.releaseHold(node)
                return true
            }
            handles.append(TaskHandle(node: node))
        }
        return handles
    }
}

/// Why a message failed, handed from its poller to its unpack task.
final class _ExchangeFailure: @unchecked Sendable {
    var error: ExchangeError?
}

/// A message buffer of an exchange as a dataflow resource: tasks that use the buffer name it, so
/// successive exchanges use it one after another.
struct _MessageSlotResource: DataflowResource {
    typealias Region = WholeValue
    typealias ReadView = Void
    typealias WriteView = Void

    let slot: MessageSlot
    init(_ slot: MessageSlot) { self.slot = slot }

    var dataflowIdentity: ObjectIdentifier { ObjectIdentifier(slot) }
    var dataflowBounds: WholeValue { WholeValue() }
    var dataflowName: String { "message buffer" }
    func makeReadView(_ region: WholeValue) {}
    func makeWriteView(_ region: WholeValue) {}
}
