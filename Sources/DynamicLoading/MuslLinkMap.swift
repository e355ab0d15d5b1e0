import ELFKit

/// Where musl's loader looks for a `DT_NEEDED` name (ldso/dynlink.c, `load_library` and
/// `path_open`), on a target root. Unlike glibc's it has no cache and does not check the
/// file's machine:
///
/// 1. the names of musl's own C library (`libc.*`, `libpthread.*`, `librt.*`, `libm.*`,
///    `libdl.*`, `libutil.*`, `libxnet.*`) are the loader itself, never searched;
/// 2. a name with a slash is a path;
/// 3. a name an object already loaded has as its short name is that object;
/// 4. `LD_LIBRARY_PATH`: not used (the gateway's environment is not known);
/// 5. the `DT_RUNPATH` (or, without one, `DT_RPATH`) of the object that needs it, then of the
///    object that loaded that one, up to the executable, `$ORIGIN` expanded;
/// 6. the system path: `/etc/ld-musl-ARCH.path` of the root (directories separated by `:` or
///    newlines), or `/lib:/usr/local/lib:/usr/lib` when the root has no such file.
///
/// A directory whose `open` fails with `ENOENT`, `ENOTDIR`, `EACCES` or `ENAMETOOLONG` is
/// passed over; any other failure ends the search.
public struct MuslSearch: Sendable {
    public let root: Sysroot
    /// The system path, in order.
    public let systemPath: [String]
    /// The path file it came from (`/etc/ld-musl-x86_64.path`), nil for the built-in default.
    public let pathFile: String?

    /// musl's built-in system path (`sys_path` when the path file does not exist).
    static let defaultSystemPath = ["/lib", "/usr/local/lib", "/usr/lib"]
    /// The library names musl answers with itself (`reserved` in `load_library`).
    static let ownNames = ["c", "pthread", "rt", "m", "dl", "util", "xnet"]

    /// The search of the root; `interpreter` is the gateway's (`/lib/ld-musl-x86_64.so.1`), whose
    /// name carries the architecture the path file is named after.
    public init(root: Sysroot, interpreter: String) {
        self.root = root
        let base = interpreter.split(separator: "/").last.map(String.init) ?? ""
        var arch = base.hasPrefix("ld-musl-") ? String(base.dropFirst(8)) : ""
        if let dot = arch.firstIndex(of: ".") { arch = String(arch[..<dot]) }
        let file = "/etc/ld-musl-\(arch).path"
        switch root.read(file, limit: Limits.loaderConfig) {
        case .success(let bytes):
            pathFile = file
            // musl reads the file up to its first NUL byte.
            let text = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            systemPath = Self.directories(String(decoding: text, as: UTF8.self))
        case .failure(let e) where e == .noSuchFile:
            pathFile = nil
            systemPath = Self.defaultSystemPath
        case .failure:
            // A path file that exists but cannot be read leaves musl an empty system path.
            pathFile = file
            systemPath = []
        }
    }

    /// The directories of a path list (`:` and newlines separate them, empty entries skipped).
    static func directories(_ list: String) -> [String] {
        list.split(whereSeparator: { $0 == ":" || $0 == "\n" }).map(String.init)
    }

    /// Whether musl answers `name` with its own C library.
    public static func isOwnName(_ name: String) -> Bool {
        guard name.hasPrefix("lib") else { return false }
        let rest = name.dropFirst(3)
        return ownNames.contains { rest.hasPrefix($0 + ".") }
    }

    /// The directories of a `DT_RUNPATH`/`DT_RPATH` string with `$ORIGIN` (`fixup_rpath`).
    func expand(_ list: String, origin: String) -> [String] {
        Self.directories(list.replacingAll("${ORIGIN}", with: origin).replacingAll("$ORIGIN", with: origin))
    }
}

