import CMPI

/// The outstanding non-blocking requests of one ``MPICommunicator``: MPI's request handles kept
/// contiguous (as `MPI_Testsome` wants them) beside what each message is expected to be. It owns
/// the handles: `deinit` cancels and frees any still outstanding (`MPI_Cancel`,
/// `MPI_Request_free`). Always used under the communicator's lock.
internal struct _MPIRequestTable: ~Copyable {
    struct Slot {
        var generation = 0
        var active = false
        var isReceive = false
        var peer: Int32 = 0
        var tag: Int32 = 0
        var bytes = 0
        /// The ``testSome(_:into:)`` call that last gathered this slot, to refuse duplicates.
        var lastPass = 0
    }

    var handles: [MPI_Request?] = []
    var slots: [Slot] = []
    var freeSlots: [Int] = []
    var pass = 0
    // Scratch space for testSome, kept to avoid allocating per poll.
    var scratchHandles: [MPI_Request?] = []
    var scratchSlots: [Int] = []
    var scratchIndices: [Int32] = []
    var scratchStatuses: [MPI_Status] = []

    var outstanding: Int { slots.count - freeSlots.count }

    mutating func insert(
        _ handle: _MPIRequestHandle, isReceive: Bool, peer: Int32, tag: Int32, bytes: Int
    ) -> TransportRequest {
        let index: Int
        if let reused = freeSlots.popLast() {
            index = reused
        } else {
            index = slots.count
            slots.append(Slot())
            handles.append(cmpi_request_null())
        }
        handles[index] = handle.raw
        slots[index].active = true
        slots[index].isReceive = isReceive
        slots[index].peer = peer
        slots[index].tag = tag
        slots[index].bytes = bytes
        return TransportRequest(slot: index, generation: slots[index].generation)
    }

    mutating func release(_ index: Int) {
        handles[index] = cmpi_request_null()
        slots[index].active = false
        slots[index].generation &+= 1
        freeSlots.append(index)
    }

    /// Tests `requests` once with `MPI_Testsome`; appends a completion for each finished one.
    mutating func testSome(
        _ requests: [TransportRequest], into completions: inout [TransportCompletion]
    ) throws(TransportError) {
        pass &+= 1
        scratchHandles.removeAll(keepingCapacity: true)
        scratchSlots.removeAll(keepingCapacity: true)
        for request in requests {
            let index = request.slot
            guard index >= 0, index < slots.count, slots[index].active,
                slots[index].generation == request.generation, slots[index].lastPass != pass
            else { throw .unknownRequest(slot: request.slot, generation: request.generation) }
            slots[index].lastPass = pass
            scratchHandles.append(handles[index])
            scratchSlots.append(index)
        }
        let count = Int32(requests.count)
        guard count > 0 else { return }
        if scratchIndices.count < requests.count {
            scratchIndices = Array(repeating: 0, count: requests.count)
            scratchStatuses = Array(repeating: MPI_Status(), count: requests.count)
        }
        var done: Int32 = 0
        let code = _MPI.raw {
            MPI_Testsome(count, &scratchHandles, &done, &scratchIndices, &scratchStatuses)
        }
        let errorInStatus = code != MPI_SUCCESS
        if errorInStatus && _MPI.errorClass(code) != MPI_ERR_IN_STATUS {
            throw _MPI.error("MPI_Testsome", code)
        }
        guard done != cmpi_undefined(), done > 0 else { return }
        for k in 0..<Int(done) {
            let position = Int(scratchIndices[k])
            let index = scratchSlots[position]
            let slot = slots[index]
            var error: TransportError? = nil
            let statusError = scratchStatuses[k].MPI_ERROR
            if errorInStatus && statusError != MPI_SUCCESS {
                if _MPI.errorClass(statusError) == MPI_ERR_TRUNCATE {
                    error = .messageSizeMismatch(
                        peer: Int(slot.peer), tag: Int(slot.tag), expected: slot.bytes, received: nil)
                } else {
                    error = .mpi(function: "MPI_Testsome", code: statusError, message: _MPI.message(statusError))
                }
            } else if slot.isReceive {
                var received: Int32 = 0
                _ = _MPI.raw { MPI_Get_count(&scratchStatuses[k], cmpi_byte(), &received) }
                if Int(received) != slot.bytes {
                    error = .messageSizeMismatch(
                        peer: Int(slot.peer), tag: Int(slot.tag), expected: slot.bytes,
                        received: Int(received))
                }
            }
            release(index)
            completions.append(TransportCompletion(index: position, error: error))
        }
    }

    deinit {
        guard !_MPI.isFinalized else { return }
        for index in slots.indices where slots[index].active {
            var handle = handles[index]
            _ = _MPI.raw { MPI_Cancel(&handle) }
            _ = _MPI.raw { MPI_Request_free(&handle) }
        }
    }
}
