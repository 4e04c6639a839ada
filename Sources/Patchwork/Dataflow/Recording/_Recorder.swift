/// A recording in progress: the recording that receives the tasks, and the regions they access
/// (per resource, the bounding box and whether any task writes it), from which the replay's own
/// accesses are made.
final class _Recorder {
    let recording: DataflowRecording
    private var regions: [(resource: any DataflowResource, box: DataflowBox, writes: Bool)] = []
    private var slots: [ObjectIdentifier: Int] = [:]

    init(_ recording: DataflowRecording) { self.recording = recording }

    /// Widens the region of `access`'s resource to cover it.
    func note(_ access: UnsafePointer<_RawAccess>) {
        let box = access.pointee.box
        let writes = access.pointee.mode.writes
        guard let k = slots[access.pointee.identity] else {
            slots[access.pointee.identity] = regions.count
            regions.append((access.pointee.resource, box, writes))
            return
        }
        if writes { regions[k].writes = true }
        guard !box.isEmpty else { return }
        if regions[k].box.isEmpty { regions[k].box = box; return }
        for i in 0..<4 {
            regions[k].box.lower[i] = Swift.min(regions[k].box.lower[i], box.lower[i])
            regions[k].box.upper[i] = Swift.max(regions[k].box.upper[i], box.upper[i])
        }
    }

    /// Ends the recording (see ``DataflowRecording/seal(regions:)``).
    func finish() -> DataflowRecording {
        recording.seal(regions: regions)
        return recording
    }
}
