import DynamicLoading
import GoBinary

/// What the gateway's dynamic loader (glibc's or musl's) says when `dlopen` is handed a
/// file, decided from the two files' ELF facts. The wording is each loader's own.
struct DynamicLoader {
    let gateway: LoaderFacts
    let options: CompareOptions
    /// Symbols the gateway's libc defines (musl only: glibc's are not read yet), or why they
    /// could not be read; nil for a glibc gateway.
    let libcSymbols: Result<Set<String>, MuslLibrary.Failure>?
    /// Symbols defined by the gateway and by everything dlopened so far (the global scope).
    var scopeSymbols: Set<String>
    /// glibc's link map of the gateway on the target root (`--sysroot`, else this machine),
    /// when the gateway's libraries could be resolved there: every plugin's libraries,
    /// symbol versions and undefined symbols are then resolved as `ld.so` does.
    var glibc: GlibcProcess?
    /// musl's loader of the gateway on the target root, for the libraries plugins need.
    var musl: MuslProcess?

    /// After a plugin was accepted: its objects (what `check` mapped) join the global scope.
    mutating func didLoad(_ plugin: Artifact, mapped: Mapped) {
        scopeSymbols.formUnion(plugin.elf?.definedSymbols ?? [])
        switch mapped {
        case .none: break
        case .musl(let new):
            for o in new.dropFirst() { scopeSymbols.formUnion(o.facts.definedSymbols) }
            musl?.commit(new)
        case .glibc(let pending):
            glibc?.commit(pending)
        }
    }

    /// The objects the target root's loader mapped for an accepted plugin, read once.
    enum Mapped {
        case none
        case glibc(GlibcProcess.Pending)
        case musl([MuslObject])
    }

    /// What musl maps for the plugin: itself, then its libraries; nil when it needs no library
    /// besides musl's C library (or musl's loader is not known).
    private func muslLibraries(_ elf: LoaderFacts, _ real: String) -> Result<[MuslObject], MuslLoadError>? {
        guard let musl, elf.needed.contains(where: { !MuslSearch.isOwnName($0) }) else { return nil }
        return musl.open(hostPath: real, name: real)
    }

    struct Rejection {
        var message: String
        var finding: Finding
    }

    /// What the loader does with a file.
    enum Outcome {
        case accepts(Mapped)
        case rejects(Rejection)
        /// A fact the decision needs is missing (musl's library could not be read).
        case undecidable(Finding)
    }

    var isMusl: Bool { gateway.libc == .musl }

    func check(_ plugin: Artifact, realPath: String) -> Outcome {
        if let error = plugin.readError { return .rejects(rejectUnreadable(error, plugin, realPath)) }
        guard let elf = plugin.elf else { return .accepts(.none) }
        if isMusl { return checkMusl(elf, realPath) }
        return checkGlibc(elf, realPath)
    }

    // MARK: glibc (elf/dl-load.c: open_verify, _dl_map_object_from_fd)

    private func checkGlibc(_ elf: LoaderFacts, _ real: String) -> Outcome {
        if let rejection = checkGlibcHeader(elf, real) { return .rejects(rejection) }
        switch glibc?.open(hostPath: real, name: real) {
        case .failure(let error)?: return .rejects(Rejection(message: error.description, finding: Self.finding(error, root: options.rootName)))
        case .success(let pending)?: return .accepts(.glibc(pending))
        case nil: return .accepts(.none)
        }
    }

