import Foundation
import Testing
@testable import Patchwork

@Suite struct SnapshotTests {
    /// Snapshots append along a time axis with their times and steps, read back into another
    /// floor plan, survive reopening, and xarray sees the time axis.
    @Test func appendReopenAndRead() throws {
        let dir = IOTestSupport.scratchDirectory("snap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stores: [any FileStore] = [try ZarrStore.create(at: dir + "/s.zarr"), try HDF5Store.create(at: dir + "/s.h5")]
        for store in stores {
            let u = try PatchArray<Double, 2>(decomposition: IOPlanTests.fourPatches(), ghostWidth: 1)
            let series = try SnapshotSeries.create(in: store, name: "u", array: u, chunks: Point(5, 6),
                                                   dimensionNames: ["time", "y", "x"])
            for k in 0..<4 {
                u.fill { p in Double(k) * 1000 + IOPlanTests.value(p) }
                try series.append(time: Double(k) * 0.25, step: k * 10)
            }
            try series.flush(durable: true)
            let v = try PatchArray<Double, 2>(decomposition: IOPlanTests.threePatches())
            let reopened = try SnapshotSeries.open(in: store, name: "u", array: v)
            #expect(reopened.count == 4 && reopened.times == [0, 0.25, 0.5, 0.75] && reopened.steps == [0, 10, 20, 30])
            try reopened.read(snapshot: 2)
            #expect(try v.value(at: Point(8, 3)) == 2000 + IOPlanTests.value(Point(8, 3)))
            #expect(throws: IOError.invalidArgument(name: "snapshot", value: "4", requirement: "in 0..<4")) { try reopened.read(snapshot: 4) }
            v.fill(1)
            try reopened.append(time: 1, step: 40)
            #expect(reopened.file.arrayDescription.shape == [5, 10, 12])
        }
        let script = """
        import sys, xarray as xr
        ds = xr.open_zarr(sys.argv[1], consolidated=False)
        print(",".join(ds["u"].dims), list(ds["u"].attrs["step"]), float(ds["u"][4].sum()), float(ds["u"][1, 0, 0]))
        """
        let out = try IOTestSupport.python(script, [dir + "/s.zarr"])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "time,y,x [0, 10, 20, 30, 40] 120.0 \(1000 + IOPlanTests.value(Point(1, 2)))")
    }
}
