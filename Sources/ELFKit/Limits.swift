/// Every bound this project puts on sizes read from untrusted files, in one place
/// (docs/security.md lists them). A value past a bound makes the fact unreadable; it never
/// sizes an allocation or a loop beyond it.
public enum Limits {
    /// Decompressed size of a `SHF_COMPRESSED` section read by default.
    public static let decompressedSection = 256 << 20
    /// Decompressed size of the section name table (Go reads it whole) and of `.debug_info`
    /// when looking for the compiler's producer string.
    public static let nameTableOrDebugInfo = 64 << 20
    /// Length of `runtime.buildVersion` accepted (real values are a dozen bytes).
    public static let buildVersion = 256
    /// Length of `go:link.thispluginpath` accepted.
    public static let pluginPath = 4096
    /// Length of a Go type descriptor's name (`abi.Name`) accepted.
    public static let typeName = 1024
    /// Fields of `runtime.moduledata` accepted (the real struct has 41 to 47).
    public static let moduledataFields = 256
    /// pclntab headers tried per section when looking for one by its magic number.
    public static let pclntabCandidates = 64
    /// Functions and files a pclntab may claim (the largest real gateways have about 10^5).
    public static let pclntabFunctions = 1 << 22
    public static let pclntabFiles = 1 << 20
    /// Functions whose name does not resolve before a pclntab is taken for damaged.
    public static let pclntabMisses = 1024
    /// Length of one source file path in a pclntab.
    public static let sourcePath = 4096
}
