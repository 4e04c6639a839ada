/// A typed external N-D array in a file: KeLPIO's `FileArrayX`, strongly typed in its element and
/// its number of dimensions.
///
/// ```swift
/// let store = try HDF5Store.create(at: "/tmp/out.h5")
/// let t = try FileArray<Double, 2>.create(in: store, name: "T", shape: Point(64, 32),
///                                         options: .init(chunks: Point(16, 32), dimensionNames: ["y", "x"]))
/// let box = try Box<2>(lower: Point(8, 0), upper: Point(16, 32))
/// try t.write(box, from: Array(repeating: 1.5, count: box.volume))
/// let back: [Double] = try t.read(box)
/// ```
///
/// Boxes are in array coordinates (`[0, shape)`); buffers are row-major and hold exactly the box.
/// An optional ``decomposition`` (see ``distributed(as:)``) says which rank reads or writes which
/// region; ``IOPlan/init(array:file:includingGhosts:)`` plans by it.
/// A `FileArray` is a small value referring to an open backend array (copies share it); it is not
/// thread-safe. Cost: one backend call per write or read, touching the chunks the box meets.
public struct FileArray<Element: PatchElement, let N: Int> {
    /// The backend's open array.
    public let interface: any FileInterface
    /// The file's own floor plan (in array coordinates): which rank reads or writes which region;
    /// nil means every rank may access the whole array. Kept in this value, not in the file.
    public internal(set) var decomposition: Decomposition<N>?

    /// Wraps an open backend array, checking its element type and rank.
    public init(_ interface: any FileInterface) throws(IOError) {
        let d = interface.arrayDescription
        guard d.elementType == Element.elementType else {
            throw .elementTypeMismatch(path: interface.path, expected: Element.elementType.name,
                                       found: d.elementType.name)
        }
        guard d.rank == N else { throw .rankMismatch(path: interface.path, expected: N, found: d.rank) }
        self.interface = interface
    }

    /// Creates an array named `name` in `store`.
    public static func create(in store: some FileStore, name: String, shape: Point<N>,
                              options: FileArrayOptions<N> = .init()) throws(IOError) -> FileArray {
        let description = FileArrayDescription(
            elementType: Element.elementType, shape: shape.array,
            chunkShape: options.chunks?.array, growable: options.growable,
            compression: options.compression, checksum: options.checksum,
            dimensionNames: options.dimensionNames, fillValue: options.fillValue)
        return try FileArray(store.createArray(name, description))
    }

    /// Opens the array `name` of `store`; throws ``IOError/elementTypeMismatch(path:expected:found:)``
    /// or ``IOError/rankMismatch(path:expected:found:)`` when it is not an `N`-D array of `Element`.
    public static func open(in store: some FileStore, name: String) throws(IOError) -> FileArray {
        try FileArray(store.openArray(name))
    }

    /// The current shape.
    public var shape: Point<N> {
        let s = interface.arrayDescription.shape
        return Point(InlineArray { s[$0] })
    }

    /// The box `[0, shape)`.
    public var domain: Box<N> { Box(uncheckedLower: .zero, upper: shape) }

    /// The array's metadata.
    public var arrayDescription: FileArrayDescription { interface.arrayDescription }

    /// Writes `box` from a row-major buffer of exactly `box.volume` elements.
    public func write(_ box: Box<N>, from buffer: UnsafeBufferPointer<Element>) throws(IOError) {
        try interface.write(lower: box.lower.array, shape: box.shape.array, from: UnsafeRawBufferPointer(buffer))
    }

    /// Writes `box` from an array of exactly `box.volume` elements.
    public func write(_ box: Box<N>, from values: [Element]) throws(IOError) {
        try values.withUnsafeBufferPointer { (p) throws(IOError) in try write(box, from: p) }
    }

    /// Reads `box` into a row-major buffer of exactly `box.volume` elements.
    public func read(_ box: Box<N>, into buffer: UnsafeMutableBufferPointer<Element>) throws(IOError) {
        try interface.read(lower: box.lower.array, shape: box.shape.array, into: UnsafeMutableRawBufferPointer(buffer))
    }

    /// Reads `box` into a new array (allocates `box.volume` elements).
    public func read(_ box: Box<N>) throws(IOError) -> [Element] {
        try domainCheck(box)
        let n = box.volume
        return try [Element](unsafeUninitializedCapacity: n) { (buffer, count) throws(IOError) in
            try read(box, into: buffer)
            count = n
        }
    }

    /// Sets an attribute of the array.
    public func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError) {
        try interface.setAttribute(name, value)
    }

    /// An attribute of the array, or nil.
    public func attribute(_ name: String) throws(IOError) -> FileAttribute? { try interface.attribute(name) }

    /// Grows the leading axis (time, for snapshots) to `extent`.
    public func resizeLeadingAxis(to extent: Int) throws(IOError) { try interface.resizeLeadingAxis(to: extent) }

    /// Flushes the array (`durable`: and fsyncs it).
    public func flush(durable: Bool = false) throws(IOError) { try interface.flush(durable: durable) }

    private func domainCheck(_ box: Box<N>) throws(IOError) {
        guard domain.contains(box), !box.lower.array.contains(where: { $0 < 0 }) else {
            throw .boxOutsideArray(path: interface.path, lower: box.lower.array, shape: box.shape.array,
                                   arrayShape: shape.array)
        }
    }
}

/// Creation options of a ``FileArray``: chunking, growth, compression, checksums, axis names.
///
/// ```swift
/// FileArrayOptions<3>(chunks: Point(1, 128, 128), growable: true, compression: .zstd(level: 1),
///                     dimensionNames: ["time", "y", "x"])
/// ```
public struct FileArrayOptions<let N: Int>: Sendable {
    /// The chunk shape; nil means one chunk for the whole (initial) array.
    public var chunks: Point<N>?
    /// True when the leading axis may grow (snapshots).
    public var growable: Bool
    /// Chunk compression (`.deflate` for HDF5, `.zstd` for Zarr).
    public var compression: FileCompression
    /// Zarr: CRC32C per chunk; HDF5: Fletcher-32 per chunk.
    public var checksum: Bool
    /// Axis names (empty, or one per axis).
    public var dimensionNames: [String]
    /// The value of unwritten elements.
    public var fillValue: Double

    public init(chunks: Point<N>? = nil, growable: Bool = false, compression: FileCompression = .none,
                checksum: Bool = false, dimensionNames: [String] = [], fillValue: Double = 0) {
        self.chunks = chunks
        self.growable = growable
        self.compression = compression
        self.checksum = checksum
        self.dimensionNames = dimensionNames
        self.fillValue = fillValue
    }
}
