/// The bounds on hostile input that this module applies; each says why it is that large.
public enum Limits {
    /// go.mod, go.work: the go command itself refuses none, but real ones are kilobytes; a
    /// larger file is not a module file (Kubernetes' go.mod is about 20 KiB).
    public static let maxModFileBytes = 4 << 20
    /// go.sum and vendor/modules.txt grow with the graph: big monorepos reach a few MiB.
    public static let maxListFileBytes = 64 << 20
    /// Versions longer than this are no version the go command writes (pseudo-versions are ~40).
    static let maxVersionLength = 512
    /// Modules in one graph: a hostile cache cannot make the walk run unbounded.
    public static let maxGraphModules = 100_000
}