    private func checkGlibcHeader(_ elf: LoaderFacts, _ real: String) -> Rejection? {
        if elf.elfClass != gateway.elfClass {
            return Rejection(message: "\(real): wrong ELF class: ELFCLASS\(elf.elfClass == .elf32 ? 32 : 64)", finding: archFinding(elf,
                "the plugin is \(elf.elfClass) and the gateway \(gateway.elfClass): glibc refuses a file of the other class"))
        }
        if elf.dataEncoding != gateway.dataEncoding {
            let order = gateway.dataEncoding == .littleEndian ? "little-endian" : "big-endian"
            return Rejection(message: "\(real): ELF file data encoding not \(order)", finding: archFinding(elf,
                "the plugin is \(elf.dataEncoding) and the gateway \(gateway.dataEncoding)"))
        }
        if elf.osABI != .none && elf.osABI != .gnu {
            return Rejection(message: "\(real): ELF file OS ABI invalid", finding: Finding(
                check: .architecture, severity: .error, plugin: elf.osABI.description, gateway: gateway.osABI.description,
                explanation: "glibc loads only System V and GNU/Linux objects", fix: "build the plugin for Linux (GOOS=linux)"))
        }
        if elf.machine != gateway.machine {
            // glibc skips a file for another CPU as if it did not exist (ENOENT).
            return Rejection(message: "\(real): cannot open shared object file: No such file or directory", finding: archFinding(elf,
                "the plugin is built for \(elf.machine.name) and the gateway for \(gateway.machine.name); glibc reports a file for another CPU as missing, although it exists"))
        }
        if elf.type == .executable {
            return Rejection(message: "\(real): cannot dynamically load executable", finding: notPluginFinding(
                "an executable", "glibc refuses to dlopen an executable; it was not built with -buildmode=plugin"))
        }
        if elf.type == .sharedObject && elf.interpreter != nil {
            return Rejection(message: "\(real): cannot dynamically load position-independent executable", finding: notPluginFinding(
                "a position-independent executable", "it has a program interpreter, so it is a program; glibc refuses to dlopen it"))
        }
        if elf.type != .sharedObject {
            return Rejection(message: "\(real): only ET_DYN and ET_EXEC can be loaded", finding: notPluginFinding(
                "an ELF \(elf.type) file", "only shared objects can be loaded"))
        }
        if let musl = elf.needed.first(where: { $0 == "libc.so" || $0.hasPrefix("libc.musl-") }) {
            // glibc looks the name up in its search path; with libc6-dev installed it finds the
            // linker script /lib/<triplet>/libc.so and rejects it.
            let triplet = gateway.debianTriplet
            let message = musl == "libc.so"
                ? "/lib/\(triplet)/libc.so: invalid ELF header"
                : "\(musl): cannot open shared object file: No such file or directory"
            return Rejection(message: message, finding: Finding(
                check: .libc, severity: .error, plugin: "musl (NEEDED \(musl))", gateway: "glibc",
                explanation: "the plugin was linked against musl and names musl's C library, which a glibc system does not have under that name" + (musl == "libc.so" ? " (without libc6-dev installed the message is `libc.so: cannot open shared object file: No such file or directory`)" : ""),
                fix: "build the plugin with the same C library as the gateway: a glibc toolchain (CC=gcc on a glibc system), not musl-gcc / Alpine",
                rebuild: Rebuild(environment: ["CC": "gcc"])))
        }
        if let target = options.targetGlibc, let need = elf.glibcRequirements.first(where: { $0 > target }) {
            let triplet = gateway.debianTriplet
            return Rejection(message: "/lib/\(triplet)/libc.so.6: version `\(need)' not found (required by \(real))", finding: Finding(
                check: .glibcVersion, severity: .error, plugin: "needs \(need)", gateway: "target system has \(target)",
                explanation: "the plugin was linked on a newer glibc than the target system provides",
                fix: "build the plugin on (or against a sysroot of) glibc \(target.components.map(String.init).joined(separator: ".")) or older"))
        }
        return nil
    }

    /// The finding for what glibc's loader said on the target root.
    static func finding(_ error: GlibcLoadError, root: String) -> Finding {
        let target = root == "/" ? "this machine" : "the target root \(root)"
        switch error.kind {
        case .missingLibrary(let name, let by, let searched):
            return Finding(check: .sharedLibrary, severity: .error, plugin: "\(by) needs \(name)", gateway: "not found on \(target)",
                           explanation: "glibc's loader looks for \(name) as \(by)'s DT_NEEDED entry: " + (searched.isEmpty ? "too many libraries" : "in " + searched.joined(separator: ", ")) + "; none is there",
                           fix: "install \(name) in the gateway's image, or deploy it next to the plugin and link the plugin with -Wl,-rpath,'$ORIGIN' (its DT_RUNPATH), or link that library statically")
        case .missingVersion(let lib, let version, let by):
            let old = GlibcVersion(symbolVersion: version) != nil
            return Finding(check: .glibcVersion, severity: .error, plugin: "\(by) needs \(version)", gateway: "\(lib) on \(target) does not define it",
                           explanation: old ? "the plugin was linked against a newer glibc than the target system has" : "the library on the target system is older than the one the plugin was linked against",
                           fix: old ? "build the plugin in the gateway's builder image (the same distribution release), or against a sysroot of the target's glibc (gcc --sysroot)" : "link the plugin against the version of \(lib) that the target system has, or install the newer one there")
        case .undefinedSymbol(let object, let symbol, let version):
            return Finding(check: .undefinedSymbol, severity: .error, plugin: "\(object) needs \(symbol)" + (version.map { " (\($0))" } ?? ""),
                           gateway: "defined by neither the gateway, the plugins opened before, nor the plugin's libraries",
                           explanation: "glibc binds every symbol at dlopen (RTLD_NOW): a C function the plugin calls but no library linked into it defines fails the load",
                           fix: "link the library that defines \(symbol) into the plugin (#cgo LDFLAGS: -l...), or fix the name; build with -Wl,--no-undefined to see it at link time")
        }
    }

