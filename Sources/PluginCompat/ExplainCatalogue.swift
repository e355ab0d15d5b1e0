/// What each message means: what happened, the likely causes in order, and what to do. The
/// wording follows the check pages (docs/checks/*.md) and the project's fact sheet (FACTS.md
/// section 4); the order of the causes follows the fixture matrix (TestBinaries/cases.tsv):
/// which setting makes the runtime name which package first.
enum ExplainCatalogue {
    struct Cause {
        var check: CheckID
        var cause: String
        var fix: String
    }

    struct Description {
        var happened: String
        var causes: [Cause]
        var fix: String
    }

    static func describe(_ m: ParsedMessage, log: LogFacts) -> Description {
        var d = describe(m.kind, m.values, log: log)
        if m.previousFailure {
            d.happened = "a repeat: the same file (the same real path) already failed in an earlier plugin.Open of this process, and Go returns its cached error with ` (previous failure)`; the original failure was: " + d.happened
            d.causes.insert(Cause(
                check: .loadOrder,
                cause: "the file was opened again after it failed: KrakenD's three loaders (client, handler, modifier) each open every file of the plugin folder, and a list of plugins may name one file twice",
                fix: "fix the first failure (the same message without ` (previous failure)`, logged before it); its repeats go away with it"), at: 0)
        }
        return d
    }

    // MARK: per kind

