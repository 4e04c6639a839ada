import Testing
@testable import Patchwork

@Suite struct PatchTests {
    /// Patch storage, indexing, views, rows and fills against a plain `[Int64]` model of the
    /// allocated region in row-major order, for random boxes and ghost widths in 1–4 D.
    func checkAgainstModel<let N: Int>(_ rng: inout ArraysRandom, _: Point<N>.Type) throws {
        let box: Box<N> = rng.box(shape: 1...(N <= 2 ? 7 : 4))
        let ghost = rng.int(in: 0...3)
        let patch = try Patch<Int64, N>(box: box, ghostWidth: ghost, initialValue: -1)
        let allocated = box.grown(by: ghost)
        #expect(patch.allocatedBox == allocated)
        #expect(patch.count == allocated.volume)
        #expect(patch.strides[N - 1] == 1)
        var model = [Int64](repeating: -1, count: allocated.volume)
        #expect(patch.withUnsafeBufferPointer { Array($0) } == model)

        // Element writes by point land at the row-major index.
        for k in 0..<allocated.volume {
            let p = rowMajorPoint(k, in: allocated)
            #expect(patch.offset(of: p) == k)
            let v = Int64(rng.int(in: -1000...1000))
            patch[p] = v
            model[k] = v
        }
        #expect(patch.withUnsafeBufferPointer { Array($0) } == model)
        for k in 0..<allocated.volume {
            let p = rowMajorPoint(k, in: allocated)
            #expect(try patch.value(at: p) == model[k])
        }

        // Views of a random sub-box (of the whole allocated region, ghosts included).
        let sub = rng.subBox(of: allocated)
        try patch.withView(of: sub) { (view) throws(ArrayError) in
            #expect(view.box == sub)
            for p in allocCells(sub) {
                let k = rowMajorIndex(p, in: allocated)
                #expect(view[p] == model[k])
                #expect(view.pointer(at: p).pointee == model[k])
                #expect(view[offset: view.offset(of: p)] == model[k])
            }
            var rows: [Int64] = []
            view.forEachRow { start, row in
                #expect(sub.contains(start))
                rows += Array(row)
            }
            #expect(rows == allCells(sub).map { model[rowMajorIndex($0, in: allocated)] })
            // A view of a sub-box of the view (reaching ghosts is allowed up to the allocation).
            let inner = rng.subBox(of: allocated)
            let restricted = try view.restricted(to: inner)
            for p in allCells(inner) { #expect(restricted[p] == model[rowMajorIndex(p, in: allocated)]) }
        }

        // Writable view: fill a sub-box, then per-point writes; only those cells change.
        let target = rng.subBox(of: allocated)
        try patch.withMutableView(of: target) { view in
            view.fill(7)
            for p in allCells(target) where (p[N - 1] & 1) == 0 { view[p] = 9 }
        }
        for p in allCells(target) { model[rowMajorIndex(p, in: allocated)] = (p[N - 1] & 1) == 0 ? 9 : 7 }
        #expect(patch.withUnsafeBufferPointer { Array($0) } == model)

        // fill(with:) over the interior.
        try patch.fill { p in Int64(p[0] * 31 + p[N - 1]) }
        for p in allCells(box) { model[rowMajorIndex(p, in: allocated)] = Int64(p[0] * 31 + p[N - 1]) }
        #expect(patch.withUnsafeBufferPointer { Array($0) } == model)

        // A point just outside the allocation is a typed error naming it.
        var outside = allocated.upper
        outside[0] = allocated.lower[0] - 1
        #expect(throws: ArrayError.pointOutside(point: outside.array, region: allocated.description, what: "patch allocation")) {
            try patch.value(at: outside)
        }
        #expect(throws: ArrayError.self) { try patch.setValue(0, at: outside) }
    }

    private func allocCells<let N: Int>(_ box: Box<N>) -> [Point<N>] { allCells(box) }

    @Test func indexingAndViewsAgreeWithArrayModel() throws {
        var rng = ArraysRandom(seed: 1)
        for _ in 0..<100 {
            try checkAgainstModel(&rng, Point<1>.self)
            try checkAgainstModel(&rng, Point<2>.self)
            try checkAgainstModel(&rng, Point<3>.self)
            try checkAgainstModel(&rng, Point<4>.self)
        }
    }

