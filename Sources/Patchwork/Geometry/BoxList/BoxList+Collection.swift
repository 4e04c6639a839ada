extension BoxList: RandomAccessCollection {
    public typealias Element = Box<N>
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { boxes.count }

    /// The box at `position` (0 ..< count).
    @inlinable
    public subscript(position: Int) -> Box<N> { boxes[position] }
}

extension BoxList: CustomStringConvertible {
    public var description: String {
        "BoxList(" + boxes.map(\.description).joined(separator: ", ") + ")"
    }
}

extension BoxList: ExpressibleByArrayLiteral {
    /// A region from boxes that may overlap (union semantics).
    public init(arrayLiteral elements: Box<N>...) {
        self.init(elements)
    }
}
