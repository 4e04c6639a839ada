/// The metadata of an external N-D array, without its data: element type, shape, chunk shape,
/// whether the leading (time) axis can grow, compression, dimension names and fill value.
///
/// ```swift
/// let d = FileArrayDescription(elementType: .float64, shape: [0, 64, 64], chunkShape: [1, 64, 64],
///                              growable: true, dimensionNames: ["time", "y", "x"])
/// ```
///
/// This is the untyped form that ``FileInterface`` backends exchange (rank known at run time);
/// ``FileArray`` is the typed view over it. A plain `Sendable` value; ``validate(path:)`` is O(N).
public struct FileArrayDescription: Sendable, Equatable {
    /// The element type.
    public var elementType: ElementType
    /// The current extent along each axis, axis 0 first (row-major: the last axis is contiguous).
    public var shape: [Int]
    /// The chunk extent along each axis (Zarr chunk grid, HDF5 chunked layout).
    public var chunkShape: [Int]
    /// True when axis 0 may grow (HDF5 `H5S_UNLIMITED`, Zarr rewrites `shape`). Zarr has no such
    /// flag in its metadata: a Zarr array opened from disk is always growable.
    public var growable: Bool
    /// Chunk compression.
    public var compression: FileCompression
    /// Zarr only: append a CRC32C of every chunk (`crc32c` codec); HDF5 uses Fletcher-32 instead.
    public var checksum: Bool
    /// Names of the axes (Zarr `dimension_names`, read by xarray); empty means unnamed.
    public var dimensionNames: [String]
    /// The value of elements never written (Zarr `fill_value`, HDF5 fill value).
    public var fillValue: Double

    /// Creates a description; `chunkShape` defaults to the whole shape (at least 1 per axis).
    public init(elementType: ElementType, shape: [Int], chunkShape: [Int]? = nil,
                growable: Bool = false, compression: FileCompression = .none, checksum: Bool = false,
                dimensionNames: [String] = [], fillValue: Double = 0) {
        self.elementType = elementType
        self.shape = shape
        self.chunkShape = chunkShape ?? shape.map { Swift.max($0, 1) }
        self.growable = growable
        self.compression = compression
        self.checksum = checksum
        self.dimensionNames = dimensionNames
        self.fillValue = fillValue
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Throws ``IOError/invalidArgument(name:value:requirement:)`` unless the shape is non-negative,
    /// the chunk shape positive and of the same rank, and the dimension names (if any) one per axis.
    public func validate(path: String) throws(IOError) {
        guard (1...32).contains(shape.count) else {
            throw .invalidArgument(name: "rank of \(path)", value: "\(shape.count)", requirement: "1...32")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw .invalidArgument(name: "shape of \(path)", value: "\(shape)", requirement: "non-negative")
        }
        guard chunkShape.count == shape.count, chunkShape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(name: "chunk shape of \(path)", value: "\(chunkShape)",
                                   requirement: "\(shape.count) positive sides")
        }
        guard dimensionNames.isEmpty || dimensionNames.count == shape.count else {
            throw .invalidArgument(name: "dimension names of \(path)", value: "\(dimensionNames)",
                                   requirement: "one per axis (\(shape.count))")
        }
        switch compression {
        case .none: break
        case let .deflate(level) where !(0...9).contains(level):
            throw .invalidArgument(name: "deflate level", value: "\(level)", requirement: "0...9")
        case let .zstd(level) where !(-7...22).contains(level):
            throw .invalidArgument(name: "zstd level", value: "\(level)", requirement: "-7...22")
        default: break
        }
    }

    /// Throws ``IOError/invalidArgument(name:value:requirement:)`` unless the array is growable
    /// and `extent` is at least its current leading extent (arrays only grow).
    func checkLeadingResize(to extent: Int, path: String) throws(IOError) {
        guard growable else {
            throw .invalidArgument(name: "resize of \(path)", value: "\(extent)", requirement: "on a growable array")
        }
        guard extent >= shape[0] else {
            throw .invalidArgument(name: "leading extent of \(path)", value: "\(extent)",
                                   requirement: ">= the current \(shape[0]) (arrays only grow)")
        }
    }

    /// Throws ``IOError/boxOutsideArray(path:lower:shape:arrayShape:)`` unless the box
    /// `[lower, lower + boxShape)` lies inside the array, and
    /// ``IOError/bufferSizeMismatch(path:expected:got:)`` unless `byteCount` bytes hold it exactly.
    func checkBox(lower: [Int], shape boxShape: [Int], byteCount: Int, path: String) throws(IOError) {
        guard lower.count == rank, boxShape.count == rank else {
            throw .rankMismatch(path: path, expected: rank, found: lower.count)
        }
        for i in 0..<rank {
            guard lower[i] >= 0, boxShape[i] >= 0, lower[i] + boxShape[i] <= shape[i] else {
                throw .boxOutsideArray(path: path, lower: lower, shape: boxShape, arrayShape: shape)
            }
        }
        let needed = boxShape.reduce(1, *)
        guard byteCount == needed * elementType.byteCount else {
            throw .bufferSizeMismatch(path: path, expected: needed, got: byteCount / elementType.byteCount)
        }
    }
}
