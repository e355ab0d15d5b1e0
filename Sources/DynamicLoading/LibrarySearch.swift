import ELFKit

/// Where glibc's `ld.so` looks for a `DT_NEEDED` name (elf/dl-load.c, `_dl_map_object`), on
/// a target root: a name with a slash is a path; otherwise, in order,
///
/// 1. `DT_RPATH` of the object that needs it, when it has no `DT_RUNPATH`, then of the
///    objects that loaded it (up to the executable);
/// 2. `LD_LIBRARY_PATH`: not used (the gateway's environment is not known);
/// 3. `DT_RUNPATH` of the object that needs it (only its own);
/// 4. `/etc/ld.so.cache` of the root (skipped with `DF_1_NODEFLIB`);
/// 5. the default directories of the architecture (Debian's multiarch directories first,
///    what `ld.so --help` lists as "system search path"), unless `DF_1_NODEFLIB`.
///
/// `$ORIGIN` (and `${ORIGIN}`) is the directory of the object holding the path, `$LIB` the
/// multiarch library directory. ld.so itself never reads `/etc/ld.so.conf`: ldconfig turns it
/// into the cache. When the root has no readable cache, the directories of its ld.so.conf
/// (with `include` globs) stand in for it, as a cache made from them would list them.
public struct LibrarySearch: Sendable {
    public let root: Sysroot
    public let machine: ELFMachine
    public let triplet: String
    /// The root's cache (name -> path), nil when it has none that can be read.
    public let cache: [String: String]?
    /// The ld.so.conf directories, used only without a cache.
    public let configDirectories: [String]

    public init(root: Sysroot, machine: ELFMachine, triplet: String) {
        self.root = root
        self.machine = machine
        self.triplet = triplet
        switch root.read("/etc/ld.so.cache", limit: Limits.loaderCache) {
        case .success(let bytes): cache = LoaderCache.parse(bytes, flags: LoaderCache.flags(for: machine))
        case .failure: cache = nil
        }
        var seen = Set<String>()
        configDirectories = cache == nil ? LoaderConfig.directories(root: root, file: "/etc/ld.so.conf", seen: &seen) : []
    }

    /// The directories ld.so searches last (`ld.so --help`: "system search path").
    public var defaultDirectories: [String] {
        switch machine {
        case .x86_64, .aarch64, .s390, .ppc64, .riscv:
            return ["/lib/\(triplet)", "/usr/lib/\(triplet)", "/lib", "/usr/lib"]
        default:
            return ["/lib/\(triplet)", "/usr/lib/\(triplet)", "/lib", "/usr/lib"]
        }
    }

    /// The path list of a `DT_RPATH`/`DT_RUNPATH` string, `$ORIGIN` and `$LIB` expanded.
    public func expand(_ list: String, origin: String) -> [String] {
        list.split(separator: ":", omittingEmptySubsequences: true).map { entry in
            var e = String(entry)
            for (token, value) in [("${ORIGIN}", origin), ("$ORIGIN", origin), ("${LIB}", "lib/\(triplet)"), ("$LIB", "lib/\(triplet)"),
                                   ("${PLATFORM}", machine == .x86_64 ? "x86_64" : machine.name), ("$PLATFORM", machine == .x86_64 ? "x86_64" : machine.name)] {
                e = e.replacingAll(token, with: value)
            }
            return e
        }
    }
}

/// `/etc/ld.so.cache` (glibc's elf/dl-cache.c): the new format (`glibc-ld.so.cache1.1`),
/// alone or after the old one (`ld.so-1.7.0`, written by glibc up to 2.31 as "compat").
public enum LoaderCache {
    /// The entry flags glibc accepts for the machine (`_DL_CACHE_DEFAULT_ID`); nil when not known.
    public static func flags(for machine: ELFMachine) -> Int32? {
        switch machine {
        case .x86_64: return 0x0303   // FLAG_ELF_LIBC6 | FLAG_X8664_LIB64
        case .aarch64: return 0x0a03  // FLAG_ELF_LIBC6 | FLAG_AARCH64_LIB64
        case .i386: return 0x0003     // FLAG_ELF_LIBC6
        default: return nil
        }
    }

