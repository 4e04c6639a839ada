extension DataflowGraph {
    /// Records the tasks that `body` submits on the calling thread, without running them, for
    /// ``replay(_:)``: see ``DataflowRecording``. Tasks that other threads (or tasks) submit
    /// meanwhile are submitted as usual. Throws what `body` throws, and
    /// ``DataflowError/notRecordable(task:reason:)`` for a task that cannot be recorded or when
    /// another recording of this graph is in progress.
    public func record(name: String = "recording", _ body: () throws -> Void) throws -> DataflowRecording {
        try runtime.record(name: name, body)
    }

    /// Runs the tasks of `recording` once more, with the result of submitting them again now, in
    /// the order they were recorded. Returns the replay's handle: it finishes when the last
    /// recorded task has, and reports the first task that failed. Throws
    /// ``DataflowError/foreignRecording(name:)`` for a recording of another graph and
    /// ``DataflowError/graphShutDown`` after ``shutdown()``.
    @discardableResult
    public func replay(_ recording: DataflowRecording) throws(DataflowError) -> TaskHandle {
        TaskHandle(node: try runtime.replay(recording))
    }
}
