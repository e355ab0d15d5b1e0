/// Recognises the executable formats other than ELF that Go's tools read, so that the
/// user hears "only ELF is supported" rather than "unrecognized file format".
enum ExecutableFormat {
    /// "Mach-O", "PE", "XCOFF" or "Plan 9" from a file's first bytes; nil for anything else.
    static func sniff(_ b: [UInt8]) -> String? {
        guard b.count >= 4 else { return nil }
        if b[0] == 0x4d && b[1] == 0x5a { return "PE" }  // "MZ"
        if (b[0] == 0xfe && b[1] == 0xed && b[2] == 0xfa) || (b[1] == 0xfa && b[2] == 0xed && b[3] == 0xfe) { return "Mach-O" }
        if b[0] == 0xca && b[1] == 0xfe && b[2] == 0xba && (b[3] == 0xbe || b[3] == 0xbf) { return "Mach-O universal" }
        if b[0] == 0x01 && (b[1] == 0xdf || b[1] == 0xf7) { return "XCOFF" }
        let m = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
        if m == 0x1eb || m == 0x8a97 || m == 0x647 { return "Plan 9" }
        return nil
    }
}
