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
    /// Type descriptors one plugin's export table makes the reader follow (each export reads its
    /// own, its pointer element and its methods' and parameters' types).
    public static let typeDescriptors = 4096
    /// Exported methods of one type read from its uncommon type.
    public static let typeMethods = 512
    /// Parameters plus results of one func type.
    public static let funcParameters = 64
    /// Entries of a plugin's export table (`moduledata.ptab`).
    public static let pluginExports = 4096
    /// Dynamic relocations scanned for the module data's pclntab pointer.
    public static let relocationsScanned = 4_000_000
    /// Length of a registerer's string value (its registered name) read.
    public static let registeredName = 4096
}

// Target root file systems (--sysroot): DynamicLoading's library search.
extension Limits {
    /// Symbolic links followed while resolving one path inside a root (Linux's own limit is 40).
    public static let rootSymlinks = 40
    /// Bytes of `/etc/ld.so.cache` read (real caches are tens of kilobytes).
    public static let loaderCache = 16 << 20
    /// Bytes of one ld.so.conf file, and files read through its `include` lines in all.
    public static let loaderConfig = 1 << 20
    public static let loaderConfigFiles = 256
    /// Libraries one dlopen may map (the plugin and its dependencies, transitively).
    public static let loadedObjects = 1024
    /// Version definitions and needs read from one object.
    public static let symbolVersions = 1 << 16
}

// Container images (--image): the archive and its layers are untrusted input.
extension Limits {
    /// Bytes of one JSON document of an image (index.json, manifest.json, a manifest, a config).
    public static let imageJSON = 4 << 20
    /// Manifests followed from an image index to the image's manifest (nested indexes).
    public static let imageIndexDepth = 4
    /// Layers of one image (real images have tens; Docker's own limit is 127).
    public static let imageLayers = 256
    /// Members of an image tarball (docker-archive or OCI layout) indexed.
    public static let imageArchiveMembers = 1 << 16
    /// Entries of one layer, and of all layers together.
    public static let layerEntries = 1 << 20
    /// Size of one file of a layer, and bytes unpacked from all layers together.
    public static let layerFile = 4 << 30
    public static let imageUnpacked = 16 << 30
    /// Bytes of one PAX extended header or GNU long name/link record.
    public static let tarExtendedHeader = 1 << 20
    /// Length of an entry's path and of a link's target (Linux's PATH_MAX).
    public static let tarPath = 4096
}
