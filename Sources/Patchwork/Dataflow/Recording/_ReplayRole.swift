/// What a task is to a recording: nothing (an ordinary task), a replay of it (which finishes when
/// the replayed tasks have), or one of its recorded tasks (run by replays, at `index`).
enum _ReplayRole {
    case none
    case replay(DataflowRecording)
    case member(Unmanaged<DataflowRecording>, index: Int)
}
