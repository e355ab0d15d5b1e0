import ELFKit
import Foundation
@testable import GoBinary
import TestSupport
import XCTest

/// The export table and type descriptor reader against the real runtime: for every fixture plugin
/// (TestBinaries/out/manifest.json) whose toolchain has a typeref build (TestBinaries/src/typeref:
/// plugin.Open, then reflect on each Lookup result), the static reading must equal what the
/// runtime prints: names, reflect's String() and Kind, the exported methods with their types,
/// the pointer element's, func parameters, and the string a variable holds where it is constant.
final class TypeDescriptorTests: XCTestCase {
    struct Ref: Decodable, Equatable {
        struct Method: Decodable, Equatable { var name: String; var type: String }
        struct Elem: Decodable, Equatable { var kind: String; var string: String; var methods: [Method] }
        var name: String
        var kind: String
        var string: String
        var methods: [Method]
        var elem: Elem?
        var inputs: [String]
        var outputs: [String]
        var variadic: Bool
        var stringValue: String?
    }

    struct Entry: Decodable { var name: String; var role: String; var toolchain: String?; var goarch: String? }

    /// The typeref host for a plugin's toolchain and architecture, and how to run it.
    static func host(_ e: Entry) -> [String]? {
        guard let t = e.toolchain else { return nil }
        let version = t.hasPrefix("go1.19") ? "1.19" : String(t.dropFirst(2))
        switch e.goarch {
        case "amd64": return (try? Paths.fixture("typeref-go\(version)")).map { [$0] }
        case "386":
            guard let h = try? Paths.fixture("typeref-go\(version)-386") else { return nil }
            return ["/usr/i686-linux-gnu/lib/ld-linux.so.2", "--library-path", "/usr/i686-linux-gnu/lib", h]
        default: return nil
        }
    }

    static func ours(_ path: String) throws -> [Ref]? {
        let facts = GoFacts(file: try ELFFile(path: path))
        guard let exports = facts.plugin?.exports else { return nil }
        return exports.exports.map { x in
            Ref(name: x.name, kind: x.type.kind, string: x.type.string,
                methods: x.type.methods.map { Ref.Method(name: $0.name, type: $0.type ?? "?") },
                elem: x.type.elem.map { Ref.Elem(kind: $0.kind, string: $0.string,
                                                 methods: $0.methods.map { Ref.Method(name: $0.name, type: $0.type ?? "?") }) },
                inputs: x.type.inputs, outputs: x.type.outputs, variadic: x.type.variadic, stringValue: x.stringValue)
        }.sorted { $0.name < $1.name }
    }

    func testExportsAgreeWithTheRuntime() throws {
        let manifest = Paths.fixtures.appendingPathComponent("manifest.json")
        struct Manifest: Decodable { var files: [Entry] }
        let entries = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifest)).files
        var compared: [String] = [], notLoaded: [String] = [], versions = Set<String>(), exports = 0, methods = 0
        var stripped = 0, constants = 0
        for e in entries where e.role == "plugin" {
            let path = Paths.fixtures.appendingPathComponent(e.name).path
            guard let host = Self.host(e) else { continue }
            let r = try ProcessResult.run(host[0], Array(host.dropFirst()) + [path])
            guard r.status == 0 else { notLoaded.append(e.name); continue }
            var real = try JSONDecoder().decode([Ref].self, from: Data(r.stdout.utf8)).sorted { $0.name < $1.name }
            let static_ = try XCTUnwrap(try Self.ours(path), "\(e.name): no export table read")
            // A string read statically must be the runtime's; one set at run time is not read.
            for i in real.indices where i < static_.count && static_[i].stringValue == nil { real[i].stringValue = nil }
            XCTAssertEqual(static_, real, e.name)
            compared.append(e.name)
            versions.insert("\(e.toolchain ?? "?")/\(e.goarch ?? "?")")
            exports += real.count
            methods += real.reduce(0) { $0 + $1.methods.count }
            constants += static_.filter { $0.stringValue != nil }.count
            if e.name.contains("strip") || e.name.contains("-sw") { stripped += 1 }
        }
        print("type descriptors: \(compared.count) plugins agree with the runtime (\(exports) exports, \(methods) methods, \(constants) constant strings, \(stripped) stripped) across \(versions.sorted()); \(notLoaded.count) not loadable into a plain typeref host: \(notLoaded)")
        XCTAssertGreaterThanOrEqual(compared.count, 40)
        XCTAssertGreaterThanOrEqual(versions.count, 6)
        XCTAssertGreaterThanOrEqual(stripped, 10)
    }

    /// Damaged copies of a plugin never crash the reader and never read past the bounds.
    func testDamagedExportTablesDoNotCrash() throws {
        let path = try Paths.fixture("reg-good-go1.25.5.so")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("typedesc-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var state: UInt64 = 0x9e3779b97f4a7c15
        for round in 0..<24 {
            var copy = bytes
            for _ in 0..<4096 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let at = Int(state >> 33) % copy.count
                // Spare the ELF header and headers tables so that libelf opens the file.
                if at < 0x1000 { continue }
                copy[at] = UInt8(truncatingIfNeeded: state >> 17)
            }
            let out = dir.appendingPathComponent("damaged-\(round).so")
            try Data(copy).write(to: out)
            if let file = try? ELFFile(path: out.path) { _ = GoFacts(file: file).plugin?.exports }
        }
        bytes.removeAll()
    }
}
