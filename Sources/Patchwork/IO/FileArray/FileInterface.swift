/// A backend's handle on one open external array: KeLPIO's `FileInterface`.
///
/// ```swift
/// let a: any FileInterface = try store.createArray("T", FileArrayDescription(elementType: .float64, shape: [8, 8]))
/// try values.withUnsafeBytes { try a.write(lower: [0, 0], shape: [8, 8], from: $0) }
/// ```
///
/// Boxes are given by their lower corner and shape (rank known at run time); buffers are
/// contiguous, row-major (last axis fastest) and hold exactly the box. ``FileArray`` wraps this
/// with `Box<N>` and typed buffers. Conformers are reference types (an open file); they are not
/// thread-safe: use one from one task at a time. Cost: one system or library call per chunk touched.
public protocol FileInterface: AnyObject {
    /// Where the array lives (a file plus dataset path, or a directory).
    var path: String { get }
    /// The array's metadata, including its current shape.
    var arrayDescription: FileArrayDescription { get }
    /// Writes the box `[lower, lower + shape)` from a row-major buffer holding exactly that box.
    func write(lower: [Int], shape: [Int], from buffer: UnsafeRawBufferPointer) throws(IOError)
    /// Reads the box `[lower, lower + shape)` into a row-major buffer holding exactly that box.
    func read(lower: [Int], shape: [Int], into buffer: UnsafeMutableRawBufferPointer) throws(IOError)
    /// Sets (or replaces) a named attribute.
    func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError)
    /// The named attribute, or nil when there is none.
    func attribute(_ name: String) throws(IOError) -> FileAttribute?
    /// Grows axis 0 to `extent` (the array must be `growable`; shrinking is rejected).
    func resizeLeadingAxis(to extent: Int) throws(IOError)
    /// Pushes buffered data and metadata to the operating system and, with `durable`, to disk
    /// (fsync).
    func flush(durable: Bool) throws(IOError)
    /// The ranks that make every write to this array together (collective MPI-IO: each rank
    /// calls ``write(lower:shape:from:)`` the same number of times, an empty box when it has
    /// nothing to write), or nil when writes are independent (the default).
    var collectiveWriters: MPICommunicator? { get }
}

extension FileInterface {
    public var collectiveWriters: MPICommunicator? { nil }
}

/// A container of named external arrays: an HDF5 file or a Zarr v3 directory store (a group).
///
/// ```swift
/// let store = try ZarrStore.create(at: "/tmp/run.zarr")
/// let t = try FileArray<Double, 2>.create(in: store, name: "T", shape: Point(64, 64))
/// ```
///
/// Arrays opened from a store stay valid while the store is referenced. Not thread-safe.
public protocol FileStore: AnyObject {
    /// The file or directory of the store.
    var path: String { get }
    /// Creates an array; throws ``IOError/alreadyExists(path:)`` when the name is taken.
    func createArray(_ name: String, _ description: FileArrayDescription) throws(IOError) -> any FileInterface
    /// Opens an existing array; throws ``IOError/fileNotFound(path:)`` when there is none.
    func openArray(_ name: String) throws(IOError) -> any FileInterface
    /// The names of the arrays in the store, sorted.
    func arrayNames() throws(IOError) -> [String]
    /// Sets a store-level (root group) attribute.
    func setAttribute(_ name: String, _ value: FileAttribute) throws(IOError)
    /// A store-level attribute, or nil.
    func attribute(_ name: String) throws(IOError) -> FileAttribute?
    /// Flushes every open array and the store metadata; `durable` adds fsync.
    func flush(durable: Bool) throws(IOError)
}