    private static func describe(_ kind: LogMessageKind, _ v: ExplainedValues, log: LogFacts) -> Description {
        let file = v.plugin.map { "`\($0)`" } ?? "the plugin"
        switch kind {
        case .fingerprintMismatch:
            return fingerprint(v)
        case .alreadyLoaded:
            return Description(
                happened: "Go's runtime refused \(file): a module with the same plugin path (the plugin's main package path) is already in the process, or the file added no Go module of its own and the newest module the runtime sees is one already loaded. Nothing of the file ran; the gateway goes on without it.",
                causes: [
                    Cause(check: .pluginPath, cause: "a copy, hard link or backup of a plugin that is already loaded (`handler.so.bak`, `handler.so.1`, `old-handler.so`): KrakenD's `plugin.pattern` is a substring match, so `.so` also selects `x.so.bak`; or two different plugins built from the same main package path (module path)",
                          fix: "remove copies and backups from the plugin folder (or make plugin.pattern stricter), and give each plugin its own module path"),
                    Cause(check: .goPlugin, cause: "the file is not a Go plugin (a C shared library, a Go -buildmode=c-shared library) and a good plugin was opened before it: it adds no Go module, so the runtime finds the earlier plugin again",
                          fix: "remove it from the plugin folder, or build it with go build -buildmode=plugin"),
                    Cause(check: .goRuntimeLayout, cause: "the plugin was built with a Go release whose runtime lays out its module data differently from the gateway's (Go 1.26 against 1.25, 1.21 against 1.25), and a good plugin was opened before it: the gateway's runtime cannot see its module. Opened first, the same file crashes the gateway",
                          fix: "rebuild the plugin with the gateway's exact Go version"),
                    Cause(check: .loadOrder, cause: "an earlier plugin of such another Go runtime broke the gateway's list of modules: every plugin opened after it fails with this message",
                          fix: "find the first `plugin already loaded` of the run and fix that plugin; the files after it then load"),
                ],
                fix: "find which file already provides this plugin path: a copy or backup in the folder, another plugin built from the same module, or an earlier file that is not a plugin of the gateway's Go version; `plugincheck audit PLUGIN_FOLDER GATEWAY` names it")
        case .notImplemented:
            return Description(
                happened: "the gateway cannot open plugins at all: it was linked with the stub of Go's `plugin` package (a build without cgo), which returns this for every plugin.Open, whatever the file",
                causes: [
                    Cause(check: .hostPluginSupport, cause: "the gateway was built with CGO_ENABLED=0 (a static build, common in scratch and distroless images)",
                          fix: "run a gateway built with CGO_ENABLED=1 and linked dynamically (KrakenD's official images are); nothing in the plugin can change this"),
                    Cause(check: .hostPluginSupport, cause: "the gateway was built for a platform on which Go has no plugin support (Go supports plugins on Linux, FreeBSD and macOS only)",
                          fix: "run a Linux build of the gateway"),
                ],
                fix: "use a gateway binary that can load plugins: built with cgo, dynamically linked (`plugincheck inspect GATEWAY` shows CGO_ENABLED and the interpreter)")
        case .realpathFailed:
            return Description(
                happened: "plugin.Open could not resolve the path \(file) (realpath failed): the file does not exist there, or a directory on the way cannot be searched by the gateway's user. The dynamic loader never saw it.",
                causes: [
                    Cause(check: .pluginFile, cause: "the file is not at that path: a relative plugin.folder is resolved against the gateway's working directory, not against the configuration file's directory",
                          fix: "check plugin.folder and the file name; an absolute plugin.folder does not depend on the working directory"),
                    Cause(check: .pluginFile, cause: "a dangling symbolic link in the plugin folder (its target was removed, or is relative to another directory)",
                          fix: "point the link at an existing plugin, or remove it"),
                    Cause(check: .pluginFile, cause: "a directory on the path is not searchable (no x permission) by the gateway's user",
                          fix: "chmod a+x the directories, or run the gateway as a user that can reach the folder"),
                ],
                fix: "make the path resolve, from the gateway's working directory and as the gateway's user (`ls -lL PATH` there)")
        case .couldNotFindSymbol:
            return Description(
                happened: "the plugin's Go module registered, but its exported symbol \(v.symbol.map { "`\($0)`" } ?? "") is missing from its dynamic symbol table (dlsym failed)",
                causes: [
                    Cause(check: .goPlugin, cause: "the file was changed after the build: its dynamic symbols stripped, packed (UPX), or rewritten by another tool",
                          fix: "deploy the file go build -buildmode=plugin wrote, untouched (binutils strip without options is fine)"),
                ],
                fix: "deploy the plugin exactly as the Go build produced it")
        case .symbolNotFound:
            return symbolNotFound(v, log: log)
        case .unknownType:
            return unknownType(v)
        case .registererError:
            return Description(
                happened: "the gateway's loader reported an error for \(file) that came neither from plugin.Open nor from the symbol look-up: the plugin was opened and its registerer found, then registering failed. lura recovers a panic of the registerer into this error, so the text is usually the panic's.",
                causes: [
                    Cause(check: .registerers, cause: "the plugin's registerer panicked while registering (a nil map or pointer, a missing configuration value, a failed initialisation)",
                          fix: "call the registerer in a test of the plugin; the message is the panic's value"),
                ],
                fix: "fix the plugin's registration code; the message after the file name is what it reported")
        case .folderUnreadable:
            return folder(v)
        case .otherCPU:
            return Description(
                happened: "glibc's dynamic loader says \(v.object.map { "`\($0)`" } ?? "the plugin") does not exist, although plugin.Open found it a moment before (realpath succeeded): glibc reports a file built for another CPU as missing. The plugin was not loaded.",
                causes: [
                    Cause(check: .architecture, cause: "the plugin was built for another CPU: an arm64 plugin in an amd64 gateway or the reverse (built on an Apple silicon Mac or an arm64 CI runner, or GOARCH left over)",
                          fix: "rebuild the plugin with the gateway's GOARCH (`plugincheck inspect PLUGIN GATEWAY` shows both)"),
                    Cause(check: .pluginFile, cause: "the file was removed or replaced between realpath and dlopen (a deployment writing into the folder while the gateway starts)",
                          fix: "deploy atomically: write the plugin elsewhere, then rename it into the folder"),
                ],
                fix: "rebuild the plugin for the gateway's CPU (GOARCH)")
        case .missingLibrary:
            let lib = v.library ?? v.object ?? "a library"
            let musl = lib.contains("musl")
            var causes: [Cause] = []
            if musl {
                causes.append(Cause(check: .libc, cause: "the plugin was built against musl (on Alpine, or with musl-gcc) and needs musl's C library, which this glibc system does not have",
                                    fix: "build the plugin with the gateway's C library (glibc), on the gateway's base image"))
            }
            causes.append(Cause(check: .libc, cause: "the plugin's cgo code links `\(ExplainCatalogue.name(lib))`, which is not installed on the gateway's system, or is there in another major version (libssl.so.1.1 against libssl.so.3)",
                                fix: "install the library in the gateway's image, link it statically into the plugin, or build the plugin on the gateway's base image"))
            if !musl {
                causes.append(Cause(check: .libc, cause: "the plugin was built against another C library (musl against glibc), whose libraries have other names",
                                    fix: "build the plugin with the gateway's C library"))
            }
            return Description(
                happened: "the plugin was found, but a shared library it needs (its DT_NEEDED `\(ExplainCatalogue.name(lib))`) is not on the gateway's system, so the dynamic loader gave up",
                causes: causes,
                fix: "make the library the plugin needs available where the gateway runs, or build the plugin without it (`plugincheck inspect PLUGIN` lists what it needs)")
        case .permissionDenied:
            return Description(
                happened: "the dynamic loader could not open \(v.object.map { "`\($0)`" } ?? file): the gateway's user may not read it",
                causes: [
                    Cause(check: .pluginFile, cause: "the file is not readable by the gateway's user (mode 000 or 600, owned by another user: copied as root into an image whose gateway runs as another user)",
                          fix: "chmod a+r the plugin, and a+x the directories above it"),
                    Cause(check: .pluginFile, cause: "a security module (SELinux, AppArmor) refuses the access",
                          fix: "check the system's audit log and the file's security label"),
                ],
                fix: "let the gateway's user read the plugin (`ls -l`, `id` of the gateway's user)")
        case .cannotOpen:
            return Description(
                happened: "the dynamic loader could not open \(v.object.map { "`\($0)`" } ?? file): \(v.reason ?? "an error of the system")",
                causes: [
                    Cause(check: .pluginFile, cause: "the file cannot be opened as the gateway's user: \(v.reason ?? "see the reason")",
                          fix: "check the file and its directories from the gateway's side (`ls -lL PATH` as its user)"),
                ],
                fix: "make the file readable where the gateway runs")
        case .wrongELFClass:
            let is32 = v.elfClass == "ELFCLASS32"
            return Description(
                happened: "glibc's dynamic loader refused the file: it is a \(is32 ? "32" : "64")-bit ELF file and the gateway is \(is32 ? "64" : "32")-bit",
                causes: [
                    Cause(check: .architecture, cause: is32 ? "the plugin was built for a 32-bit GOARCH (386, arm), for example with GOARCH left over from another build" : "the plugin was built for a 64-bit GOARCH and the gateway for a 32-bit one",
                          fix: "rebuild the plugin with the gateway's GOARCH (`plugincheck inspect PLUGIN GATEWAY` shows both)"),
                ],
                fix: "rebuild the plugin for the gateway's CPU")
        case .byteOrder:
            return Description(
                happened: "glibc's dynamic loader refused the file: its byte order is not the gateway's",
                causes: [Cause(check: .architecture, cause: "the plugin was built for a CPU of the other byte order (s390x, ppc64 and mips are big-endian; amd64 and arm64 little-endian)",
                               fix: "rebuild the plugin with the gateway's GOARCH")],
                fix: "rebuild the plugin for the gateway's CPU")
        case .osABI:
            return Description(
                happened: "glibc's dynamic loader refused the file: it is marked for another operating system's ABI",
                causes: [Cause(check: .architecture, cause: "the plugin was built for another operating system (GOOS=freebsd, for example)",
                               fix: "rebuild the plugin with GOOS=linux")],
                fix: "rebuild the plugin for Linux")
        case .invalidELFHeader:
            return Description(
                happened: "the dynamic loader refused \(v.object.map { "`\($0)`" } ?? file): it does not start with an ELF header, so it is not a shared library at all",
                causes: [
                    Cause(check: .elfFormat, cause: "a file that is not a plugin matched plugin.pattern: a README, notes, a text placeholder (KrakenD loads every name that contains the pattern, `readme.so.md` too)",
                          fix: "keep only plugins in the plugin folder, or make plugin.pattern stricter"),
                    Cause(check: .elfFormat, cause: "the plugin was built for macOS or Windows (a Mach-O or PE file), or is an archive or a packed file",
                          fix: "build it on Linux, for Linux, with go build -buildmode=plugin"),
                    Cause(check: .elfFormat, cause: "a download went wrong: an HTML error page or a Git LFS pointer was saved under the plugin's name",
                          fix: "look at the file (`file PATH`, `head -c 200 PATH`) and fetch it again"),
                ],
                fix: "deploy the plugin file itself, and nothing else that matches plugin.pattern")
        case .muslPluginOnGlibc:
            return Description(
                happened: "the plugin was found, but it names `libc.so`, musl's C library, as a library it needs; glibc looked that name up and found its own linker script \(v.library.map { "`\($0)`" } ?? "libc.so") (a text file from libc6-dev), hence `invalid ELF header`",
                causes: [
                    Cause(check: .libc, cause: "the plugin was built against musl (on Alpine, or with musl-gcc) and the gateway uses glibc",
                          fix: "build the plugin against glibc, like the gateway (on the gateway's base image), or run it in a musl gateway (KrakenD's official container image is Alpine-based)"),
                ],
                fix: "build the plugin with the gateway's C library")
        case .fileTooShort:
            return Description(
                happened: "the dynamic loader refused \(v.object.map { "`\($0)`" } ?? file): it is shorter than an ELF header (64 bytes for a 64-bit file), usually empty",
                causes: [
                    Cause(check: .elfFormat, cause: "an empty or truncated file: a copy or upload that failed or was interrupted, a placeholder, a build step that wrote nothing",
                          fix: "deploy the complete plugin again (compare its size and checksum with the build's output)"),
                    Cause(check: .elfFormat, cause: "a short text file matched plugin.pattern (`notes.so.txt`)",
                          fix: "remove it from the plugin folder, or make plugin.pattern stricter"),
                ],
                fix: "put the complete plugin file in place")
        case .isADirectory:
            return Description(
                happened: "the dynamic loader was handed a directory: plugin.Open resolved the path to \(v.object.map { "`\($0)`" } ?? "a directory"), which is not a file",
                causes: [
                    Cause(check: .elfFormat, cause: "a symbolic link in the plugin folder points to a directory: lura's Scan skips directories, but not links to them",
                          fix: "remove the link, or rename it so that it does not match plugin.pattern"),
                    Cause(check: .elfFormat, cause: "the gateway's configuration names a directory where it wants a plugin file",
                          fix: "name the .so file itself"),
                ],
                fix: "remove the link to the directory from the plugin folder")
        case .cannotReadFile:
            return Description(
                happened: "the dynamic loader could not read \(v.object.map { "`\($0)`" } ?? file): \(v.reason ?? "a read error")",
                causes: [Cause(check: .elfFormat, cause: "the file is not a regular, readable file (a device, a FIFO, a damaged file system)",
                               fix: "deploy the plugin as a regular file")],
                fix: "deploy the plugin as a regular file")
        case .executable, .positionIndependentExecutable:
            let pie = kind == .positionIndependentExecutable
            return Description(
                happened: "glibc's dynamic loader refused the file: it is a program (\(pie ? "a position-independent executable" : "an executable")), not a shared library",
                causes: [
                    Cause(check: .goPlugin, cause: "it was built without -buildmode=plugin (plain go build\(pie ? ", or -buildmode=pie" : "")), or the gateway binary itself was copied into the plugin folder",
                          fix: "build it with go build -buildmode=plugin"),
                ],
                fix: "build the plugin with go build -buildmode=plugin, and keep programs out of the plugin folder")
        case .notSharedObject:
            return Description(
                happened: "glibc's dynamic loader refused the file: it is an ELF file, but neither a shared object nor an executable (an object file or a core dump)",
                causes: [Cause(check: .goPlugin, cause: "an object file (.o) or another build product was deployed instead of the plugin",
                               fix: "build it with go build -buildmode=plugin")],
                fix: "deploy the plugin built with go build -buildmode=plugin")
        case .executableStack:
            return Description(
                happened: "glibc refused to load \(v.object.map { "`\($0)`" } ?? file): it asks for an executable stack, which newer glibc (2.41 and later) no longer turns on in dlopen",
                causes: [Cause(check: .elfFormat, cause: "C or assembly code in the plugin (or a library it needs) was built without a `.note.GNU-stack` section, so the linker marked the stack executable",
                               fix: "link with -Wl,-z,noexecstack (in CGO_LDFLAGS), or fix the assembly sources")],
                fix: "rebuild the plugin so that it does not ask for an executable stack (`readelf -lW PLUGIN` shows GNU_STACK RWE)")
        case .symbolVersionNotFound:
            return symbolVersion(v)
        case .undefinedSymbol:
            return Description(
                happened: "glibc's loader binds every symbol when it opens a plugin (RTLD_NOW): \(v.object.map { "`\($0)`" } ?? "the plugin") needs \(v.symbol.map { "`\($0)`" } ?? "a symbol"), and neither the gateway, the plugins opened before, nor the libraries it needs define it",
                causes: [
                    Cause(check: .libc, cause: "the plugin's cgo code calls a C function from a library it does not link (a missing `#cgo LDFLAGS: -lNAME`), counting on the gateway to provide it",
                          fix: "link that library into the plugin (#cgo LDFLAGS), or statically"),
                    Cause(check: .libc, cause: "the plugin was built against another version of a C library than the one on the gateway's system (a function added or removed between versions)",
                          fix: "build the plugin on the gateway's base image"),
                ],
                fix: "make the symbol resolvable: link the library that defines it into the plugin")
        case .muslSymbolNotFound:
            let sym = v.symbol ?? "the symbol"
            let fortified = sym.hasPrefix("__") && sym.hasSuffix("_chk")
            var causes: [Cause] = []
            if fortified {
                causes.append(Cause(check: .libc, cause: "`\(sym)` is glibc's _FORTIFY_SOURCE variant: the plugin's C code was compiled against glibc with fortification, and the gateway runs on musl (Alpine), which has no such function",
                                    fix: "build the plugin with musl (on Alpine, like the gateway), or compile its C code with -U_FORTIFY_SOURCE"))
            }
            causes.append(Cause(check: .libc, cause: "the plugin was built against glibc and uses a function musl does not provide",
                                fix: "build the plugin on Alpine (musl), like the gateway (for KrakenD's official image, with its krakend/builder image)"))
            causes.append(Cause(check: .libc, cause: "a C library the plugin needs is missing on the gateway's system, or is another version",
                                fix: "install the library in the gateway's image, or link it statically into the plugin"))
            return Description(
                happened: "musl's dynamic loader could not bind `\(sym)`, which the plugin needs: neither musl's C library nor anything loaded before defines it",
                causes: causes,
                fix: "build the plugin with the gateway's C library (musl)")
        case .unsupportedRelocation:
            let type = v.relocationType.map { "\($0)" } ?? "N"
            return Description(
                happened: "musl's dynamic loader does not check a file's CPU: it mapped the plugin and stopped at relocation type \(type), which it does not know for the gateway's CPU",
                causes: [Cause(check: .architecture, cause: "the plugin was built for another CPU" + (v.relocationType == 1026 ? " (1026 is arm64's R_AARCH64_JUMP_SLOT: an arm64 plugin in an amd64 gateway)" : ""),
                               fix: "rebuild the plugin with the gateway's GOARCH (`plugincheck inspect PLUGIN GATEWAY` shows both)")],
                fix: "rebuild the plugin for the gateway's CPU")
        case .execFormatError:
            return Description(
                happened: "musl's dynamic loader refused \(v.object.map { "`\($0)`" } ?? file) as not loadable (ENOEXEC): it is not an ELF shared object musl can map",
                causes: [
                    Cause(check: .elfFormat, cause: "the file is not an ELF file, or is empty: a README, a placeholder, a copy that failed",
                          fix: "keep only plugins in the plugin folder, and deploy them completely"),
                    Cause(check: .architecture, cause: "an ELF file of the other class (a 32-bit plugin in a 64-bit gateway)",
                          fix: "rebuild the plugin with the gateway's GOARCH"),
                    Cause(check: .goPlugin, cause: "an ELF file that is not a shared object (an object file)",
                          fix: "build it with go build -buildmode=plugin"),
                ],
                fix: "deploy the plugin file itself (`file PATH` says what it is)")
        case .noPluginModuleData:
            return Description(
                happened: "the gateway process died inside plugin.Open (Go's runtime threw; exit status 2): after dlopen the runtime found no new Go module to register. Nothing recovers from it, and the plugins after it are never opened. The message does not name the file" + (v.calledFrom.map { "; plugin.Open was called by \($0)" } ?? "") + ".",
                causes: [
                    Cause(check: .goRuntimeLayout, cause: "the plugin was built with a Go release whose runtime lays out its module data differently from the gateway's (Go 1.26 against 1.25, 1.21 or 1.22 against 1.23 to 1.25, 1.19 against any later): the gateway's runtime cannot see the plugin's module",
                          fix: "rebuild the plugin with the gateway's exact Go version"),
                    Cause(check: .goPlugin, cause: "a shared object that is not a Go plugin (a C library, a Go -buildmode=c-shared library) was opened first, or after a plugin that failed: it adds no Go module",
                          fix: "remove it from the plugin folder, or make plugin.pattern stricter"),
                    Cause(check: .hostPluginSupport, cause: "the gateway was built with cgo but linked statically (-linkmode external -extldflags -static, or -static-pie): its dlopen maps the plugin, but the plugin's Go module never reaches the gateway's runtime, so every plugin crashes it, good ones too",
                          fix: "use a dynamically linked gateway (`plugincheck inspect GATEWAY` shows no interpreter for a static one)"),
                ],
                fix: "find the file (`plugincheck audit PLUGIN_FOLDER GATEWAY` predicts which one crashes the gateway) and rebuild it with the gateway's Go version, or remove it; if every plugin crashes the gateway, check that the gateway is linked dynamically")
        case .emptyPluginPath:
            return Description(
                happened: "the gateway process died inside plugin.Open (exit status 2): the newest Go module in the process has no plugin path, so it is Go code that was not built as a plugin",
                causes: [
                    Cause(check: .goPlugin, cause: "a Go shared library built without -buildmode=plugin (-buildmode=c-shared or -buildmode=shared) is in the plugin folder",
                          fix: "build it with -buildmode=plugin, or remove it"),
                    Cause(check: .goRuntimeLayout, cause: "a plugin of a Go runtime with another module data layout confused the gateway's runtime",
                          fix: "rebuild the plugin with the gateway's Go version"),
                ],
                fix: "remove the Go library that is not a plugin from the plugin folder (`plugincheck audit PLUGIN_FOLDER GATEWAY` finds it)")
        case .moduleDataOverlap:
            return Description(
                happened: "the gateway process died inside plugin.Open: the new plugin's module data overlaps a module already registered",
                causes: [
                    Cause(check: .goRuntimeLayout, cause: "the runtime's list of modules was corrupted by a plugin of another Go runtime or by a shared object that is not a Go plugin",
                          fix: "rebuild every plugin with the gateway's Go version, and keep other shared objects out of the plugin folder"),
                ],
                fix: "rebuild the plugins with the gateway's Go version (`plugincheck audit PLUGIN_FOLDER GATEWAY`)")
        case .dynamicLoadingNotSupported:
            return Description(
                happened: "the gateway's C library cannot load shared objects at all: it is musl linked statically into the gateway, whose dlopen always fails this way, whatever the file",
                causes: [
                    Cause(check: .hostPluginSupport, cause: "the gateway was built with cgo against musl (on Alpine) and linked statically (-extldflags -static)",
                          fix: "link the gateway dynamically against musl (and run it with musl's loader), or use a glibc build; nothing in the plugin can change this"),
                ],
                fix: "use a gateway binary that is linked dynamically (`plugincheck inspect GATEWAY` shows the interpreter)")
        case .crashInDlopen:
            return Description(
                happened: "the gateway process was killed by a signal inside dlopen (the goroutine dump shows `plugin._Cfunc_pluginOpen`, the signal arrived during cgo execution): the dynamic loader, or code of the file that runs when it is loaded, crashed. Nothing recovers from it" + (v.calledFrom.map { "; plugin.Open was called by \($0)" } ?? "") + ".",
                causes: [
                    Cause(check: .hostPluginSupport, cause: "the gateway was built with cgo but linked statically (-extldflags -static): dlopen in a static program cannot safely load a library that needs the shared C library",
                          fix: "use a dynamically linked gateway"),
                    Cause(check: .goPlugin, cause: "the file runs code when it is loaded that crashes in this process: a Go -buildmode=c-shared library (its own Go runtime starts), C constructors",
                          fix: "remove it from the plugin folder, or build it with go build -buildmode=plugin"),
                    Cause(check: .libc, cause: "the file was linked against another C library than the gateway's",
                          fix: "build the plugin with the gateway's C library"),
                ],
                fix: "check that the gateway is linked dynamically, and that only Go plugins are in the plugin folder (`plugincheck audit PLUGIN_FOLDER GATEWAY`)")
        case .crashInPluginOpen:
            return Description(
                happened: "the gateway process crashed inside plugin.Open (the goroutine dump shows it, or the message was given alone): a nil pointer or a bad memory access while it opened the plugin. FACTS.md notes this form of the runtime mismatch besides `no plugin module data`" + (v.calledFrom.map { "; plugin.Open was called by \($0)" } ?? "") + ".",
                causes: [
                    Cause(check: .goRuntimeLayout, cause: "the plugin was built with a Go release whose runtime lays out its module data differently from the gateway's",
                          fix: "rebuild the plugin with the gateway's exact Go version"),
                    Cause(check: .goPlugin, cause: "a shared object that is not a Go plugin was opened",
                          fix: "remove it from the plugin folder"),
                    Cause(check: .hostPluginSupport, cause: "the gateway was built with cgo but linked statically: plugins reach a process that cannot host them",
                          fix: "use a dynamically linked gateway"),
                ],
                fix: "find the file (`plugincheck audit PLUGIN_FOLDER GATEWAY`) and rebuild it with the gateway's Go version")
        case .illegalInstruction:
            return Description(
                happened: "the process was killed by SIGILL: the CPU met an instruction it does not have. plugin.Open itself succeeded; the plugin's (or the gateway's) code used the instruction when it ran.",
                causes: [
                    Cause(check: .cpuLevel, cause: "the plugin was built for a higher CPU level than this machine has (GOAMD64=v3 or v4 on a CPU without AVX2, a GOARM64 level above the CPU's)",
                          fix: "rebuild the plugin with GOAMD64=v1 (Go's default), or the level of the oldest CPU the gateway runs on"),
                    Cause(check: .cpuLevel, cause: "C code in the plugin was compiled with -march=native on a newer machine",
                          fix: "compile it for the target's CPU (-march in CGO_CFLAGS)"),
                ],
                fix: "build the plugin for the oldest CPU the gateway runs on (`plugincheck compare PLUGIN GATEWAY` warns of a higher level)")
        }
    }