    // MARK: musl (ldso/dynlink.c: map_library, do_relocs)

    private func checkMusl(_ elf: LoaderFacts, _ real: String) -> Outcome {
        if elf.type != .sharedObject && elf.type != .executable {
            return .rejects(Rejection(message: "Error loading shared library \(real): Exec format error", finding: notPluginFinding(
                "an ELF \(elf.type) file", "only shared objects can be loaded")))
        }
        if !elf.muslFactsRead {
            // Read for a glibc gateway (Artifact.read(path:musl: .skip)): what musl binds is not known.
            return .undecidable(Finding(
                check: .libc, severity: .error, plugin: "relocations not read", gateway: "musl",
                explanation: "the plugin's relocations and symbols were not read, so whether musl's loader binds them cannot be told",
                fix: "read the plugin with Artifact.read(path:) (all loader facts) before comparing it with a musl gateway"))
        }
        // load_deps: every library is mapped before any symbol is bound.
        var libraries: [MuslObject] = []
        var mapped = Mapped.none
        switch muslLibraries(elf, real) {
        case .failure(let e)?: return .rejects(Rejection(message: e.description, finding: Self.finding(e, root: options.rootName)))
        case .success(let new)?:
            libraries = Array(new.dropFirst())
            mapped = .musl(new)
        case nil: break
        }
        // dlopen puts the new objects in the global scope before it relocates them, the
        // plugin first, then its libraries in load order.
        var scope = scopeSymbols
        for o in libraries { scope.formUnion(o.facts.definedSymbols) }
        if let rejection = relocateMusl(elf, name: real, plugin: elf, scope: scope) { return rejection }
        for o in libraries {
            if let rejection = relocateMusl(o.facts, name: o.name, plugin: elf, scope: scope) { return rejection }
        }
        return .accepts(mapped)
    }

