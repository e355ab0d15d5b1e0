/// One ELF note (`.note.*` sections or `PT_NOTE` segments).
public struct Note: Hashable, Sendable {
    /// `NT_GNU_BUILD_ID` in the `GNU` namespace.
    public static let gnuBuildIDType: UInt32 = 3
    /// `NT_GO_BUILDID`-style note written by the Go linker in the `Go` namespace.
    public static let goBuildIDType: UInt32 = 4

    public var name: String
    public var type: UInt32
    public var descriptor: [UInt8]
}
