import ELFKit
import FuzzSupport
import GoBinary

// libFuzzer target; see scripts/fuzz. Built with -DFUZZING the entry point is libFuzzer's;
// otherwise this is a replay driver: `FuzzELF FILE...` runs each file through the target once.

/// FuzzBodies.elf, then the pclntab source file table as PackageSources reads it (also
/// reached from inspect's reports, but here on every image that parses as ELF).
func fuzzELF(_ bytes: [UInt8]) {
    FuzzBodies.elf(bytes)
    guard let file = try? ELFFile(bytes: bytes, path: "fuzz") else { return }
    if let sources = PackageSources(file: file, moduleInfo: nil) {
        _ = sources.roots
    }
    // The plugin export table and type descriptors, whatever the file's role.
    _ = PluginExports(file: file, layout: RuntimeLayout(file: file), pluginPath: "main")
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    fuzzELF(bytes)
    return 0
}
#else
@main
enum Replay {
    static func main() {
        FuzzBodies.replay(Array(CommandLine.arguments.dropFirst()), fuzzELF)
    }
}
#endif