    // MARK: the longer ones

    /// The order follows the matrix: a toolchain or -trimpath difference names internal/goarch
    /// first, -race internal/runtime/sys, GOEXPERIMENT internal/goexperiment; a module's
    /// version, replace, tags, gcflags or build path name that module's package.
    private static func fingerprint(_ v: ExplainedValues) -> Description {
        let pkg = v.package ?? "?"
        let std = v.standardLibrary ?? true
        let toolchain = Cause(check: .goToolchain, cause: "the plugin and the gateway were built with different Go releases: every release, patch releases included (go1.25.4 against go1.25.5), compiles the standard library to other fingerprints, and the standard library is checked first",
                              fix: "rebuild the plugin with the gateway's exact Go version (`go version GATEWAY` or `plugincheck inspect GATEWAY` shows it; for KrakenD, `krakend version` prints it, and the krakend/builder image of the same KrakenD version has it)")
        let trimpath = Cause(check: .trimpath, cause: "-trimpath on one side only: it changes the recorded source paths of every package, the standard library's too",
                             fix: "build the plugin with -trimpath exactly when the gateway was (its build info records -trimpath=true)")
        let race = Cause(check: .race, cause: "-race (or -msan, -asan) on one side only: the runtime is compiled differently",
                         fix: "build the plugin without -race, or with it exactly when the gateway has it")
        let experiment = Cause(check: .goexperiment, cause: "a different GOEXPERIMENT (greenteagc, for example), set on one side",
                               fix: "build with the gateway's GOEXPERIMENT (its Go version shows it as ` X:name`)")
        let gcflagsAll = Cause(check: .gcflags, cause: "-gcflags for all packages on one side (-gcflags=all='-N -l' for a debugger build), or the old idiom -gcflags=all=-trimpath=$PWD, whose $PWD differs between checkouts",
                               fix: "build both with the same -gcflags, or none")
        let goroot = Cause(check: .buildPath, cause: "without -trimpath, a Go toolchain installed in another directory (GOROOT): its source paths are part of the fingerprints",
                           fix: "build both with -trimpath, or with the toolchain at the same path")
        if std {
            let causes: [Cause]
            if pkg == "internal/goexperiment" {
                causes = [experiment, toolchain, trimpath, race, gcflagsAll, goroot]
            } else if pkg == "runtime/cgo" {
                // Compiled from C too: -gcflags=all=-trimpath=$PWD changes it first (the matrix's
                // gcflags-trimpath-pwd cases).
                causes = [gcflagsAll, toolchain, trimpath, race, experiment, goroot]
            } else if ["internal/runtime/sys", "runtime/internal/sys", "internal/race", "runtime/race", "internal/asan", "internal/msan"].contains(pkg) {
                causes = [race, toolchain, experiment, trimpath, gcflagsAll, goroot]
            } else {
                causes = [toolchain, trimpath, race, experiment, gcflagsAll, goroot]
            }
            return Description(
                happened: "Go's runtime refused the plugin: it compares, package by package, the fingerprint recorded when the plugin was linked with the one the process already has (from the gateway, or from a plugin opened before), and the standard library package `\(pkg)` differs. The runtime names only the first difference. Nothing of the plugin ran; the gateway goes on without it.",
                causes: causes,
                fix: "build the plugin with exactly the gateway's Go version and the same -trimpath, -race, GOEXPERIMENT and -gcflags (`plugincheck compare PLUGIN GATEWAY` names the difference)")
        }
        var causes = [
            Cause(check: .moduleVersion, cause: "the module that provides `\(pkg)` is at different versions in the plugin's and the gateway's builds (the plugin's go.mod requires another version, minimal version selection raised it through another dependency, or a go.work workspace builds it from a local checkout, which the build info records as another version)",
                  fix: "require exactly the gateway's version of that module in the plugin's go.mod (`go get MODULE@VERSION`, then compare `go version -m` of both files; KrakenD's `krakend check-plugin`, `krakend plugin check` in recent versions, compares a go.sum with the gateway's)"),
            Cause(check: .replace, cause: "a replace directive (a local directory, a fork) builds that module from other source on one side; a monorepo's relative replace checked out in two places counts too, without -trimpath",
                  fix: "drop the replace directive, or use the identical replacement on both sides and build both with -trimpath"),
            Cause(check: .vendor, cause: "one side compiled the module from vendor/ (-mod=vendor) and the other from the module cache: same version and go.sum, but another directory in the fingerprint (no -trimpath); the vendored module has no h1: sum in the build info",
                  fix: "rebuild the plugin with -mod=mod from the module cache (the gateway's GOMODCACHE when it was not trimmed), or build both with -trimpath"),
            Cause(check: .workspace, cause: "the plugin was built in a go.work workspace that uses a local checkout of the module (recorded as (devel)): the workspace wins over go.mod, so go get changes nothing",
                  fix: "rebuild the plugin with GOWORK=off (its go.mod requiring the gateway's version), or go work edit -dropuse=<dir>"),
            Cause(check: .moduleContent, cause: "the same module version with other content: an edited vendored copy, or a version tag that was moved",
                  fix: "build both sides from the same go.sum and the same module source (no vendor edits)"),
            Cause(check: .buildTags, cause: "-tags that add or drop files of `\(pkg)` on one side",
                  fix: "build the plugin with the gateway's -tags"),
            Cause(check: .gcflags, cause: "-gcflags for that package on one side (-gcflags='PATTERN=-N -l')",
                  fix: "build both with the same -gcflags, or none"),
            Cause(check: .buildPath, cause: "without -trimpath, the module was compiled from other directories (another GOMODCACHE or build directory), and those are part of the fingerprint",
                  fix: "build both the gateway and the plugin with -trimpath"),
            Cause(check: .loadOrder, cause: "`\(pkg)` was bound by a plugin opened earlier, not by the gateway (which does not link it): two plugins carry different builds of it, and the first one opened decides for all later ones",
                  fix: "build every plugin that shares the module with the same version and flags"),
            Cause(check: .goToolchain, cause: "a different Go release changes every package; the standard library is usually named first, but not when this package was bound by an earlier plugin built with another Go",
                  fix: "rebuild the plugin with the gateway's exact Go version"),
        ]
        if let name = v.plugin.map(MessageParser.bareName), !name.isEmpty, MessageParser.lastComponent(pkg) == name {
            // The package is named like the file: most likely the plugin's own main package,
            // bound by an older build of the same plugin opened before it.
            causes.insert(Cause(check: .loadOrder, cause: "`\(pkg)` looks like this plugin's own main package: an earlier file with the same plugin path (a failed older build of this plugin, or a copy under another name) was opened first, and its packages stay bound even though it failed",
                                fix: "remove the older build or the copy from the plugin folder (KrakenD opens the files in name order)"), at: 0)
            causes.insert(Cause(check: .pluginPath, cause: "two different plugins built from the same main package path (module path)",
                                fix: "give each plugin its own module path"), at: 1)
        }
        return Description(
            happened: "Go's runtime refused the plugin: it compares, package by package, the fingerprint recorded when the plugin was linked with the one the process already has (from the gateway, or from a plugin opened before), and package `\(pkg)` of a module differs. The standard library matched, so the Go version and the global flags agree. Nothing of the plugin ran; the gateway goes on without it.",
            causes: causes,
            fix: "build the plugin against exactly the gateway's version of the module that provides `\(pkg)` (the same go.sum line, no replace directive, the same -tags and -gcflags), and build both with -trimpath (`plugincheck compare PLUGIN GATEWAY` names the difference)")
    }

