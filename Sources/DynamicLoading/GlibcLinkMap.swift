import ELFKit
import Synchronization

/// One object of glibc's link map, read from the target root: what `_dl_map_object_deps`,
/// `_dl_check_map_versions` and `_dl_relocate_object` use of it.
public struct LinkedObject: Sendable {
    /// `l_name`: the path the loader opened it by, as its messages name it.
    public var name: String
    /// Every name `_dl_name_match_p` knows it by: `l_name`, the `DT_NEEDED` names it was
    /// loaded for, its `DT_SONAME`.
    public var names: Set<String>
    public var hostPath: String
    /// `$ORIGIN`: its directory, in the root or (for a plugin outside the root) on this machine.
    public var origin: String
    public var originInRoot: Bool
    public var identity: FileIdentity?
    public var needed: [String]
    public var rpath: String?
    public var runpath: String?
    /// `DF_1_NODEFLIB`: neither the cache nor the default directories for its dependencies.
    public var noDefaultLibraries: Bool
    public var machine: ELFMachine
    public var elfClass: ELFClass
    /// Whether it has `.gnu.version_d` (without one, no version of it is checked).
    public var definesVersions: Bool
    public var definedVersions: Set<String>
    public var requirements: [VersionRequirement]
    /// A library found for a `DT_NEEDED` entry (not the executable, not a plugin).
    public var isLibrary = false
    /// The symbols it defines, by name: read from the file when first asked for (a plugin's are
    /// rarely needed: what it references binds in the gateway's libraries first).
    let definitions: DefinitionTable
    /// The undefined symbols its relocations name, in the order glibc relocates them
    /// (`DT_RELA`/`DT_REL`, then `DT_JMPREL`), each once.
    public var references: [SymbolReference]

    struct Definition: Sendable {
        var version: String?
        var hidden: Bool
        /// The object has no `.gnu.version`: a definition matches any version.
        var unversionedObject: Bool
        /// `.gnu.version` index below 3 (glibc takes it for an unversioned reference at once).
        var lowIndex: Bool
    }

    /// Whether it defines `name` in a form that `reference` binds to (elf/dl-lookup.c, `check_match`).
    func defines(_ reference: SymbolReference) -> Bool {
        guard let defs = definitions.lookup(reference.name) else { return false }
        return defs.contains { d in
            if d.unversionedObject { return true }
            if let v = reference.version { return d.version == v || (d.version == nil && !d.hidden) }
            return d.lowIndex || !d.hidden
        }
    }

    /// Reads the object at `hostPath`; nil when it is not a readable ELF file. Only the
    /// relocations' undefined symbols are read now, in place; the definitions when first needed.
    public static func read(hostPath: String, name: String, origin: String, originInRoot: Bool) -> LinkedObject? {
        guard let file = try? ELFFile(path: hostPath) else { return nil }
        let versym = file.symbolVersionIndices()
        let requirements = file.versionRequirements()
        let verdefs = file.versionDefinitions()
        var needNames: [UInt16: String] = [:]
        for r in requirements { needNames[r.index] = r.name }
        var references: [SymbolReference] = []
        var seen = Set<SymbolReference>()
        let relocationSections = [".rela.dyn", ".rel.dyn", ".rela.plt", ".rel.plt"]
        for sectionName in relocationSections {
            for section in file.sections where section.name == sectionName && (section.type == .rela || section.type == .rel) {
                let link = Int(section.link)
                let symbols = link > 0 && link < file.sections.count ? file.sections[link] : nil
                guard let symbols, symbols.type == .dynsym else { continue }
                file.withSymbolTable(symbols) { table in
                    // Each symbol once: a bitmap by index (a plugin has ~10,000 relocations).
                    var seenIndex = [Bool](repeating: false, count: table.count)
                    file.withRelocations(section) { relocations in
                        for i in 0..<relocations.count {
                            let r = relocations.entry(i)
                            let si = r.symbolIndex
                            guard r.type != 0, si > 0, si < table.count, !seenIndex[si] else { continue }
                            seenIndex[si] = true
                            guard !table.isDefined(si) else { continue }
                            let s = table.entry(si)
                            let name = table.name(si)
                            guard !name.isEmpty else { continue }
                            let ndx = versym.flatMap { si < $0.count ? $0[si] & 0x7fff : nil } ?? 0
                            let ref = SymbolReference(name: name, version: ndx >= 2 ? needNames[ndx] : nil, weak: s.binding == .weak)
                            if seen.insert(ref).inserted { references.append(ref) }
                        }
                    }
                }
            }
        }
        var names: Set<String> = [name]
        if let so = file.soname { names.insert(so) }
        let identity = file.status.map { FileIdentity(device: $0.device, inode: $0.inode) }
        return LinkedObject(
            name: name, names: names, hostPath: hostPath, origin: origin, originInRoot: originInRoot,
            identity: identity, needed: file.needed,
            rpath: file.rpath, runpath: file.runpath, noDefaultLibraries: file.dynamicFlags.flags1 & 0x800 != 0,
            machine: file.header.machine, elfClass: file.header.elfClass,
            definesVersions: !verdefs.isEmpty, definedVersions: Set(verdefs.map(\.name)),
            requirements: requirements, definitions: DefinitionTable(hostPath: hostPath, identity: identity),
            references: references)
    }
}

