// The library's one import: `import PluginCheck` brings the comparison (`Compatibility`,
// `CompareReport`, `FileReport`, `Artifact`), the vocabulary of the layers below it, and the
// report writers. The modules it re-exports are documented in docs/library.md.
@_exported import PluginCheckReports
@_exported import PluginCompat
