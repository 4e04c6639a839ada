// swift-tools-version: 6.2
import PackageDescription

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
        .target(name: "Patchwork", dependencies: ["CMPI", "CPNG", "CHDF5", "CZstd", "CCRC32C"]),
        // Open MPI (Debian's libopenmpi-dev) with a shim header for the macros Swift cannot import.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
        // libpng (Debian's libpng-dev) for the PNG pictures of IO/Picture.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // C libraries of the IO layer (Debian packages, see scripts/setup.sh).
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-openmpi-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CCRC32C"),  // header-only: the SSE4.2 crc32 instruction
        .executableTarget(
            name: "PatchworkCLI",
            dependencies: [
                "Patchwork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds of the tool specialise the library's @inlinable kernels for the build
            // machine's CPU, as the C references in the benchmarks use gcc -march=native.
            swiftSettings: [.unsafeFlags(["-target-cpu", "native"], .when(configuration: .release))]
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
