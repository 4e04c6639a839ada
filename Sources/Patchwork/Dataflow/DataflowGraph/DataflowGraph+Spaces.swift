extension DataflowGraph {
    /// Writes `resource` back to its home space if its newest version lives elsewhere (after the
    /// tasks writing it), and waits for that. Writing back is otherwise lazy.
    public func synchronize<R: DataflowResource>(_ resource: R) throws(DataflowError) {
        try wait(for: Access<R, R.ReadView>.read(resource))
    }

    /// Reads `region` of `resource` outside the runtime: waits for the tasks writing it, brings the
    /// newest version home, and hands `body` a read-only view of the home copy.
    public func read<R: DataflowResource, T>(
        _ resource: R, _ region: R.Region, _ body: (R.ReadView) throws -> T
    ) throws -> T {
        try wait(for: Access<R, R.ReadView>.read(resource, region))
        return try body(resource.makeReadView(region))
    }

    /// The spaces holding a valid copy of `resource` and the version of each, as the finished tasks
    /// left them (versions count writes; a copy carries its source's version). Empty when the
    /// graph has never seen the resource.
    public func copies<R: DataflowResource>(of resource: R) -> [(space: MemorySpace, version: Int)] {
        let tracker = runtime.submission.withLock { $0.trackers[resource.dataflowIdentity] }
        guard let tracker else { return [] }
        return tracker.copyState.withLock { $0.copies }.sorted { $0.space.id < $1.space.id }
    }
}

extension DataflowGraph {
    /// The runtime's copy of `resource` in `space` (the resource itself in its home space), or nil
    /// when no task has run there. Its contents are current only when ``copies(of:)`` lists
    /// `space` with the newest version; for inspection and tests.
    public func replica<R: DataflowResource>(of resource: R, in space: MemorySpace) -> R? {
        if space == resource.homeSpace { return resource }
        let tracker = runtime.submission.withLock { $0.trackers[resource.dataflowIdentity] }
        return tracker?.replica(in: space) as? R
    }
}