    /// musl's `do_relocs` on one object: the first relocation whose symbol nothing in the
    /// scope (or musl's C library) defines, or whose type musl does not know, fails the load.
    private func relocateMusl(_ object: LoaderFacts, name real: String, plugin elf: LoaderFacts, scope: Set<String>) -> Outcome? {
        // musl does not compare e_machine: it maps the file and fails on the first relocation
        // it cannot resolve or does not know, in the order it processes them.
        let supported = gateway.muslSupportedRelocations
        for r in object.relocationsInMuslOrder where r.type != 0 {
            if let name = r.symbol, !r.weak, !scope.contains(name) {
                switch libcSymbols {
                case .success(let defined)? where defined.contains(name):
                    break
                case .success?, nil:
                    let message = "Error relocating \(real): \(name): symbol not found"
                    if object.libc == .musl || elf.libc == .musl {
                        // Linked against musl: a C function no library provides, as on glibc.
                        return .rejects(Rejection(message: message, finding: Self.finding(
                            GlibcLoadError(kind: .undefinedSymbol(object: real, symbol: name, version: nil)), root: options.rootName)))
                    }
                    return .rejects(Rejection(message: message, finding: Finding(
                        check: .libc, severity: .error, plugin: "needs \(name)", gateway: "musl does not define it",
                        explanation: name.hasSuffix("_chk")
                            ? "\(name) is glibc's _FORTIFY_SOURCE variant; the plugin's C code was compiled with fortification against glibc, and musl has no such function"
                            : "the plugin was linked against glibc and uses a symbol musl does not provide",
                        fix: "build the plugin with musl like the gateway (CC=musl-gcc, or on Alpine)" + (name.hasSuffix("_chk") ? ", or compile its C code with -U_FORTIFY_SOURCE" : ""),
                        rebuild: Rebuild(environment: ["CC": "musl-gcc"]))))
                case .failure(let why)?:
                    return .undecidable(Finding(
                        check: .libc, severity: .error, plugin: "needs \(name)", gateway: "musl's C library could not be read: \(why)",
                        explanation: "whether musl's loader can bind \(name) depends on the symbols of the gateway's C library, which could not be read",
                        fix: "pass --sysroot with the gateway's root file system (its image unpacked), which holds \(gateway.interpreter ?? "musl's loader")"))
                }
            }
            if let supported, !supported.contains(r.type) {
                return .rejects(Rejection(message: "Error relocating \(real): unsupported relocation type \(r.type)", finding: archFinding(elf,
                    "the plugin is built for \(elf.machine.name) and the gateway for \(gateway.machine.name); musl does not check the CPU and fails on the first relocation it does not know")))
            }
        }
        return nil
    }

    /// The finding for a library musl's loader did not find on the target root.
    static func finding(_ error: MuslLoadError, root: String) -> Finding {
        let target = root == "/" ? "this machine" : "the target root \(root)"
        return Finding(check: .sharedLibrary, severity: .error, plugin: "\(error.neededBy) needs \(error.name)", gateway: "not found on \(target)",
                       explanation: "musl's loader looks for \(error.name) as \(error.neededBy)'s DT_NEEDED entry: "
                           + (error.searched.isEmpty ? "too many libraries" : "in " + error.searched.joined(separator: ", ")) + "; " + error.reason,
                       fix: "install \(error.name) in the gateway's image (on Alpine: apk add the package that holds it), or deploy it next to the plugin and link the plugin with -Wl,-rpath,'$ORIGIN' (its DT_RUNPATH), or link that library statically")
    }

    // MARK: unreadable files

    private func rejectUnreadable(_ error: UnreadableObject, _ plugin: Artifact, _ real: String) -> Rejection {
        let message: String
        switch error.kind {
        case .directory:
            message = isMusl ? "Error loading shared library \(real): Is a directory" : "\(real): cannot read file data: Is a directory"
        case .cannotOpen(let reason):
            message = isMusl ? "Error loading shared library \(real): \(reason)" : "\(real): cannot open shared object file: \(reason)"
        case .notRegularFile, .notELF, .damaged:
            if isMusl {
                message = "Error loading shared library \(real): Exec format error"
            } else if (plugin.size ?? Int.max) < gateway.headerSize {
                // glibc reads a whole ELF header before it looks at the magic.
                message = "\(real): file too short"
            } else {
                message = "\(real): invalid ELF header"
            }
        }
        return Rejection(message: message, finding: Finding(
            check: .elfFormat, severity: .error, plugin: error.description, gateway: nil,
            explanation: "the file is not a loadable ELF shared object, so the dynamic loader rejects it before Go sees it",
            fix: "deploy only the .so files built with go build -buildmode=plugin; remove this file from the plugin folder"))
    }

    private func archFinding(_ elf: LoaderFacts, _ explanation: String) -> Finding {
        let p = elf.goarch ?? elf.machine.name
        let g = gateway.goarch ?? gateway.machine.name
        // Cross builds switch cgo off unless asked, and -buildmode=plugin needs it: name the
        // C cross compiler too (Debian's gcc-<triplet> package names).
        let cc = gateway.goarch.flatMap { Self.crossCompilers[$0] }
        let env = ["GOARCH": g, "CGO_ENABLED": "1"].merging(cc.map { ["CC": $0] } ?? [:]) { a, _ in a }
        let setting = env.sorted { $0.key > $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return Finding(check: .architecture, severity: .error, plugin: "\(elf.machine.name) \(elf.elfClass)", gateway: "\(gateway.machine.name) \(gateway.elfClass)",
                       explanation: explanation, fix: "rebuild the plugin with \(setting) (it was built for GOARCH=\(p))",
                       rebuild: gateway.goarch == nil ? nil : Rebuild(environment: env))
    }

    /// Debian's C cross compilers by GOARCH.
    static let crossCompilers = [
        "amd64": "x86_64-linux-gnu-gcc", "arm64": "aarch64-linux-gnu-gcc", "386": "i686-linux-gnu-gcc",
        "arm": "arm-linux-gnueabihf-gcc", "riscv64": "riscv64-linux-gnu-gcc", "ppc64le": "powerpc64le-linux-gnu-gcc",
        "s390x": "s390x-linux-gnu-gcc",
    ]

    private func notPluginFinding(_ what: String, _ why: String) -> Finding {
        Finding(check: .goPlugin, severity: .error, plugin: what, gateway: nil,
                explanation: "the file is \(what), not a Go plugin: \(why)", fix: "build it with go build -buildmode=plugin")
    }
}
