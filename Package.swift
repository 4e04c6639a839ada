// swift-tools-version: 6.2
import PackageDescription

/// Release builds compile the kernels for the build machine's CPU (as HPC codes build with
/// `-march=native`, and as the C references in the benchmarks do), in the library too: the library's
/// own uses pre-specialise its generic kernels, and the tool links those. `PATCHWORK_PORTABLE=1`
/// builds for the baseline CPU instead (for a binary that runs on other machines).
let nativeCPU: [SwiftSetting] = Context.environment["PATCHWORK_PORTABLE"] == nil
    ? [.unsafeFlags(["-target-cpu", "native"], .when(configuration: .release))]
    : []

let package = Package(
    name: "Patchwork",
    products: [
        .library(name: "Patchwork", targets: ["Patchwork"]),
        .executable(name: "patchwork", targets: ["PatchworkCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The library: one folder per layer (Geometry, Arrays, Exchange, ...), see DESIGN.md.
        .target(
            name: "Patchwork", dependencies: ["CMPI", "CPNG", "CHDF5", "CZstd", "CCRC32C", "CSpinHint"],
            swiftSettings: nativeCPU
        ),
        // Open MPI (Debian's libopenmpi-dev) with a shim header for the macros Swift cannot import.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        // libpng (Debian's libpng-dev) for the PNG pictures of IO/Picture.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // C libraries of the IO layer (Debian packages, see scripts/setup.sh).
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-openmpi-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CCRC32C"),  // header-only: the SSE4.2 crc32 instruction
        .systemLibrary(name: "CSpinHint"),  // header-only: the CPU's spin-wait hint
        .executableTarget(
            name: "PatchworkCLI",
            dependencies: [
                "Patchwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: nativeCPU,
            // jemalloc (static, Debian's libjemalloc-dev) replaces glibc's malloc in the `patchwork`
            // process: tasks are allocated by the thread that submits them and freed by the one
            // that runs them, and glibc then takes an arena lock on every free (measured: 0.28-0.34
            // against 0.17 us per task without dependencies, 2 workers). HPX links an allocator of
            // this kind by default for the same reason.
            linkerSettings: [.linkedLibrary(":libjemalloc_pic.a"), .linkedLibrary("pthread"), .linkedLibrary("dl")]
        ),
        .testTarget(
            name: "PatchworkTests",
            dependencies: [
                "Patchwork",
                "CPNG",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
