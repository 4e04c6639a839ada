extension FileAttribute {
    /// The attribute as JSON (Zarr `attributes`).
    internal var json: JSON {
        switch self {
        case let .int(v): .int(v)
        case let .double(v): .double(v)
        case let .string(v): .string(v)
        case let .ints(v): .array(v.map(JSON.int))
        case let .doubles(v): .array(v.map(JSON.double))
        case let .strings(v): .array(v.map(JSON.string))
        }
    }

    /// The attribute a JSON value holds, or nil when it is not a number, string or list of them.
    internal init?(json: JSON) {
        switch json {
        case let .int(v): self = .int(v)
        case let .double(v): self = .double(v)
        case let .string(v): self = .string(v)
        case let .array(items):
            if items.allSatisfy({ if case .int = $0 { true } else { false } }) {
                self = .ints(items.map { if case let .int(v) = $0 { v } else { 0 } })
            } else if items.allSatisfy({ switch $0 { case .int, .double: true; default: false } }) {
                self = .doubles(items.map { switch $0 { case let .int(v): Double(v); case let .double(v): v; default: 0 } })
            } else if items.allSatisfy({ $0.stringValue != nil }) {
                self = .strings(items.map { $0.stringValue! })
            } else {
                return nil
            }
        default: return nil
        }
    }
}
