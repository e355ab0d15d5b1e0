import Foundation
import TestSupport
import XCTest

/// The layering docs/architecture.md draws is the one Package.swift declares, and the
/// sources import no more than their target's dependencies allow.
final class ArchitectureTests: XCTestCase {
    /// Each layer's module and the modules it may depend on (the layer directly below).
    static let layers: [String: Set<String>] = [
        "ELFKit": ["CLibELF"],
        "GoBinary": ["ELFKit"],
        "DynamicLoading": ["ELFKit"],
        "GoModules": ["ELFKit"],
        "ContainerImage": ["ELFKit", "CZlib", "Crypto"],
        "KrakenDConfig": ["Yams", "TOMLKit"],
        "PluginCompat": ["GoBinary", "DynamicLoading", "KrakenDConfig", "GoModules", "ContainerImage"],
        "PluginCheckReports": ["PluginCompat"],
        "plugincheck": ["PluginCheckReports", "ArgumentParser"],
        "PluginCheck": ["PluginCheckReports", "PluginCompat"],
    ]

    func testPackageDeclaresExactlyTheLayers() throws {
        // A scratch path of its own: the running `swift test` holds the lock on .build.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("plugincheck-dump-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dump = try ProcessResult.run("/usr/bin/env", ["swift", "package", "--scratch-path", scratch.path, "dump-package"], cwd: Paths.root)
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let targets = try XCTUnwrap(json["targets"] as? [[String: Any]])
        for (name, allowed) in Self.layers {
            let target = try XCTUnwrap(targets.first { $0["name"] as? String == name }, name)
            let deps = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dep -> String? in
                if let byName = dep["byName"] as? [Any] { return byName.first as? String }
                if let product = dep["product"] as? [Any] { return product.first as? String }
                if let target = dep["target"] as? [Any] { return target.first as? String }
                return nil
            }
            XCTAssertEqual(Set(deps), allowed, name)
        }
    }

    func testSourcesImportOnlyTheirDependencies() throws {
        let lower: Set<String> = ["CLibELF", "CZlib", "ELFKit", "GoBinary", "DynamicLoading", "GoModules", "ContainerImage", "KrakenDConfig", "PluginCompat", "PluginCheckReports", "Yams", "TOMLKit", "Crypto"]
        for (name, allowed) in Self.layers where name != "PluginCheck" {
            let dir = Paths.root.appendingPathComponent("Sources/\(name)")
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@_exported import ") {
                    let module = String(line.split(separator: " ").last ?? "")
                    if lower.contains(module) {
                        XCTAssertTrue(allowed.contains(module), "Sources/\(name)/\(file) imports \(module)")
                    }
                    XCTAssertFalse(line.hasPrefix("@_exported"), "Sources/\(name)/\(file) re-exports \(module)")
                }
            }
        }
    }

    func testTheArchitecturePageNamesEveryModule() throws {
        let page = try String(contentsOf: Paths.root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        for name in Self.layers.keys {
            XCTAssertTrue(page.contains(name), "docs/architecture.md does not mention \(name)")
        }
    }
}
