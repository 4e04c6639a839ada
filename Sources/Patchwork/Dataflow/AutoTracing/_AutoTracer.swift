/// Automatic tracing: the runtime notices that the stream of submitted tasks repeats (a time
/// step, two steps, …) and from then on does the dependency analysis of a repetition once.
///
/// Three states, all guarded by the graph's submission lock:
/// - *detecting*: every task with accesses is analysed as usual and its signature (its accesses)
///   fed to a ``_PeriodDetector``;
/// - *capturing*: a period was found; the next repetition is analysed as usual and also captured
///   (``_TraceCapture``), then becomes the ``_TraceTemplate``;
/// - *replaying*: a task whose accesses are those of the template's first slot starts a
///   repetition (``_TraceInstance``): one task with the template's footprint goes through the
///   trackers, and the next tasks, as long as each matches its slot exactly, take their
///   dependencies from the template — no tracker, no scan. A task that does not match ends the
///   repetition early and is analysed as usual.
///
/// The result is the one ordinary submission gives: inside a repetition the dependencies are
/// those of the same tasks analysed alone (they are consecutive in the stream); everything
/// earlier that conflicts with any of them is finished before the repetition's first task starts,
/// and everything later that conflicts waits for the whole repetition. What changes is only that
/// ordering with the tasks around a repetition is coarser (by bounding boxes).
///
/// Only tasks a recording could hold take part: on the host, not held, resources at home there.
final class _AutoTracer {
    /// The shortest template: a shorter period is repeated up to this many tasks (a repetition
    /// costs one ordinary submission).
    static var minimumLength: Int { 32 }

    let detector = _PeriodDetector()
    var capture: _TraceCapture?
    var template: _TraceTemplate? { didSet { templateRef = template.map { .passUnretained($0) } } }
    /// The repetition being filled and its next slot.
    var open: _TraceInstance? { didSet { openRef = open.map { .passUnretained($0) } } }
    var next = 0

    // The same, unretained, for the submission path (held by the properties above).
    private(set) var templateRef: Unmanaged<_TraceTemplate>?
    private(set) var openRef: Unmanaged<_TraceInstance>?
}