    static let registerers: [String: String] = [
        "HandlerRegisterer": "handler (plugin/http-server)", "ClientRegisterer": "client (plugin/http-client)",
        "ModifierRegisterer": "modifier (plugin/req-resp-modifier)", "MiddlewareRegisterer": "middleware (plugin/middleware, KrakenD Enterprise)",
    ]

    private static func symbolNotFound(_ v: ExplainedValues, log: LogFacts) -> Description {
        let sym = v.symbol ?? "the symbol"
        let path = v.goPluginPath ?? "the plugin"
        guard let kind = registerers[sym] else {
            return Description(
                happened: "the plugin `\(path)` loaded, but it has no exported symbol `\(sym)`, which the gateway looked up (plugin.Lookup)",
                causes: [Cause(check: .registerers, cause: "the gateway's configuration names a function or variable the plugin does not export (a typo, a lower-case name, or code outside package main)",
                               fix: "export `\(sym)` from the plugin's package main, or correct the name in the gateway's configuration")],
                fix: "make the name the gateway looks up and the plugin's exported name agree")
        }
        let missing = log.missingSymbols[v.goPluginPath ?? ""] ?? []
        let none = ["HandlerRegisterer", "ClientRegisterer", "ModifierRegisterer"].allSatisfy(missing.contains)
        let otherKind = Cause(check: .registerers, cause: "nothing is wrong when the plugin is of another kind: KrakenD's client, handler and modifier loaders each open every file of the plugin folder and look up their own symbol, so a handler plugin logs `symbol ClientRegisterer not found` and `symbol ModifierRegisterer not found`",
                              fix: "nothing to do, when the loader of the plugin's own kind logged no error for it")
        let notExported = Cause(check: .registerers, cause: "the plugin does not export `\(sym)`: the variable is named otherwise, unexported (lower case), or not in package main",
                                fix: "declare `var \(sym) = registerer(\"NAME\")` in the plugin's package main, as KrakenD's plugin examples do")
        return Description(
            happened: "the plugin `\(path)` loaded, but it has no exported symbol `\(sym)`, which the \(kind) loader looks up, so that loader registers nothing from it" + (none ? ". In this log no loader found its registerer in `\(path)`: the plugin registers nothing." : "."),
            causes: none ? [notExported, otherKind] : [otherKind, notExported],
            fix: none ? "export the registerer of the plugin's kind from its package main" : "nothing, if another loader registered the plugin; otherwise export `\(sym)` from its package main")
    }

