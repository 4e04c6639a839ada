import Foundation
import Testing
@testable import Patchwork

@Suite struct SnapshotTests {
    /// Snapshots append along a time axis with their times and steps, read back into another
    /// floor plan, survive reopening, and xarray sees the time axis.
    @Test func appendReopenAndRead() throws {
        let dir = IOTestSupport.scratchDirectory("snap")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for store: any FileStore in [try ZarrStore.create(at: dir + "/s.zarr"), try HDF5Store.create(at: dir + "/s.h5")] {
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
        // xarray sees time and step as coordinates along the time axis, with exact values, in both
        // formats (HDF5 through h5netcdf: time is a dimension scale).
        let times = [0, 0.25, 0.5, 0.75, 1.0], steps: [Int64] = [0, 10, 20, 30, 40]
        let script = """
        import sys, xarray as xr
        ds = xr.open_zarr(sys.argv[1], consolidated=False) if sys.argv[1].endswith(".zarr") else xr.open_dataset(sys.argv[1], engine="h5netcdf")
        u = ds["u"]
        print(",".join(u.dims), sorted(ds.coords), list(ds.data_vars), ds["step"].dims, ds["time"].dtype, ds["step"].dtype)
        print(ds["time"].values.tobytes().hex(), ds["step"].values.tobytes().hex(), u.sel(time=0.25)[0, 0].item(), u[4].values.sum())
        """
        for path in [dir + "/s.zarr", dir + "/s.h5"] {
            let out = try IOTestSupport.python(script, [path]).split(separator: "\n").map(String.init)
            #expect(out == ["time,y,x ['step', 'time'] ['u'] ('time',) float64 int64",
                            "\(hex(times)) \(hex(steps)) \(1000 + IOPlanTests.value(Point(1, 2))) 120.0"], "\(path)")
        }
    }
}
