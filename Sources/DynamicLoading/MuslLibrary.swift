import ELFKit

/// The symbols a musl C library defines, read from the library the gateway's program
/// interpreter names (musl's loader and libc are one file).
public enum MuslLibrary {
    /// Why musl's library could not be used.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The gateway names no program interpreter.
        case noInterpreter
        /// No readable ELF file at the path.
        case unreadable(path: String, reason: String)
        /// The file is for another machine.
        case otherMachine(path: String, machine: String)

        public var description: String {
            switch self {
            case .noInterpreter: return "the gateway has no program interpreter"
            case .unreadable(let path, let reason): return "musl's C library \(path): \(reason)"
            case .otherMachine(let path, let machine): return "musl's C library \(path) is for \(machine), not the gateway's machine"
            }
        }
    }

    /// The path the interpreter has under `sysroot` ("/" is this machine).
    public static func path(interpreter: String, sysroot: String) -> String {
        sysroot == "/" ? interpreter : (sysroot.hasSuffix("/") ? String(sysroot.dropLast()) : sysroot) + interpreter
    }

    /// The names of the dynamic symbols the library defines.
    public static func symbols(interpreter: String?, machine: ELFMachine, sysroot: String) -> Result<Set<String>, Failure> {
        guard let interpreter else { return .failure(.noInterpreter) }
        let path = path(interpreter: interpreter, sysroot: sysroot)
        let file: ELFFile
        do {
            file = try ELFFile(path: path)
        } catch {
            return .failure(.unreadable(path: path, reason: error.description))
        }
        guard file.header.machine == machine else { return .failure(.otherMachine(path: path, machine: file.header.machine.name)) }
        let names = file.symbols(.dynamic).lazy.filter { $0.isDefined && $0.binding != .local }.map(\.name)
        return .success(Set(names))
    }
}