    /// The symbol each lura loader looks up, by the name its `unknown type` error gives it.
    static let loaderSymbols = ["http-server-handler": "HandlerRegisterer", "http-request-executor": "ClientRegisterer", "modifier": "ModifierRegisterer", "middleware": "MiddlewareRegisterer"]

    private static func unknownType(_ v: ExplainedValues) -> Description {
        let sym = v.loaderKind.flatMap { loaderSymbols[$0] } ?? "the registerer"
        return Description(
            happened: "the plugin loaded and exports \(sym == "the registerer" ? sym : "`\(sym)`"), but its value does not have the type the gateway's \(v.loaderKind ?? "") loader expects (lura's type assertion to its Registerer interface failed), so nothing was registered",
            causes: [
                Cause(check: .registerers, cause: "the registerer's method signature is not the one this gateway's lura version declares: the plugin was written for another KrakenD version (the handler and client factories changed between KrakenD 1 and 2)",
                      fix: "take the method signature from KrakenD's plugin example for the gateway's version, and build against that version"),
                // What the lura-asserting fixture gateway refused (TestBinaries/folders-oracle.json,
                // registerers-*): a misspelled method and a pointer variable, besides the signature
                // above. A pointer receiver and a struct registerer were registered: Lookup returns
                // a pointer to the variable, whose method set holds both receivers' methods.
                Cause(check: .registerers, cause: "the registerer's type has no method of that name: it is misspelled (`RegisterHandler` for `RegisterHandlers`) or declared on another type",
                      fix: "declare the method with exactly the interface's name on the exported variable's type"),
                Cause(check: .registerers, cause: "the exported variable is itself a pointer (`var HandlerRegisterer = &registerer{}`): Lookup returns a pointer to the variable, `**main.registerer`, which has no methods; an exported function fails the same way, as a func type has no methods",
                      fix: "export a value (`var HandlerRegisterer = registerer(\"my-plugin\")`); its methods may have a value or a pointer receiver, both pass since Lookup returns a pointer to the variable"),
            ],
            fix: "make the exported registerer implement the interface of the gateway's lura version exactly")
    }

