extension DataflowGraph {
    /// The messages of one run of a direct shared-memory exchange as tasks (see
    /// ``submit(_:name:)``). No task waits: a poller, run by idle workers, releases a held task once
    /// the previous task of its message has finished and the peer's flag says it may go.
    func submitDirectMessages<Element, let N: Int>(
        _ exchange: HaloExchange<Element, N>, link: _SharedLink, name: String, into handles: inout [TaskHandle]
    ) throws(DataflowError) {
        let patches = exchange.patchTable
        for (k, message) in exchange.outgoing.enumerated() {
            var accesses = message.packing.segments.map { s in
                _RawAccess(resource: patches[s.quantity], box: s.box.dataflowBox, mode: .read)
            }
            accesses.append(_RawAccess(resource: _MessageSlotResource(message.slot), box: DataflowBox.unit, mode: .readWrite))
            let node = try runtime.submit(name: "\(name): write to \(message.peer)", space: .host, accesses: accesses, held: true) { _ in
                exchange.performRemoteCopies(k)
                link.publish(k)
            }
            let previous = message.slot.lastTask as? _TaskNode
            message.slot.lastTask = node
            runtime.addPoller { [runtime] in
                if let previous, !previous.isFinished { return false }
                guard link.canWrite(k) else { return false }
                runtime.releaseHold(node)
                return true
            }
            handles.append(TaskHandle(node: node))
        }
        for (k, message) in exchange.incoming.enumerated() {
            let accesses = message.packing.segments.map { s in
                _RawAccess(resource: patches[s.quantity], box: s.box.dataflowBox, mode: .write)
            } + [_RawAccess(resource: _MessageSlotResource(message.slot), box: DataflowBox.unit, mode: .readWrite)]
            // Open once every earlier reader of the ghosts is done; the receive follows it (both
            // write the ghosts) and is held until the sender has written them.
            let open = try runtime.submit(name: "\(name): open to \(message.peer)", space: .host, accesses: accesses) { _ in
                link.open(k)
            }
            let receive = try runtime.submit(name: "\(name): written by \(message.peer)", space: .host, accesses: accesses, held: true) { _ in }
            message.slot.lastTask = receive
            runtime.addPoller { [runtime] in
                guard open.isFinished, link.acceptWritten(k) else { return false }
                runtime.releaseHold(receive)
                return true
            }
            handles.append(TaskHandle(node: open))
            handles.append(TaskHandle(node: receive))
        }
    }
}
