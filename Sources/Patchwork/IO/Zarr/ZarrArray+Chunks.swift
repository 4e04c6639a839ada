#if _endian(big)
#error("The Zarr backend writes host bytes as little-endian; big-endian hosts need a byte swap here")
#endif

extension ZarrArray {
    /// The file of the chunk with grid index `index`: `c/i/j/...` (or `c.i.j`).
    internal func chunkPath(_ index: [Int]) -> String {
        var key = "c"
        for i in index { key += separator; key += String(i) }
        if index.isEmpty { key = "c" }
        return path + "/" + key
    }

    /// Bytes of one decoded chunk.
    internal var chunkByteCount: Int { arrayDescription.chunkShape.reduce(1, *) * arrayDescription.elementType.byteCount }

    /// Runs `body` for every chunk the box `[lower, lower + shape)` meets, with the chunk's grid
    /// index, its origin in the array, and the part of the box inside it (lower corner, shape).
    internal func forEachChunk(lower: [Int], shape: [Int],
                               _ body: (_ index: [Int], _ origin: [Int], _ partLower: [Int], _ partShape: [Int]) throws(IOError) -> Void) throws(IOError) {
        let chunk = arrayDescription.chunkShape
        let rank = chunk.count
        if shape.contains(where: { $0 <= 0 }) { return }
        let first = (0..<rank).map { lower[$0] / chunk[$0] }
        let last = (0..<rank).map { (lower[$0] + shape[$0] - 1) / chunk[$0] }
        var index = first
        var origin = [Int](repeating: 0, count: rank), partLower = origin, partShape = origin
        while true {
            for a in 0..<rank {
                origin[a] = index[a] * chunk[a]
                partLower[a] = Swift.max(lower[a], origin[a])
                partShape[a] = Swift.min(lower[a] + shape[a], origin[a] + chunk[a]) - partLower[a]
            }
            try body(index, origin, partLower, partShape)
            var a = rank - 1
            while a >= 0 {
                index[a] += 1
                if index[a] <= last[a] { break }
                index[a] = first[a]
                a -= 1
            }
            if a < 0 { return }
        }
    }

    /// Writes the box from a row-major buffer: whole chunks are encoded straight from it, chunks
    /// covered in part are read, modified and rewritten.
    public func write(lower: [Int], shape: [Int], from buffer: UnsafeRawBufferPointer) throws(IOError) {
        let d = arrayDescription
        try d.checkBox(lower: lower, shape: shape, byteCount: buffer.count, path: path)
        let size = d.elementType.byteCount
        let chunk = d.chunkShape
        var chunkBytes = takeChunkScratch()
        defer { chunkBuffer = chunkBytes }
        try forEachChunk(lower: lower, shape: shape) { (index, origin, partLower, partShape) throws(IOError) in
            // The chunk's cells inside the array; the rest is fill-value padding.
            let covered = (0..<chunk.count).allSatisfy { a in
                partLower[a] == origin[a] && partShape[a] == Swift.min(chunk[a], d.shape[a] - origin[a])
            }
            let file = chunkPath(index)
            let padded = (0..<chunk.count).contains { origin[$0] + chunk[$0] > d.shape[$0] }
            if covered, !padded, let offset = contiguousOffset(partLower: partLower, partShape: partShape, lower: lower, shape: shape) {
                // The chunk is one contiguous run of the source: encode it in place, no copy.
                try writeChunk(file, index: index, UnsafeRawBufferPointer(rebasing: buffer[offset * size..<(offset + partShape.reduce(1, *)) * size]))
                return
            }
            try chunkBytes.withUnsafeMutableBufferPointer { (raw) throws(IOError) in
                let b = UnsafeMutableRawBufferPointer(raw)
                if !covered { try readChunk(file, into: b) }
                else if padded { fill(b) }
                let inBox = (0..<chunk.count).map { partLower[$0] - lower[$0] }
                let inChunk = (0..<chunk.count).map { partLower[$0] - origin[$0] }
                _copyRegion(count: partShape, elementSize: size, from: buffer.baseAddress!, shape: shape, at: inBox,
                            to: b.baseAddress!, shape: chunk, at: inChunk)
                try writeChunk(file, index: index, UnsafeRawBufferPointer(b))
            }
        }
    }

    /// Reads the box into a row-major buffer; chunks never written read as the fill value.
    public func read(lower: [Int], shape: [Int], into buffer: UnsafeMutableRawBufferPointer) throws(IOError) {
        let d = arrayDescription
        try d.checkBox(lower: lower, shape: shape, byteCount: buffer.count, path: path)
        let size = d.elementType.byteCount
        let chunk = d.chunkShape
        var chunkBytes = takeChunkScratch()
        defer { chunkBuffer = chunkBytes }
        try forEachChunk(lower: lower, shape: shape) { (index, origin, partLower, partShape) throws(IOError) in
            let whole = (0..<chunk.count).allSatisfy { partLower[$0] == origin[$0] && partShape[$0] == chunk[$0] }
            if whole, let offset = contiguousOffset(partLower: partLower, partShape: partShape, lower: lower, shape: shape) {
                // A whole chunk that is one contiguous run of the destination: decode in place.
                try readChunk(chunkPath(index), into: UnsafeMutableRawBufferPointer(
                    rebasing: buffer[offset * size..<(offset + partShape.reduce(1, *)) * size]))
                return
            }
            try chunkBytes.withUnsafeMutableBufferPointer { (raw) throws(IOError) in
                let b = UnsafeMutableRawBufferPointer(raw)
                try readChunk(chunkPath(index), into: b)
                let inBox = (0..<chunk.count).map { partLower[$0] - lower[$0] }
                let inChunk = (0..<chunk.count).map { partLower[$0] - origin[$0] }
                _copyRegion(count: partShape, elementSize: size, from: b.baseAddress!, shape: chunk, at: inChunk,
                            to: buffer.baseAddress!, shape: shape, at: inBox)
            }
        }
    }

