// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "plugincheck",
    products: [
        .executable(name: "plugincheck", targets: ["plugincheck"]),
        // What other Swift programs use: one import, `import PluginCheck` (docs/library.md).
        .library(name: "PluginCheck", targets: ["PluginCheck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // KrakenD's configuration formats besides JSON.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // SHA-256/512 of image blobs, checked against their digests (--image).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The layers, each depending only on the one below (docs/architecture.md draws them).
        // 1. libelf's C API, seen only by ELFKit.
        .systemLibrary(
            name: "CLibELF",
            pkgConfig: "libelf",
            providers: [.apt(["libelf-dev"])]
        ),
        // 2. The ELF file and the operating system's file calls.
        .target(name: "ELFKit", dependencies: ["CLibELF"]),
        // 3. What a file is to Go (build info, fingerprints, plugin and host facts) and, beside
        //    it, what it is to the dynamic loader (libc, symbol versions, relocations).
        .target(name: "GoBinary", dependencies: ["ELFKit"]),
        .target(name: "DynamicLoading", dependencies: ["ELFKit"]),
        //    And a container image's layers (--image): OCI layouts and docker-archive tarballs,
        //    gzip through zlib (which libelf links already).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "ContainerImage", dependencies: ["ELFKit", "CZlib", .product(name: "Crypto", package: "swift-crypto")]),
        //    And what a module folder will build from: go.mod, go.sum, go.work,
        //    vendor/modules.txt and minimum version selection over the module cache.
        .target(name: "GoModules", dependencies: ["ELFKit"]),
        //    And what a KrakenD configuration asks of plugins (JSON, YAML, TOML).
        .target(name: "KrakenDConfig", dependencies: [
            .product(name: "Yams", package: "Yams"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // 4. The loader simulation, its causes and the report model.
        .target(name: "PluginCompat", dependencies: ["GoBinary", "DynamicLoading", "KrakenDConfig", "GoModules", "ContainerImage"]),
        // 5. Report writers (text, JSON, SARIF, `go version -m`) and the commands as calls.
        .target(name: "PluginCheckReports", dependencies: ["PluginCompat"]),
        // The library product's one import: re-exports the report and model layers.
        .target(name: "PluginCheck", dependencies: ["PluginCheckReports", "PluginCompat"]),
        .executableTarget(
            name: "plugincheck",
            dependencies: [
                "PluginCheckReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: repository paths, a parser for recorded readelf output, a process runner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ELFKitTests", dependencies: ["ELFKit", "DynamicLoading", "TestSupport"]),
        .testTarget(name: "GoBinaryTests", dependencies: ["GoBinary", "TestSupport"]),
        // deps (issue 12): GoModules against `go list -m all`, deps against the real loader.
        .testTarget(name: "DepsTests", dependencies: ["GoModules", "PluginCompat", "PluginCheckReports", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["PluginCheckReports", "PluginCompat", "TestSupport"]),
        .testTarget(name: "PluginCompatTests", dependencies: ["PluginCompat", "GoBinary", "DynamicLoading", "ELFKit", "PluginCheck", "TestSupport"]),
        // Checks the fixture matrix and the real loader's recorded outcomes (TestBinaries/).
        .testTarget(name: "MatrixTests"),
        // Hostile input (issue 5): fuzz targets (scripts/fuzz, libFuzzer with -DFUZZING; plain
        // builds give replay drivers) and the generated malformed-file suite.
        .target(name: "FuzzSupport", dependencies: ["ELFKit", "GoBinary", "DynamicLoading", "KrakenDConfig", "PluginCompat", "PluginCheckReports"]),
        .executableTarget(name: "FuzzELF", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzBuildInfo", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzModuleInfo", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport"]),
        .testTarget(name: "MalformedInputTests", dependencies: ["ELFKit", "GoBinary", "FuzzSupport", "TestSupport"]),
    ]
)
