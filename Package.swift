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
        .target(name: "Patchwork"),
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
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
