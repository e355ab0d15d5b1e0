/// The facts of an ELF file that `plugincheck inspect` shows, as plain values (what
/// `readelf -h -l -d -S -V` and `-n` would print of it).
public struct ELFSummary: Sendable, Hashable {
    public var size: Int
    public var header: ELFHeader
    public var interpreter: String?
    public var needed: [String]
    public var soname: String?
    public var rpath: String?
    public var runpath: String?
    public var dynamicFlags: DynamicFlags
    public var buildID: String?
    public var stripped: Bool
    /// Section names in table order, without the null section.
    public var sectionNames: [String]
    /// `.dynsym` entries without the null symbol.
    public var dynamicSymbolCount: Int
    public var versionNeeds: [VersionNeed]

    public init(file: ELFFile) {
        size = file.size
        header = file.header
        interpreter = file.interpreter
        needed = file.needed
        soname = file.soname
        rpath = file.rpath
        runpath = file.runpath
        dynamicFlags = file.dynamicFlags
        buildID = file.gnuBuildID
        stripped = !file.hasSymbolTable
        sectionNames = file.sections.dropFirst().map(\.name)
        dynamicSymbolCount = max(0, file.symbols(.dynamic).count - 1)
        versionNeeds = file.versionNeeds
    }
}
