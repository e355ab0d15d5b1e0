import DynamicLoading
import ELFKit
import Foundation
import GoBinary
import KrakenDConfig
import PluginCheckReports
import PluginCompat
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What each fuzz target does with one input. The targets only assert "no crash, no hang":
/// a Swift trap, an AddressSanitizer report or a libFuzzer timeout is the finding.
/// Shared with the tests, which replay the regression inputs through the same functions.
public enum FuzzBodies {
    /// The ELF layer and everything above it: open the bytes as an ELF file, read every fact
    /// the reports read, and render the text report.
    public static func elf(_ bytes: [UInt8]) {
        guard let file = try? ELFFile(bytes: bytes, path: "fuzz") else { return }
        let report = FileReport(path: "fuzz", elf: ELFSummary(file: file), loader: LoaderFacts(file: file), go: GoFacts(file: file))
        _ = TextReport.render(report)
        _ = file.dynamicRelocations.count
        _ = file.symbols(.full).count
    }

    /// The build info decoder on a flat address space: the input is the data segment, mapped
    /// at a fixed address, so pointer-format blobs can point inside, outside or in a loop.
    public static func buildInfo(_ bytes: [UInt8]) {
        let base: UInt64 = 0x40_0000
        let space = ByteArrayAddressSpace(base: base, bytes: bytes)
        guard let blob = try? BuildInfoBlob.read(from: space, dataStart: base, dataSize: UInt64(bytes.count)) else { return }
        _ = try? ModuleInfo.parse(blob.moduleInfo)
    }

    /// The module info parser and its writer, on arbitrary bytes (invalid UTF-8 included).
    public static func moduleInfo(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let info = try? ModuleInfo.parse(text) else { return }
        _ = try? ModuleInfo.parse(info.goString)
    }

    /// KrakenD's configuration reader on arbitrary bytes, as each format it reads; and the
    /// host-expectations reader (`--host-expectations`), which parses JSON the same way.
    public static func configuration(_ bytes: [UInt8]) {
        for format in [KrakenDConfiguration.Format.json, .yaml, .toml] {
            _ = try? KrakenDConfiguration.parse(Data(bytes), path: "fuzz", format: format)
        }
        _ = try? HostExpectations.parse(String(decoding: bytes, as: UTF8.self), path: "fuzz")
    }

    /// Runs `body` on the contents of each file named in `arguments` (the replay driver a
    /// build without libFuzzer gets); returns the number of files read.
    @discardableResult
    public static func replay(_ arguments: [String], _ body: ([UInt8]) -> Void) -> Int {
        var count = 0
        for path in arguments {
            guard let bytes = readFile(path) else {
                print("\(path): cannot read")
                continue
            }
            body(bytes)
            count += 1
        }
        print("replayed \(count) input(s)")
        return count
    }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            out += chunk[..<n]
        }
        return out
    }
}