/// An object's defined dynamic symbols by name, read from its file on the first look-up and
/// kept (a file that changed meanwhile, or cannot be read again, defines nothing).
final class DefinitionTable: @unchecked Sendable {
    let hostPath: String
    let identity: FileIdentity?
    private let lock = Mutex<[String: [LinkedObject.Definition]]?>(nil)

    init(hostPath: String, identity: FileIdentity?) {
        self.hostPath = hostPath
        self.identity = identity
    }

    func lookup(_ name: String) -> [LinkedObject.Definition]? {
        lock.withLock { table in
            if table == nil { table = Self.read(hostPath, identity) }
            return table?[name]
        }
    }

    static func read(_ hostPath: String, _ identity: FileIdentity?) -> [String: [LinkedObject.Definition]] {
        guard let file = try? ELFFile(path: hostPath),
              file.status.map({ FileIdentity(device: $0.device, inode: $0.inode) }) == identity else { return [:] }
        let versym = file.symbolVersionIndices()
        var defNames: [UInt16: String] = [:]
        for d in file.versionDefinitions() where d.flags & 1 == 0 { defNames[d.index] = d.name }
        var definitions: [String: [LinkedObject.Definition]] = [:]
        file.withSymbolTable(.dynamic) { table in
            for i in 1..<max(table.count, 1) where table.isDefined(i) {
                let s = table.entry(i)
                guard s.binding != .local, s.type != .section, s.type != .file else { continue }
                let name = table.name(i)
                guard !name.isEmpty else { continue }
                let v = versym.flatMap { i < $0.count ? $0[i] : nil }
                let ndx = v.map { $0 & 0x7fff }
                definitions[name, default: []].append(LinkedObject.Definition(
                    version: ndx.flatMap { defNames[$0] }, hidden: (v ?? 0) & 0x8000 != 0,
                    unversionedObject: versym == nil, lowIndex: (ndx ?? 0) < 3))
            }
        }
        return definitions
    }
}

/// An undefined symbol a relocation must bind, with the version it requires.
public struct SymbolReference: Hashable, Sendable {
    public var name: String
    public var version: String?
    public var weak: Bool
}

/// Why glibc's loader refuses, in its own words (dlerror's text).
public struct GlibcLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No file of that name on the search path (`cannot open shared object file`).
        case missingLibrary(name: String, neededBy: String, searched: [String])
        /// The library found does not define a version an object requires.
        case missingVersion(library: String, version: String, requiredBy: String)
        /// A non-weak undefined symbol nothing in the scope defines.
        case undefinedSymbol(object: String, symbol: String, version: String?)
    }
    public var kind: Kind
    public init(kind: Kind) { self.kind = kind }

    public var description: String {
        switch kind {
        case .missingLibrary(let name, _, _): return "\(name): cannot open shared object file: No such file or directory"
        case .missingVersion(let lib, let version, let by): return "\(lib): version `\(version)' not found (required by \(by))"
        case .undefinedSymbol(let object, let symbol, let version):
            return "\(object): undefined symbol: \(symbol)" + (version.map { ", version \($0)" } ?? "")
        }
    }
}

