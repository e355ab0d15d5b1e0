import FuzzSupport

// libFuzzer target; see scripts/fuzz. Built with -DFUZZING the entry point is libFuzzer's;
// otherwise this is a replay driver: `FuzzConfig FILE...` runs each file through the target once.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzBodies.configuration(bytes)
    return 0
}
#else
@main
enum Replay {
    static func main() {
        FuzzBodies.replay(Array(CommandLine.arguments.dropFirst()), FuzzBodies.configuration)
    }
}
#endif