    @Test func storageIsAlignedTo64Bytes() throws {
        var rng = ArraysRandom(seed: 2)
        for _ in 0..<200 {
            let box: Box<3> = rng.box(shape: 1...5)
            let ghost = rng.int(in: 0...2)
            let aligned: [Bool] = [
                try Patch<UInt8, 3>(box: box, ghostWidth: ghost).withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) % 64 == 0 },
                try Patch<Float, 3>(box: box, ghostWidth: ghost).withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) % 64 == 0 },
                try Patch<Double, 3>(box: box, ghostWidth: ghost).withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) % 64 == 0 },
                try Patch<Int32, 3>(box: box, ghostWidth: ghost).withView { Int(bitPattern: $0.baseAddress) % 64 == 0 },
            ]
            #expect(aligned.allSatisfy { $0 })
        }
    }

    @Test func copiesShareStorageAndClonesDoNot() throws {
        let box = try Box<2>(lower: [0, 0], upper: [3, 4])
        let a = try Patch<Double, 2>(box: box, ghostWidth: 1)
        let b = a
        b[[1, 1]] = 5
        #expect(a[[1, 1]] == 5)
        #expect(a.sharesStorage(with: b) && a.storageIdentifier == b.storageIdentifier)
        let c = a.clone()
        c[[1, 1]] = 6
        #expect(a[[1, 1]] == 5 && c[[1, 1]] == 6 && !c.sharesStorage(with: a))
        #expect(c.withUnsafeBufferPointer { Array($0) }.count == a.count)
    }

    @Test func copyBetweenPatchesMatchesModel() throws {
        var rng = ArraysRandom(seed: 3)
        for trial in 0..<300 {
            let ghost = rng.int(in: 0...2)
            let dst = try Patch<Int32, 2>(box: rng.box(shape: 2...8), ghostWidth: ghost)
            let same = trial % 3 == 0
            let src = same ? dst : try Patch<Int32, 2>(box: rng.box(shape: 2...8), ghostWidth: rng.int(in: 0...2))
            try src.fill(in: src.allocatedBox) { p in Int32(p[0] * 100 + p[1]) }
            if !same { try dst.fill(in: dst.allocatedBox) { _ in -7 } }
            let before = dst.withUnsafeBufferPointer { Array($0) }
            let srcSnapshot = src.withUnsafeBufferPointer { Array($0) }
            let box = rng.subBox(of: src.allocatedBox)
            let shift: Point<2> = rng.point(in: -3...3)
            let target = box.shifted(by: shift)
            if dst.allocatedBox.contains(target) {
                try dst.copy(from: src, box: box, shift: shift)
                var expected = before
                for p in allCells(box) {
                    expected[rowMajorIndex(p + shift, in: dst.allocatedBox)] = srcSnapshot[rowMajorIndex(p, in: src.allocatedBox)]
                }
                #expect(dst.withUnsafeBufferPointer { Array($0) } == expected)
            } else {
                #expect(throws: ArrayError.boxOutside(box: target.description, region: dst.allocatedBox.description, what: "patch allocation")) {
                    try dst.copy(from: src, box: box, shift: shift)
                }
                #expect(dst.withUnsafeBufferPointer { Array($0) } == before)
            }
        }
    }

    @Test func packAndUnpackRoundTripInRowMajorOrder() throws {
        var rng = ArraysRandom(seed: 5)
        for _ in 0..<300 {
            let box: Box<3> = rng.box(shape: 1...5)
            let patch = try Patch<Double, 3>(box: box, ghostWidth: rng.int(in: 0...2))
            try patch.fill(in: patch.allocatedBox) { _ in rng.double() }
            let region = rng.subBox(of: patch.allocatedBox, allowEmpty: true)
            var buffer = [Double](repeating: .nan, count: region.volume + 1)
            let view = try patch.unsafeView(of: region)
            let n = buffer.withUnsafeMutableBufferPointer { view.pack(into: $0.baseAddress!) }
            #expect(n == region.volume)
            #expect(Array(buffer.prefix(n)) == allCells(region).map { patch[$0] })
            let other = try Patch<Double, 3>(box: box, ghostWidth: patch.ghostWidth)
            let m = try buffer.withUnsafeBufferPointer { b throws(ArrayError) in
                try other.unsafeMutableView(of: region).unpack(from: b.baseAddress!)
            }
            #expect(m == n)
            for p in allCells(other.allocatedBox) { #expect(other[p] == (region.contains(p) ? patch[p] : 0)) }
            withExtendedLifetime(patch) {}
        }
    }

    @Test func badGhostWidthsAndBoxesAreTypedErrors() throws {
        let box = try Box<2>(lower: [0, 0], upper: [4, 4])
        #expect(throws: ArrayError.ghostWidthOutOfRange(width: -1, allowed: 0...32, reason: "negative")) {
            try Patch<Double, 2>(box: box, ghostWidth: -1)
        }
        #expect(throws: ArrayError.ghostWidthOutOfRange(width: 33, allowed: 0...32, reason: "above Patch.maximumGhostWidth")) {
            try Patch<Double, 2>(box: box, ghostWidth: 33)
        }
        let empty = Box<2>(uncheckedLower: [0, 0], upper: [0, 4])
        #expect(throws: ArrayError.emptyBox(box: empty.description)) { try Patch<Double, 2>(box: empty) }
        let huge = Box<2>(uncheckedLower: [0, 0], upper: [1 << 40, 1 << 40])
        #expect(throws: ArrayError.self) { try Patch<Double, 2>(box: huge) }
        let patch = try Patch<Double, 2>(box: box, ghostWidth: 1)
        let tooBig = box.grown(by: 2)
        #expect(throws: ArrayError.boxOutside(box: tooBig.description, region: box.grown(by: 1).description, what: "patch allocation")) {
            _ = try patch.withView(of: tooBig) { _ in 0 }
        }
        #expect(throws: ArrayError.self) { try patch.fill(1, in: tooBig) }
        _ = try patch.withView(of: box) { view in
            #expect(throws: ArrayError.pointOutside(point: [4, 0], region: box.description, what: "view")) {
                try view.value(at: [4, 0])
            }
        }
        #expect(ArrayError.ghostWidthOutOfRange(width: -1, allowed: 0...32, reason: "negative").description.contains("-1"))
    }

    @Test func elementTypesDescribeThemselves() {
        #expect(Double.elementType == .float64 && Double.elementType.name == "float64" && Double.elementType.byteCount == 8)
        #expect(Float.elementType.numpyTypeString == "<f4")
        #expect(UInt8.elementType.numpyTypeString == "|u1")
        #expect(Int32.elementType.numpyTypeString == "<i4")
        #expect(Int64.elementType.name == "int64")
        for t in ElementType.allCases {
            #expect(ElementType(name: t.name) == t)
            #expect(ElementType(rawValue: t.code) == t)
        }
        #expect(ElementType(name: "complex128") == nil)
    }

    @Test func rowOffsetsInTwoLayoutsMatchPointOffsets() throws {
        var rng = ArraysRandom(seed: 6)
        func check<let N: Int>(_: Point<N>.Type, _ rng: inout ArraysRandom) throws {
            let a = try Patch<Int32, N>(box: rng.box(shape: 1...5), ghostWidth: rng.int(in: 0...2))
            let b = try Patch<Int32, N>(box: a.box, ghostWidth: rng.int(in: 0...2))
            let box = rng.subBox(of: a.box, allowEmpty: true)
            let va = try a.unsafeView(of: box), vb = try b.unsafeMutableView(of: box)
            var rows: [(Int, Int, Int)] = []
            box.forEachRow(strides: a.strides, b.strides) { rows.append(($0, $1, $2)) }
            var expected: [(Int, Int, Int)] = []
            box.forEachRow { start, count in expected.append((va.offset(of: start), vb.offset(of: start), count)) }
            #expect(rows.map { [$0.0, $0.1, $0.2] } == expected.map { [$0.0, $0.1, $0.2] })
        }
        for _ in 0..<300 {
            try check(Point<1>.self, &rng)
            try check(Point<2>.self, &rng)
            try check(Point<3>.self, &rng)
            try check(Point<4>.self, &rng)
        }
    }

    @Test func rowsAndCellsFollowRowMajorOrder() {
        var rng = ArraysRandom(seed: 4)
        func check<let N: Int>(_: Point<N>.Type, _ rng: inout ArraysRandom) {
            let box: Box<N> = rng.box(shape: 0...4)
            var cells: [Point<N>] = []
            box.forEachCell { cells.append($0) }
            #expect(cells == allCells(box))
            var rowCells: [Point<N>] = []
            box.forEachRow { start, count in
                for i in 0..<count { var p = start; p[N - 1] += i; rowCells.append(p) }
            }
            #expect(rowCells == allCells(box))
        }
        for _ in 0..<300 {
            check(Point<1>.self, &rng)
            check(Point<2>.self, &rng)
            check(Point<3>.self, &rng)
            check(Point<4>.self, &rng)
        }
    }
}
