/// What a task is to a recording or an automatic trace: nothing (an ordinary task), a replay of a
/// recording (which finishes when the replayed tasks have), one of its recorded tasks (run by
/// replays, at `index`), the task standing for a repetition of a trace (``_TraceInstance``), or a
/// submitted task in slot `index` of one.
enum _ReplayRole {
    case none
    case replay(DataflowRecording)
    case member(Unmanaged<DataflowRecording>, index: Int)
    case trace(_TraceInstance)
    case traced(Unmanaged<_TraceInstance>, index: Int)
}