/// One object musl's loader has mapped, read from the target root: what `load_deps` and
/// `do_relocs` use of it.
public struct MuslObject: Sendable {
    /// `p->name`: the path it was opened by, as musl's messages name it.
    public var name: String
    /// The name it was found by in a search (`p->shortname`), which later requests reuse.
    public var shortName: String?
    /// `$ORIGIN`: its directory, in the root or (for a plugin outside the root) on this machine.
    public var origin: String
    public var originInRoot: Bool
    public var identity: FileIdentity?
    public var needed: [String]
    /// Its `DT_RUNPATH`, or its `DT_RPATH` when it has none (musl keeps one of the two).
    public var searchPath: String?
    /// The symbols it adds to the global scope, and the relocations musl applies to it.
    public var facts: LoaderFacts

    static func read(hostPath: String, name: String, shortName: String?, origin: String, originInRoot: Bool) -> Result<MuslObject, UnreadableObject> {
        let file: ELFFile
        do { file = try ELFFile(path: hostPath) } catch { return .failure(UnreadableObject(error)) }
        return .success(MuslObject(
            name: name, shortName: shortName, origin: origin, originInRoot: originInRoot,
            identity: file.status.map { FileIdentity(device: $0.device, inode: $0.inode) }, needed: file.needed,
            searchPath: file.runpath ?? file.rpath, facts: LoaderFacts(file: file, musl: .read)))
    }
}

/// Why musl's loader refuses a library, in its own words (dlerror's text).
public struct MuslLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `DT_NEEDED` name, and the object that needs it.
    public var name: String
    public var neededBy: String
    /// `strerror(errno)` of the last attempt.
    public var reason: String
    /// Every path tried, in order (for the report).
    public var searched: [String]

    public var description: String { "Error loading shared library \(name): \(reason) (needed by \(neededBy))" }
}

/// A gateway process as musl's loader builds it on the target root: the executable, then
/// every object a successful `dlopen` added. `open` replays `load_library` and `load_deps`:
/// the new object's `DT_NEEDED` entries, then theirs, in the order the objects join the list;
/// a library that cannot be found or mapped fails the whole `dlopen`. The symbols are then
/// bound by the caller, against the global scope the new objects have joined.
public struct MuslProcess: Sendable {
    public let search: MuslSearch
    public private(set) var objects: [MuslObject] = []

    /// Starts the gateway: its own libraries (besides the C library) are found as at program
    /// start; a failure means it does not run there. Nil when the gateway is not readable.
    public static func start(gateway hostPath: String, name: String, search: MuslSearch) -> Result<MuslProcess, MuslLoadError>? {
        var p = MuslProcess(search: search)
        guard case .success(let exe) = MuslObject.read(hostPath: hostPath, name: name, shortName: nil,
                                                       origin: Self.directory(of: hostPath), originInRoot: false) else { return nil }
        switch p.map(exe) {
        case .failure(let e): return .failure(e)
        case .success(let new):
            p.objects = new
            return .success(p)
        }
    }

    /// `dlopen` of the plugin at `hostPath`, named `name` (the real path Go hands to dlopen):
    /// the objects it maps (the plugin first, then its libraries in load order), or the
    /// loader's error. Changes nothing: `commit` adds them. Nil when the plugin is not readable.
    public func open(hostPath: String, name: String) -> Result<[MuslObject], MuslLoadError>? {
        guard case .success(let object) = MuslObject.read(hostPath: hostPath, name: name, shortName: nil,
                                                          origin: Self.directory(of: hostPath), originInRoot: false) else { return nil }
        if let id = object.identity, objects.contains(where: { $0.identity == id }) { return .success([]) }
        return map(object)
    }

    /// The objects of a successful `open`, added to the process.
    public mutating func commit(_ new: [MuslObject]) {
        objects += new
    }

    /// Who loaded each new object: an index into the new objects, `executable` (what
    /// `dlopen` opens is loaded by the executable) or `none` (the executable itself).
    private static let executable = -1, none = -2