    private static func folder(_ v: ExplainedValues) -> Description {
        let folder = v.folder ?? ""
        let reason = v.reason ?? ""
        var causes: [Cause] = []
        if folder.isEmpty {
            causes.append(Cause(check: .pluginFile, cause: "plugin.folder is empty or missing in the configuration (`\"plugin\": {}`)",
                                fix: "set plugin.folder to the directory of the plugins"))
        }
        switch reason {
        case "permission denied":
            causes.append(Cause(check: .pluginFile, cause: "the gateway's user may not read (r) or search (x) the plugin folder",
                                fix: "chmod a+rx the folder"))
        case "not a directory":
            causes.append(Cause(check: .pluginFile, cause: "plugin.folder names a file, not a directory",
                                fix: "set plugin.folder to the directory that holds the plugins"))
        default:
            causes.append(Cause(check: .pluginFile, cause: "plugin.folder does not exist where the gateway looks: a relative folder is resolved against the gateway's working directory, not the configuration file's",
                                fix: "use an absolute plugin.folder, or start the gateway in the directory the folder is relative to"))
        }
        return Description(
            happened: "the gateway's plugin loader could not list the plugin folder (lura's Scan: \(reason.isEmpty ? "an error" : reason)), so that loader loaded no plugin at all; the gateway goes on without them",
            causes: causes,
            fix: "make plugin.folder a directory the gateway's user can list, from the gateway's working directory")
    }