    /// name -> path of the first entry with the machine's flags and no hwcap; nil when the
    /// bytes are not a cache this reader understands.
    public static func parse(_ b: [UInt8], flags want: Int32?) -> [String: String]? {
        guard let want else { return nil }
        let r = ByteReader(b, bigEndian: false)
        func starts(_ magic: String, at o: Int) -> Bool {
            let m = Array(magic.utf8)
            return o >= 0 && o + m.count <= b.count && Array(b[o..<(o + m.count)]) == m
        }
        var start = 0
        if starts("ld.so-1.7.0", at: 0) {
            let n = Int(r.uint32(at: 12))
            guard n <= b.count / 12 else { return nil }
            start = (16 + n * 12 + 7) & ~7
        }
        guard starts("glibc-ld.so.cache1.1", at: start) else { return nil }
        let count = Int(r.uint32(at: start + 20))
        guard count <= (b.count - start) / 24 else { return nil }
        func string(_ offset: UInt32) -> String? {
            let o = start + Int(offset)
            guard o >= 0, o < b.count else { return nil }
            let end = b[o...].firstIndex(of: 0) ?? b.count
            return String(decoding: b[o..<end], as: UTF8.self)
        }
        var out: [String: String] = [:]
        for i in 0..<count {
            let e = start + 48 + i * 24
            guard e + 24 <= b.count else { return nil }
            let flags = Int32(bitPattern: r.uint32(at: e))
            guard flags == want || flags == 1, r.uint64(at: e + 16) == 0,
                  let key = string(r.uint32(at: e + 4)), let value = string(r.uint32(at: e + 8)) else { continue }
            if out[key] == nil { out[key] = value }
        }
        return out
    }
}

/// `/etc/ld.so.conf` as ldconfig reads it (elf/ldconfig.c, `parse_conf`): one directory per
/// line (or several, split at spaces, tabs, `:` and `,`), `#` comments, `include GLOB`
/// (relative to the including file's directory), `hwcap` lines ignored. Bounded: each file at
/// most `Limits.loaderConfig` bytes, `Limits.loaderConfigFiles` files in all, a file included
/// again (an include loop) read once.
public enum LoaderConfig {
    public static func directories(root: Sysroot, file: String, seen: inout Set<String>) -> [String] {
        guard seen.count < Limits.loaderConfigFiles, seen.insert(file).inserted,
              case .success(let bytes) = root.read(file, limit: Limits.loaderConfig) else { return [] }
        var out: [String] = []
        let dir = file.split(separator: "/").dropLast().joined(separator: "/")
        for raw in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" || $0 == "," || $0 == "\r" }).map(String.init)
            guard let first = words.first else { continue }
            if first == "include" {
                for pattern in words.dropFirst() {
                    let full = pattern.hasPrefix("/") ? pattern : "/" + dir + "/" + pattern
                    for f in glob(root: root, full) { out += directories(root: root, file: f, seen: &seen) }
                }
            } else if first == "hwcap" {
                continue
            } else {
                out += words.filter { $0.hasPrefix("/") }
            }
        }
        return out
    }

    /// The files of the root matching `pattern` (wildcards `*`, `?` in the last component), sorted.
    static func glob(root: Sysroot, _ pattern: String) -> [String] {
        let parts = pattern.split(separator: "/").map(String.init)
        guard let last = parts.last else { return [] }
        let dir = "/" + parts.dropLast().joined(separator: "/")
        guard last.contains("*") || last.contains("?") else { return [dir == "/" ? "/" + last : dir + "/" + last] }
        guard case .success(let host) = root.hostPath(of: dir), case .success(let names) = DirectoryListing.names(host) else { return [] }
        return names.filter { matches(Array($0.utf8), Array(last.utf8)) && !$0.hasPrefix(".") }.prefix(Limits.loaderConfigFiles)
            .map { (dir == "/" ? "" : dir) + "/" + $0 }
    }

    /// fnmatch(3) for `*` and `?` only (iterative, linear backtracking).
    static func matches(_ s: [UInt8], _ p: [UInt8]) -> Bool {
        var i = 0, j = 0, star = -1, mark = 0
        while i < s.count {
            if j < p.count && (p[j] == UInt8(ascii: "?") || p[j] == s[i]) { i += 1; j += 1 }
            else if j < p.count && p[j] == UInt8(ascii: "*") { star = j; mark = i; j += 1 }
            else if star >= 0 { j = star + 1; mark += 1; i = mark }
            else { return false }
        }
        while j < p.count && p[j] == UInt8(ascii: "*") { j += 1 }
        return j == p.count
    }
}

extension String {
    func replacingAll(_ target: String, with value: String) -> String {
        let t = Array(target.utf8), v = Array(value.utf8), b = Array(utf8)
        guard !t.isEmpty, b.count >= t.count else { return self }
        var out: [UInt8] = [], i = 0
        while i < b.count {
            if i + t.count <= b.count && Array(b[i..<(i + t.count)]) == t { out += v; i += t.count } else { out.append(b[i]); i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
