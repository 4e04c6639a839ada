import Synchronization

/// One repetition of a template in flight: the tasks submitted into its slots, a countdown per
/// slot, and the task that stands for the whole repetition in the graph's trackers.
///
/// A slot's countdown starts at its number of dependencies in the template, plus one for its own
/// submission, plus one for the gate when it depends on no slot: the gate opens when the
/// repetition's task runs (everything earlier that conflicts with the footprint has finished).
/// Whoever brings a countdown to zero — the submitter, a finishing dependency or the gate — makes
/// the slot's task runnable. The repetition's task finishes when every slot has finished or was
/// given up (the stream left the template before filling it: ``truncate(at:runtime:)``).
///
/// A failure is counted down as ``poison`` − 1: a slot whose countdown ends at or above it is
/// skipped, as a dependent of a failed task is.
final class _TraceInstance: @unchecked Sendable {
    let template: _TraceTemplate
    /// The task standing for the repetition (it holds this instance).
    unowned(unsafe) let task: _TaskNode
    private let countdowns: UnsafeMutablePointer<Atomic<Int>>
    /// The task in each slot (written by the submitter before its countdown step).
    private let tasks: UnsafeMutablePointer<Unmanaged<_TaskNode>?>
    /// Slots not yet finished or given up, plus one for the gate.
    private let remaining: Atomic<Int>
    /// The first failure in the repetition (or before it, through the gate): dependents name it.
    private let failure = _Lock<(name: String, id: Int)?>(nil)

    static var poison: Int { 1 << 40 }

    init(template: _TraceTemplate, task: _TaskNode) {
        self.template = template
        self.task = task
        let n = template.count
        countdowns = .allocate(capacity: n)
        for k in 0..<n {
            let dependencies = template.dependencyCounts[k]
            (countdowns + k).initialize(to: Atomic(dependencies + 1 + (dependencies == 0 ? 1 : 0)))
        }
        tasks = .allocate(capacity: n)
        tasks.initialize(repeating: nil, count: n)
        remaining = Atomic(n + 1)
    }

    deinit {
        countdowns.deinitialize(count: template.count)
        countdowns.deallocate()
        tasks.deallocate()
    }

    /// Puts `node` in slot `k` (under the submission lock) and counts its submission; returns
    /// true when it can run now.
    func submit(_ node: _TaskNode, at k: Int) -> Bool {
        tasks[k] = .passUnretained(node)
        return countDown(k, failed: false)
    }

    /// One step of slot `k`'s countdown; true when it reached zero (the slot's task is marked
    /// skipped when a failure was counted).
    @inline(__always)
    private func countDown(_ k: Int, failed: Bool) -> Bool {
        let step = failed ? Self.poison - 1 : -1
        let value = countdowns[k].wrappingAdd(step, ordering: .acquiringAndReleasing).newValue
        guard value & (Self.poison - 1) == 0 else { return false }
        if value >= Self.poison, let root = failure.withLock({ $0 }) {
            tasks[k].unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.poison(by: root) }
        }
        return true
    }

    /// Opens the gate (the repetition's task runs): the slots without dependencies may start.
    /// With `failedBy`, an earlier task it depended on failed: every slot is skipped.
    func open(failedBy root: (name: String, id: Int)?, runtime: _Runtime, on worker: _Worker) {
        if let root { failure.withLock { if $0 == nil { $0 = root } } }
        for k in 0..<template.count where template.dependencyCounts[k] == 0 {
            if countDown(k, failed: root != nil) {
                runtime.schedule(tasks[k].unsafelyUnwrapped.takeUnretainedValue(), from: worker)
            }
        }
        arrive(1, runtime: runtime, on: worker)
    }

    /// Counts down the slots that wait for slot `k`, which finished (`failed`: or was skipped).
    func finished(_ k: Int, failed: Bool, root: (name: String, id: Int), runtime: _Runtime, on worker: _Worker?) {
        if failed { failure.withLock { if $0 == nil { $0 = root } } }
        let successors = template.successors
        for i in template.successorStart[k]..<template.successorStart[k + 1] {
            let s = Int(successors[i])
            if countDown(s, failed: failed) {
                runtime.schedule(tasks[s].unsafelyUnwrapped.takeUnretainedValue(), from: worker)
            }
        }
        arrive(1, runtime: runtime, on: worker)
    }

    /// Gives up the slots from `k` on (under the submission lock): the stream left the template.
    func truncate(at k: Int, runtime: _Runtime) {
        if k < template.count { arrive(template.count - k, runtime: runtime, on: runtime.currentWorker) }
    }

    /// Counts `n` slots (or the gate) done; the last finishes the repetition's task, failed when a
    /// task of it failed (its dependents then name that task).
    private func arrive(_ n: Int, runtime: _Runtime, on worker: _Worker?) {
        guard remaining.wrappingSubtract(n, ordering: .acquiringAndReleasing).oldValue == n else { return }
        let task = self.task
        var error: DataflowError?
        if let root = failure.withLock({ $0 }) {
            task.sync.withLock { $0.poisonCause = root }
            error = .dependencyFailed(task: task.name, id: task.id, failedTask: root.name, failedID: root.id)
        }
        runtime.finish(task, error: error, on: worker, counted: false)
    }
}
