extension DataflowGraph {
    /// Waits until `task` has finished; throws its error (its own failure, or the failure of a task
    /// it depended on). Inside a task, the worker runs other tasks while it waits.
    public func wait(for task: TaskHandle) throws(DataflowError) {
        try runtime.wait(for: task.node)
    }

    /// Waits until every earlier task that conflicts with `access` has finished — with `.read`, the
    /// earlier writers of the region; with `.readWrite`, its readers too. Throws when one of them
    /// failed. The resource's data in the home space is up to date afterwards for that region.
    public func wait<R: DataflowResource, V>(for access: Access<R, V>) throws(DataflowError) {
        let task = try _submit(name: "wait", space: access.resource.homeSpace, [access.raw]) { _ in }
        try runtime.wait(for: task.node)
    }

    /// Waits until every submitted task has finished, then throws the first failure since the last
    /// call (a failure is reported once). Not allowed inside a task of this graph
    /// (``DataflowError/waitAllInsideTask(task:)``).
    public func wait() throws(DataflowError) {
        try runtime.waitForAll()
    }

    /// The async form of ``wait()-9t6o7``: suspends the caller without blocking a thread.
    public func wait() async throws(DataflowError) {
        try await runtime.waitForAll()
    }
}