/// A gateway process as glibc's loader builds it on the target root: the executable and its
/// libraries (the global scope, breadth-first), then every object a successful
/// `dlopen(RTLD_NOW | RTLD_GLOBAL)` added. `open` replays elf/dl-open.c: map the dependencies
/// breadth-first (a missing one fails), check the symbol versions of every new object in
/// that order, then relocate the new objects last-loaded first, binding each non-weak
/// undefined symbol against the global scope followed by the new object's own search list.
public struct GlibcProcess: Sendable {
    public let search: LibrarySearch
    public private(set) var objects: [LinkedObject] = []
    /// Indices into `objects` in global-scope order.
    public private(set) var global: [Int] = []

    /// Starts the gateway: its libraries are mapped, their versions checked and the
    /// executable's symbols bound, as at program start; a failure means it does not run there.
    public static func start(gateway hostPath: String, name: String, search: LibrarySearch) -> Result<GlibcProcess, GlibcLoadError>? {
        var p = GlibcProcess(search: search)
        guard let exe = LinkedObject.read(hostPath: hostPath, name: name, origin: Self.directory(of: hostPath), originInRoot: false) else { return nil }
        switch p.map(exe) {
        case .failure(let e): return .failure(e)
        case .success(let new):
            p.objects += new.objects
            p.global = Array(p.objects.indices)
            return .success(p)
        }
    }

    /// `dlopen` of the object at `hostPath`, named `name` (the real path Go hands to dlopen):
    /// the objects it adds, or the loader's error. Changes nothing: `commit` adds them.
    public func open(hostPath: String, name: String) -> Result<Pending, GlibcLoadError>? {
        guard let object = LinkedObject.read(hostPath: hostPath, name: name, origin: Self.directory(of: hostPath), originInRoot: false) else { return nil }
        if let id = object.identity, objects.contains(where: { $0.identity == id }) { return .success(Pending(objects: [])) }
        return map(object)
    }

    /// The objects of a successful `open`, added to the global scope (`RTLD_GLOBAL`).
    public mutating func commit(_ pending: Pending) {
        let first = objects.count
        objects += pending.objects
        global += first..<objects.count
    }

    public struct Pending: Sendable {
        public var objects: [LinkedObject]
        /// Every library found, as the loader named it (for the report).
        public var libraries: [String] { objects.dropFirst().map(\.name) }
    }

    private func map(_ root: LinkedObject) -> Result<Pending, GlibcLoadError> {
        var new = [root]
        // The search list of the new object: itself, then its dependencies breadth-first
        // (indices: >= 0 into `new`, < 0 into `objects` as -1 - index).
        var searchList: [Int] = [0]
        var loaders: [Int: Int] = [:]
        var i = 0
        while i < searchList.count {
            let at = searchList[i]
            let requester = at >= 0 ? new[at] : objects[-1 - at]
            if at >= 0 {
                for needed in requester.needed {
                    if let found = objects.firstIndex(where: { $0.names.contains(needed) }) {
                        if !searchList.contains(-1 - found) { searchList.append(-1 - found) }
                        continue
                    }
                    if let found = new.firstIndex(where: { $0.names.contains(needed) }) {
                        if !searchList.contains(found) { searchList.append(found) }
                        continue
                    }
                    let chain = Self.chain(at, loaders, new)
                    guard let (object, _) = locate(needed, requester: requester, chain: chain) else {
                        let searched = candidates(needed, requester: requester, chain: chain).map(\.shown)
                        return .failure(GlibcLoadError(kind: .missingLibrary(name: needed, neededBy: requester.name, searched: searched)))
                    }
                    if let same = (objects.firstIndex { $0.identity != nil && $0.identity == object.identity }) {
                        if !searchList.contains(-1 - same) { searchList.append(-1 - same) }
                        continue
                    }
                    if let same = (new.firstIndex { $0.identity != nil && $0.identity == object.identity }) {
                        new[same].names.insert(needed)
                        if !searchList.contains(same) { searchList.append(same) }
                        continue
                    }
                    guard new.count + objects.count < Limits.loadedObjects else {
                        return .failure(GlibcLoadError(kind: .missingLibrary(name: needed, neededBy: requester.name, searched: [])))
                    }
                    var o = object
                    o.names.insert(needed)
                    o.isLibrary = true
                    new.append(o)
                    loaders[new.count - 1] = at
                    searchList.append(new.count - 1)
                }
            }
            i += 1
        }
        let all = objects + new
        func byName(_ file: String) -> LinkedObject? { all.first { $0.names.contains(file) } }
        // Versions, new objects in load order (elf/dl-version.c, match_symbol).
        for o in new {
            for r in o.requirements where !r.weak {
                guard let lib = byName(r.file), lib.definesVersions else { continue }
                if !lib.definedVersions.contains(r.name) {
                    return .failure(GlibcLoadError(kind: .missingVersion(library: lib.name, version: r.name, requiredBy: o.name)))
                }
            }
        }
        // Symbols: the global scope, then the new object's search list. Whether some object of
        // the scope binds a reference does not depend on the order they are asked in: the
        // libraries (small tables, where nearly every C symbol is) are asked before the
        // executable and the plugins (whose tables are large and then never read).
        let scope = global.map { objects[$0] } + searchList.map { $0 >= 0 ? new[$0] : objects[-1 - $0] }
        let libraries = scope.filter { $0.isLibrary }, others = scope.filter { !$0.isLibrary }
        for o in new.reversed() {
            for ref in o.references where !ref.weak {
                if !libraries.contains(where: { $0.defines(ref) }) && !others.contains(where: { $0.defines(ref) }) {
                    return .failure(GlibcLoadError(kind: .undefinedSymbol(object: o.name, symbol: ref.name, version: ref.version)))
                }
            }
        }
        return .success(Pending(objects: new))
    }

