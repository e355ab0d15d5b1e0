/// This program's version, in every report that names the tool (`--version`, JSON, SARIF,
/// JUnit) and in the packages `scripts/package` builds.
public enum ToolVersion {
    public static let current = "0.3.0"
}