    private static func symbolVersion(_ v: ExplainedValues) -> Description {
        let version = v.requiredVersion ?? "a version"
        let glibc = version.hasPrefix("GLIBC_")
        let lib = v.library.map(name) ?? "a library"
        return Description(
            happened: "\(v.requiredBy.map { "`\($0)`" } ?? "the plugin") needs symbol version \(version) of \(lib), and the gateway's system has an older \(lib): the plugin was linked on a newer system than the one it runs on",
            causes: [
                Cause(check: .glibcVersion, cause: glibc ? "the plugin was built on a newer distribution than the gateway's image (glibc 2.36 on Debian bookworm, 2.35 on Ubuntu 22.04, against 2.31 on Debian bullseye)" : "the plugin was built with a newer \(lib) (a newer compiler's C++ runtime, for example) than the gateway's system has",
                      fix: "build in the gateway's own base image or builder (krakend/builder of the same KrakenD version), or against a sysroot of the target's glibc; `plugincheck compare --target-glibc X.Y PLUGIN GATEWAY` checks it before deployment"),
                Cause(check: .glibcVersion, cause: "the gateway's image was moved to an older base than the one the plugins are built on",
                      fix: "build the plugins and the gateway's image on the same base"),
            ],
            fix: "build the plugin against the glibc of the system the gateway runs on, or an older one")
    }

    /// The file name of a library path.
    static func name(_ path: String) -> String { MessageParser.lastComponent(path) }
}
