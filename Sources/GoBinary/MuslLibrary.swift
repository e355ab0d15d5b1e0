import ELFKit

/// The symbols a musl C library defines, read from the library the gateway's program
/// interpreter names (musl's loader and libc are one file), when it exists and matches the
/// gateway's machine.
public enum MuslLibrary {
    public static func symbols(interpreter: String?, machine: ELFMachine, sysroot: String) -> Set<String>? {
        guard let interpreter else { return nil }
        let path = sysroot == "/" ? interpreter : sysroot + interpreter
        guard let file = try? ELFFile(path: path), file.header.machine == machine else { return nil }
        let names = file.symbols(.dynamic).lazy.filter { $0.isDefined && $0.binding != .local }.map(\.name)
        return Set(names)
    }
}
