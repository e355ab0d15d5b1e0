import ELFKit

/// What Go's `debug/buildinfo.ReadFile` returns for one file: the toolchain version and the
/// module info, read the way `go version -m` reads them (format sniffing, Go's ELF
/// strictness, both blob formats, Go's module info parser).
public struct GoBuildInfo: Sendable, Hashable {
    /// `go1.25.5` (with ` X:experiment` when GOEXPERIMENT was set).
    public var goVersion: String
    public var moduleInfo: ModuleInfo

    /// Why `ReadFile` failed, with the wording `go version -m` prints.
    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The file could not be opened or read: Go prints only the path.
        case cannotOpen(Errno)
        /// A Mach-O, PE, XCOFF or Plan 9 file: Go would read it, this tool reads ELF only.
        case otherExecutableFormat(String)
        case buildInfo(GoBuildInfoError)

        public var description: String {
            switch self {
            case .cannotOpen(let e): return e.goDescription
            case .otherExecutableFormat(let format): return "\(format) file: plugincheck reads ELF files only"
            case .buildInfo(let e): return e.description
            }
        }
    }

    /// `buildinfo.ReadFile(path)`.
    public static func read(path: String) throws(ReadError) -> GoBuildInfo {
        let file: ELFFile
        do {
            file = try ELFFile(path: path)
        } catch .cannotOpen(let errno) {
            throw .cannotOpen(errno)
        } catch .notELF {
            if case .success(let head) = leadingBytes(of: path, count: 4), let format = ExecutableFormat.sniff(head) {
                throw .otherExecutableFormat(format)
            }
            throw .buildInfo(.unrecognizedFormat)
        } catch {
            throw .buildInfo(.unrecognizedFormat)
        }
        // Go's ELF reader is stricter than ours about some damaged headers.
        if GoELFStrictness.rejection(file) != nil { throw .buildInfo(.unrecognizedFormat) }
        do throws(GoBuildInfoError) {
            let blob = try BuildInfoBlob.read(from: file)
            let info = try ModuleInfo.parse(blob.moduleInfo)
            return GoBuildInfo(goVersion: blob.goVersion, moduleInfo: info)
        } catch {
            throw .buildInfo(error)
        }
    }
}
