// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "plugincheck",
    products: [
        .executable(name: "plugincheck", targets: ["plugincheck"]),
        // What other Swift programs use: read ELF and Go facts, compare, write reports.
        .library(name: "PluginCheck", targets: ["ELFKit", "GoBinary", "PluginCompat", "PluginCheckReports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The only module that sees libelf's C API.
        .systemLibrary(
            name: "CLibELF",
            pkgConfig: "libelf",
            providers: [.apt(["libelf-dev"])]
        ),
        .target(name: "ELFKit", dependencies: ["CLibELF"]),
        .target(name: "GoBinary", dependencies: ["ELFKit"]),
        .target(name: "PluginCompat", dependencies: ["GoBinary"]),
        .target(name: "PluginCheckReports", dependencies: ["PluginCompat", "GoBinary", "ELFKit"]),
        .executableTarget(
            name: "plugincheck",
            dependencies: [
                "PluginCheckReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: repository paths, a parser for recorded readelf output, a process runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ELFKitTests", dependencies: ["ELFKit", "TestSupport"]),
        .testTarget(name: "GoBinaryTests", dependencies: ["GoBinary", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["PluginCheckReports", "TestSupport"]),
        .testTarget(name: "PluginCompatTests", dependencies: ["PluginCompat", "GoBinary", "TestSupport"]),
        // Checks the fixture matrix and the real loader's recorded outcomes (TestBinaries/).
        .testTarget(name: "MatrixTests"),
        // Hostile input (issue 5): fuzz targets (scripts/fuzz, libFuzzer with -DFUZZING; plain
        // builds give replay drivers) and the generated malformed-file suite.
        .target(name: "FuzzSupport", dependencies: ["ELFKit", "GoBinary", "PluginCheckReports"]),
        .executableTarget(name: "FuzzELF", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzBuildInfo", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzModuleInfo", dependencies: ["FuzzSupport"]),
        .testTarget(name: "MalformedInputTests", dependencies: ["ELFKit", "GoBinary", "FuzzSupport", "TestSupport"]),
    ]
)
