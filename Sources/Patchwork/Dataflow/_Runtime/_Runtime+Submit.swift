#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension _Runtime {
    /// Submits a task: checks its accesses, derives its dependencies from the outstanding
    /// accesses of the resources it names, and makes it runnable when it has none left.
    func submit(
        name: String, space: MemorySpace, accesses: [_RawAccess],
        body: @escaping (_TaskContext) throws -> Void
    ) throws(DataflowError) -> _TaskNode {
        if closed.load(ordering: .relaxed) { throw .graphShutDown }
        for access in accesses {
            let bounds = access.resource.dataflowBounds.dataflowBox
            if !bounds.contains(access.box) {
                throw .accessOutOfBounds(
                    resource: access.resource.dataflowName, region: access.box.description,
                    bounds: bounds.description)
            }
        }
        let worker = currentWorker
        outstanding.wrappingAdd(1, ordering: .relaxed)
        tasksSubmitted.wrappingAdd(1, ordering: .relaxed)
        let node = submission.withLock { state in
            let node = _TaskNode(
                id: state.nextTaskID, name: name, graphID: id, space: space, accesses: accesses, body: body)
            state.nextTaskID += 1
            var edges = 0
            node.trackers.reserveCapacity(accesses.count)
            for access in accesses {
                let key = access.resource.dataflowIdentity
                let tracker: _AccessTracker
                if let known = state.trackers[key] {
                    tracker = known
                } else {
                    tracker = _AccessTracker(resource: access.resource)
                    state.trackers[key] = tracker
                }
                node.trackers.append(tracker)
                var box = access.box
                var mode = access.mode
                if access.resource.isSpaceManaged {
                    if !tracker.validSpaces.contains(space) {
                        // The copy reads the whole source copy and writes the whole destination one.
                        let home = access.resource.homeSpace
                        let source = tracker.validSpaces.contains(home) ? home : tracker.validSpaces[0]
                        node.copies.append((tracker, source))
                        tracker.validSpaces.append(space)
                        box = tracker.bounds
                        mode = .readWrite
                    }
                    if access.mode.writes { tracker.validSpaces = [space] }
                }
                if access.mode == .accumulate && !node.commuteTrackers.contains(where: { $0 === tracker }) {
                    node.commuteTrackers.append(tracker)
                }
                if node.preferredWorker < 0 && access.mode != .write {
                    let last = tracker.lastWriter.load(ordering: .relaxed)
                    if last >= 0 { node.preferredWorker = last }
                }
                edges += tracker.register(node, box: box, mode: mode)
            }
            state.edges += edges
            return node
        }
        if node.commuteTrackers.count > 1 {
            node.commuteTrackers.sort { ObjectIdentifier($0) < ObjectIdentifier($1) }
        }
        if node.pending.wrappingSubtract(1, ordering: .acquiringAndReleasing).oldValue == 1 {
            schedule(node, from: worker)
        }
        throttle(worker)
        return node
    }

    /// Keeps the number of unfinished tasks bounded: a worker that submits too far ahead runs
    /// ready tasks meanwhile (while there are any); another thread sleeps a little.
    @inline(__always)
    func throttle(_ worker: _Worker?) {
        guard outstanding.load(ordering: .relaxed) > maxOutstanding else { return }
        let low = maxOutstanding / 2
        if let worker {
            help(worker, untilIdle: true) { outstanding.load(ordering: .relaxed) <= low }
        } else {
            while outstanding.load(ordering: .relaxed) > low && !stopping.load(ordering: .relaxed) {
                usleep(20)
            }
        }
    }
}