    /// The element offset of the part `[partLower, partLower + partShape)` in the row-major box
    /// `[lower, lower + shape)` when the part is one contiguous run of it, else nil.
    internal func contiguousOffset(partLower: [Int], partShape: [Int], lower: [Int], shape: [Int]) -> Int? {
        var outer = true   // still on the leading axes where the part is one layer thick
        for a in 0..<shape.count {
            if outer { if partShape[a] > 1 { outer = false } }
            else if partShape[a] != shape[a] { return nil }
        }
        var offset = 0
        for a in 0..<shape.count { offset = offset * shape[a] + (partLower[a] - lower[a]) }
        return offset
    }

    /// The reusable chunk-sized scratch buffer, taken out of the array while in use (give it back
    /// to `chunkBuffer` when done).
    private func takeChunkScratch() -> [UInt8] {
        var scratch = chunkBuffer
        chunkBuffer = []
        if scratch.count != chunkByteCount { scratch = [UInt8](repeating: 0, count: chunkByteCount) }
        return scratch
    }

    /// Fills a chunk buffer with the fill value.
    internal func fill(_ b: UnsafeMutableRawBufferPointer) {
        let type = arrayDescription.elementType, value = arrayDescription.fillValue
        let size = type.byteCount
        type.store(value, at: b.baseAddress!)
        if b.prefix(size).allSatisfy({ $0 == 0 }) {
            b.initializeMemory(as: UInt8.self, repeating: 0)
            return
        }
        var filled = size
        while filled < b.count {   // doubling copies
            let n = Swift.min(filled, b.count - filled)
            (b.baseAddress! + filled).copyMemory(from: b.baseAddress!, byteCount: n)
            filled += n
        }
    }

    /// Decodes the chunk file into `b` (fill value when the file does not exist), verifying its
    /// CRC32C and size.
    internal func readChunk(_ file: String, into b: UnsafeMutableRawBufferPointer) throws(IOError) {
        let d = arrayDescription
        if d.compression == .none && !d.checksum {
            let got: Int
            do { got = try _FileSystem.readFile(file, into: b) }
            catch .fileNotFound { fill(b); return }
            guard got == b.count, try _FileSystem.fileSize(file) == b.count else {
                throw .corrupt(path: file, reason: "chunk holds \(try _FileSystem.fileSize(file)) bytes, expected \(b.count)")
            }
            return
        }
        var encoded: [UInt8]
        do { encoded = try _FileSystem.readFile(file) }
        catch .fileNotFound { fill(b); return }
        if d.checksum {
            guard encoded.count >= 4 else { throw .corrupt(path: file, reason: "chunk shorter than its checksum") }
            let n = encoded.count - 4
            let stored = UInt32(encoded[n]) | UInt32(encoded[n + 1]) << 8 | UInt32(encoded[n + 2]) << 16 | UInt32(encoded[n + 3]) << 24
            let computed = encoded.withUnsafeBufferPointer { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<n])) }
            guard stored == computed else { throw .checksumMismatch(path: file, stored: stored, computed: computed) }
            encoded.removeLast(4)
        }
        if case .zstd = d.compression {
            try encoded.withUnsafeBufferPointer { (src) throws(IOError) in
                try _Zstd.decompress(UnsafeRawBufferPointer(src), into: b, path: file)
            }
        } else {
            guard encoded.count == b.count else {
                throw .corrupt(path: file, reason: "chunk holds \(encoded.count) bytes, expected \(b.count)")
            }
            encoded.withUnsafeBufferPointer { b.copyMemory(from: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Encodes one chunk (bytes → zstd → crc32c) and replaces its file atomically.
    internal func writeChunk(_ file: String, index: [Int], _ b: UnsafeRawBufferPointer) throws(IOError) {
        let d = arrayDescription
        if let slash = file.lastIndex(of: "/") {
            let directory = String(file[..<slash])
            if !knownDirectories.contains(directory) {
                try _FileSystem.makeDirectories(directory)
                knownDirectories.insert(directory)
            }
        }
        var output = encodeBuffer
        encodeBuffer = []
        defer { encodeBuffer = output }
        if case let .zstd(level) = d.compression {
            let n = try _Zstd.compress(b, level: level, into: &output, path: file)
            try output.withUnsafeBufferPointer { (o) throws(IOError) in
                try finish(file, UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(o)[0..<n]))
            }
            return
        }
        try finish(file, b)

        func finish(_ file: String, _ payload: UnsafeRawBufferPointer) throws(IOError) {
            if d.checksum {
                var crc = CRC32C.checksum(payload).littleEndian
                try withUnsafeBytes(of: &crc) { (c) throws(IOError) in
                    try store(file, [payload, UnsafeRawBufferPointer(c)])
                }
            } else {
                try store(file, [payload])
            }
            unsynced.insert(file)
        }

        /// Replaces the file atomically, or in place when the whole store is committed atomically
        /// (a checkpoint: ``ledger`` is set), and records its checksum.
        func store(_ file: String, _ parts: [UnsafeRawBufferPointer]) throws(IOError) {
            if let ledger {
                try _FileSystem.writeFileInPlace(file, parts)
                ledger.record(file, parts)
            } else {
                try _FileSystem.writeFileAtomically(file, parts, durable: false)
            }
        }
    }
}
