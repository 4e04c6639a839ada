/// Copies a box of elements between two row-major arrays of possibly different shapes.
///
/// `count` is the box's shape; the box starts at `srcLower` in the source array of shape
/// `srcShape` and lands at `dstLower` in the destination of shape `dstShape`. Trailing axes that
/// both arrays hold whole are merged, so copying a whole chunk is one `memcpy`. The caller has
/// checked that both boxes lie inside their arrays.
/// - Complexity: O(volume) bytes moved, one `memcpy` per contiguous row.
@usableFromInline
internal func _copyRegion(count: [Int], elementSize: Int,
                          from src: UnsafeRawPointer, shape srcShape: [Int], at srcLower: [Int],
                          to dst: UnsafeMutableRawPointer, shape dstShape: [Int], at dstLower: [Int]) {
    let rank = count.count
    if rank == 0 { dst.copyMemory(from: src, byteCount: elementSize); return }
    if count.contains(where: { $0 <= 0 }) { return }
    // Merge trailing axes that are whole in both arrays into one longer row.
    var inner = rank - 1
    var run = count[inner]
    while inner > 0, count[inner] == srcShape[inner], count[inner] == dstShape[inner] {
        inner -= 1
        run *= count[inner]
    }
    // Byte strides of axes 0...inner (axis `inner` has the merged row as its unit).
    var srcStride = [Int](repeating: 0, count: inner + 1)
    var dstStride = [Int](repeating: 0, count: inner + 1)
    var s = elementSize, d = elementSize
    for axis in stride(from: rank - 1, through: 0, by: -1) {
        if axis <= inner { srcStride[axis] = s; dstStride[axis] = d }
        s *= srcShape[axis]; d *= dstShape[axis]
    }
    var srcOffset = 0, dstOffset = 0
    for axis in 0...inner {
        srcOffset += srcLower[axis] * srcStride[axis]
        dstOffset += dstLower[axis] * dstStride[axis]
    }
    // Merged axes past `inner` are whole in both arrays, so their lower corners are 0.
    let rowBytes = run * elementSize
    if inner == 0 {
        (dst + dstOffset).copyMemory(from: src + srcOffset, byteCount: rowBytes)
        return
    }
    var index = [Int](repeating: 0, count: inner)   // odometer over axes 0..<inner
    while true {
        (dst + dstOffset).copyMemory(from: src + srcOffset, byteCount: rowBytes)
        var axis = inner - 1
        while axis >= 0 {
            index[axis] += 1
            srcOffset += srcStride[axis]; dstOffset += dstStride[axis]
            if index[axis] < count[axis] { break }
            srcOffset -= srcStride[axis] * count[axis]; dstOffset -= dstStride[axis] * count[axis]
            index[axis] = 0
            axis -= 1
        }
        if axis < 0 { return }
    }
}
