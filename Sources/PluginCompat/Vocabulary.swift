import ContainerImage
import DynamicLoading
import GoBinary
import GoModules

// The Go and loader layers' types that this module's public API hands to its callers
// (reports, the CLI, library users), named here so that those need no import of the
// layers below.
public typealias Module = GoBinary.Module
public typealias BuildSetting = GoBinary.BuildSetting
public typealias GoFacts = GoBinary.GoFacts
public typealias PluginFacts = GoBinary.PluginFacts
public typealias PluginExports = GoBinary.PluginExports
public typealias GoType = GoBinary.GoType
public typealias GoBuildInfo = GoBinary.GoBuildInfo
public typealias GoVersionScan = GoBinary.GoVersionScan
public typealias LoaderFacts = DynamicLoading.LoaderFacts
public typealias LibcFlavour = DynamicLoading.LibcFlavour
public typealias GlibcVersion = DynamicLoading.GlibcVersion
public typealias FileIdentity = DynamicLoading.FileIdentity
public typealias UnreadableObject = DynamicLoading.UnreadableObject
public typealias SelectedModule = GoModules.SelectedModule
public typealias MissingModFile = GoModules.MissingModFile
public typealias ModuleVersion = GoModules.ModuleVersion
public typealias PackageSources = GoBinary.PackageSources
public typealias SourceFileTable = GoBinary.SourceFileTable
// The target root's loader (issue 11: --sysroot for glibc).
public typealias GlibcProcess = DynamicLoading.GlibcProcess
public typealias GlibcLoadError = DynamicLoading.GlibcLoadError
public typealias MuslProcess = DynamicLoading.MuslProcess
public typealias MuslLoadError = DynamicLoading.MuslLoadError
public typealias PluginFolder = GoBinary.PluginFolder
public typealias UnpackedImage = ContainerImage.UnpackedImage
public typealias ImageError = ContainerImage.ImageError