    private func map(_ first: MuslObject) -> Result<[MuslObject], MuslLoadError> {
        var new = [first]
        var loader = [objects.isEmpty ? Self.none : Self.executable]
        var i = 0
        while i < new.count {
            for needed in new[i].needed where !MuslSearch.isOwnName(needed) {
                if !needed.contains("/") && (objects.contains { $0.shortName == needed } || new.contains { $0.shortName == needed }) { continue }
                switch locate(needed, requester: i, in: new, loader: loader) {
                case .failure(let e): return .failure(e)
                case .success(let found):
                    if let id = found.identity, objects.contains(where: { $0.identity == id }) || new.contains(where: { $0.identity == id }) { continue }
                    guard objects.count + new.count < Limits.loadedObjects else {
                        return .failure(MuslLoadError(name: needed, neededBy: new[i].name, reason: "too many libraries", searched: []))
                    }
                    new.append(found)
                    loader.append(i)
                }
            }
            i += 1
        }
        return .success(new)
    }

    /// The requester, then each object that loaded it, up to the executable (`needed_by`).
    private func chain(_ at: Int, _ new: [MuslObject], _ loader: [Int]) -> [MuslObject] {
        var out: [MuslObject] = []
        var c = at
        while c >= 0, out.count <= new.count {
            out.append(new[c])
            c = loader[c]
        }
        if c == Self.executable, let exe = objects.first { out.append(exe) }
        return out
    }

    private struct Candidate { var shown: String; var inRoot: Bool }

    private func locate(_ name: String, requester: Int, in new: [MuslObject], loader: [Int]) -> Result<MuslObject, MuslLoadError> {
        var candidates: [Candidate] = []
        if name.contains("/") {
            candidates = [Candidate(shown: name, inRoot: true)]
        } else {
            for o in chain(requester, new, loader) {
                guard let list = o.searchPath else { continue }
                let fromOrigin = list.contains("$ORIGIN") || list.contains("${ORIGIN}")
                for dir in search.expand(list, origin: o.origin) {
                    candidates.append(Candidate(shown: dir + "/" + name, inRoot: !fromOrigin || o.originInRoot))
                }
            }
            candidates += search.systemPath.map { Candidate(shown: $0 + "/" + name, inRoot: true) }
        }
        var reason = Errno.noSuchFile.description
        for (n, c) in candidates.enumerated() {
            let host: String
            if c.inRoot {
                switch search.root.hostPath(of: c.shown) {
                case .success(let h): host = h
                case .failure(let e):
                    reason = e.description
                    if Self.passedOver(e) { continue }
                    return .failure(MuslLoadError(name: name, neededBy: new[requester].name, reason: reason, searched: candidates.prefix(n + 1).map(\.shown)))
                }
            } else {
                host = c.shown
            }
            let origin = c.inRoot ? Self.directory(of: c.shown) : Self.directory(of: host)
            switch MuslObject.read(hostPath: host, name: c.shown, shortName: name.contains("/") ? nil : name, origin: origin, originInRoot: c.inRoot) {
            case .success(let o): return .success(o)
            case .failure(let why):
                switch why.kind {
                case .cannotOpen(let text):
                    // The C library's words for the open that failed; a failure musl does not pass
                    // over ends the search.
                    reason = text
                    if [Errno.noSuchFile, .notDirectory, .permissionDenied, .nameTooLong].map(\.description).contains(reason) { continue }
                case .directory: reason = "Is a directory"
                case .notRegularFile, .notELF, .damaged: reason = "Exec format error"
                }
                // Opened, but not mapped: musl does not search further.
                return .failure(MuslLoadError(name: name, neededBy: new[requester].name, reason: reason, searched: candidates.prefix(n + 1).map(\.shown)))
            }
        }
        return .failure(MuslLoadError(name: name, neededBy: new[requester].name, reason: reason, searched: candidates.map(\.shown)))
    }

    /// The `open` errors `path_open` passes over.
    private static func passedOver(_ e: Errno) -> Bool {
        e == .noSuchFile || e == .notDirectory || e == .permissionDenied || e == .nameTooLong
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