    /// The requester and the objects that loaded it, up to the root of this open.
    private static func chain(_ at: Int, _ loaders: [Int: Int], _ new: [LinkedObject]) -> [LinkedObject] {
        var out: [LinkedObject] = []
        var cur: Int? = at
        while let c = cur, out.count <= new.count { out.append(new[c]); cur = loaders[c] }
        return out
    }

    struct Candidate { var shown: String; var inRoot: Bool }

    /// Where ld.so looks for `name`, in order (see `LibrarySearch`).
    func candidates(_ name: String, requester: LinkedObject, chain: [LinkedObject]) -> [Candidate] {
        if name.contains("/") { return [Candidate(shown: name, inRoot: true)] }
        var out: [Candidate] = []
        func add(_ list: String?, _ o: LinkedObject) {
            guard let list else { return }
            for dir in search.expand(list, origin: o.origin) {
                let inRoot = !(list.contains("$ORIGIN") || list.contains("${ORIGIN}")) || o.originInRoot
                out.append(Candidate(shown: (dir.hasSuffix("/") ? String(dir.dropLast()) : dir) + "/" + name, inRoot: inRoot))
            }
        }
        if requester.runpath == nil {
            for o in chain where o.runpath == nil || o.name == requester.name { add(o.rpath, o) }
            if let main = objects.first, !chain.contains(where: { $0.name == main.name }) { add(main.rpath, main) }
        }
        add(requester.runpath, requester)
        if !requester.noDefaultLibraries {
            if let cache = search.cache {
                if let path = cache[name] { out.append(Candidate(shown: path, inRoot: true)) }
            } else {
                for dir in search.configDirectories { out.append(Candidate(shown: dir + "/" + name, inRoot: true)) }
            }
            for dir in search.defaultDirectories { out.append(Candidate(shown: dir + "/" + name, inRoot: true)) }
        }
        return out
    }

    /// The first candidate that is an ELF object of the requester's machine and class
    /// (glibc skips the others as if they did not exist).
    private func locate(_ name: String, requester: LinkedObject, chain: [LinkedObject]) -> (LinkedObject, String)? {
        for c in candidates(name, requester: requester, chain: chain) {
            let host: String
            if c.inRoot {
                guard case .success(let h) = search.root.hostPath(of: c.shown) else { continue }
                host = h
            } else {
                host = c.shown
            }
            let origin = c.inRoot ? Self.directory(of: c.shown) : Self.directory(of: host)
            guard let o = LinkedObject.read(hostPath: host, name: c.shown, origin: origin, originInRoot: c.inRoot),
                  o.machine == requester.machine, o.elfClass == requester.elfClass else { continue }
            return (o, c.shown)
        }
        return nil
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
