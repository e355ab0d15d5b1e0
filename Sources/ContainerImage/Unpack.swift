import ELFKit

/// An image's root file system, unpacked into a private temporary folder (mode 0700 under
/// `$TMPDIR` or /tmp) to be read as a `--sysroot`; `remove()` deletes it.
public struct UnpackedImage: Sendable {
    /// The image as given.
    public var image: String
    /// The temporary root.
    public var root: String
    public var entrypoint: [String]
    /// The image's `Cmd` (the arguments after the entrypoint).
    public var command: [String]
    /// `PATH` of the image's environment, as a program name in the entrypoint is looked up.
    public var searchPath: String?
    public var workingDirectory: String?

    /// Reads the image at `path` (an OCI image layout directory or tarball, or a
    /// docker-archive tarball) and applies its layers in order; `wanted` are paths inside the
    /// image written whole whatever they hold (a configuration outside /etc). On any refusal
    /// the temporary folder is removed and nothing is left.
    public static func unpack(_ path: String, wanted: Set<String> = []) throws(ImageError) -> UnpackedImage {
        let store: ImageStore
        let manifest: ImageManifest
        do {
            store = try ImageStore.open(path)
            manifest = try ImageManifest.read(store)
        } catch { throw ImageError(path: path, reason: error.reason) }
        let root: String
        do { root = try TemporaryRoot.make() } catch { throw ImageError(path: path, reason: "cannot make a temporary folder: \(error)") }
        do {
            // A relative path asked for is the image's working directory's.
            let workdir = manifest.workingDirectory ?? "/"
            let inImage = Set(wanted.map { Self.clean($0.hasPrefix("/") ? $0 : Self.join(workdir, $0)) })
            let layers = LayerApplier(root: root, wanted: inImage)
            for (i, layer) in manifest.layers.enumerated() {
                try layers.apply(layer, number: i + 1)
            }
        } catch {
            TemporaryRoot.remove(root)
            throw ImageError(path: path, reason: error.reason)
        }
        return UnpackedImage(image: path, root: root, entrypoint: manifest.entrypoint, command: manifest.command,
                             searchPath: manifest.searchPath, workingDirectory: manifest.workingDirectory)
    }

    /// The path inside the image of the program its entrypoint starts (a bare name looked up
    /// in the image's `PATH`, as a container runtime does); nil when the image has neither an
    /// entrypoint nor a command.
    public func entrypointProgram() -> String? {
        entrypointProgram { p in
            if case .success = FileStatus.of(hostPath(of: p), followLinks: true) { return true }
            return false
        }
    }

    /// Where a path of the image is in the unpacked root: cleaned at the image's root, so
    /// that `..` stops there (no link in the unpacked root climbs out of it).
    public func hostPath(of path: String) -> String {
        root + Self.clean(path)
    }

    /// `path` as an absolute path of the image, cleaned at its root (`..` stops there).
    static func clean(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") where p != "." {
            if p == ".." { _ = parts.popLast() } else { parts.append(p) }
        }
        return "/" + parts.joined(separator: "/")
    }

    func entrypointProgram(exists: (String) -> Bool) -> String? {
        guard let program = (entrypoint.first ?? command.first), !program.isEmpty else { return nil }
        if program.contains("/") { return program.hasPrefix("/") ? program : Self.join(workingDirectory ?? "/", program) }
        let dirs = (searchPath ?? Self.defaultSearchPath).split(separator: ":").map(String.init)
        return dirs.map { Self.join($0, program) }.first(where: exists) ?? Self.join(dirs.first ?? "/usr/bin", program)
    }

    static func join(_ dir: String, _ name: String) -> String { dir.hasSuffix("/") ? dir + name : dir + "/" + name }

    /// The `PATH` runc and Docker give a container whose image sets none.
    static let defaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    public func remove() { TemporaryRoot.remove(root) }
}

/// Applies layers to a root: whiteouts (`.wh.NAME`) remove, opaque markers (`.wh..wh..opq`)
/// empty a directory of what lower layers put there, entries never leave the root: a name
/// that is absolute or climbs with `..`, a symbolic link whose target climbs out of the root,
/// a hard link to something that is not a file of the root, or an entry under a symbolic link
/// is refused. Devices and FIFOs are not made; permissions keep only rwx bits.
final class LayerApplier {
    let root: String
    var unpacked = 0
    var entries = 0
    /// Paths made by the layer being applied (an opaque marker keeps them).
    var thisLayer: Set<String> = []
    /// Paths in the image (`/app/krakend.json`) written whole whatever they hold.
    let wanted: Set<String>
    /// What a stand-in keeps of a file that is neither ELF nor asked for.
    static let standInBytes = 4096
    /// The last directory found missing (not made yet): nothing under it exists.
    var missing: [String] = []

    init(root: String, wanted: Set<String> = []) {
        self.root = root
        self.wanted = wanted
    }

    func apply(_ blob: Blob, number: Int) throws(Refusal) {
        let what = "layer \(number) (\(Self.shortName(blob.name)))"
        let head = try blob.stream().next(max: 6)
        // Every byte read is hashed; the digests are compared when the layer has been read to
        // its end (on a mismatch the whole temporary root is removed).
        let raw: ByteStream = blob.digest.map { DigestingStream(blob.stream(), expected: $0, what: what) } ?? blob.stream()
        let stream: ByteStream
        switch Compression.of(head) {
        case .none: stream = raw
        case .gzip: stream = try GzipStream(raw, name: what)
        case .zstd: throw Refusal("\(what): zstd-compressed layers are not supported (skopeo copy --dest-compress-format gzip)")
        case .other(let k): throw Refusal("\(what): \(k)-compressed layers are not supported")
        }
        let content: ByteStream = blob.contentDigest.map { DigestingStream(stream, expected: $0, what: what + ", uncompressed") } ?? stream
        let tar = TarReader(BufferedStream(content), what: what)
        thisLayer = []
        while let entry = try tar.next() {
            entries += 1
            guard entries <= Limits.layerEntries else { throw Refusal("more than \(Limits.layerEntries) entries in all layers") }
            try apply(entry, tar, what: what)
        }
        try (content as? DigestingStream)?.finish()
        if content !== raw { try (raw as? DigestingStream)?.finish() }
    }

    /// `sha256:0123456789ab` for an OCI blob, the member's name for a docker-archive layer.
    static func shortName(_ name: String) -> String {
        let parts = name.split(separator: "/")
        if parts.count == 3, parts[0] == "blobs" { return "\(parts[1]):\(parts[2].prefix(12))" }
        return name
    }

    /// The components of an entry's name, refused when it is absolute or climbs out.
    static func components(_ name: String, what: String, entry: String) throws(Refusal) -> [String] {
        guard !name.contains("\0") else { throw Refusal("\(what): entry \(entry.debugDescription): a NUL byte in the path") }
        guard name.utf8.count <= Limits.tarPath else { throw Refusal("\(what): entry \(entry.prefix(80))...: path longer than \(Limits.tarPath) bytes") }
        guard !name.hasPrefix("/") else { throw Refusal("\(what): entry \(entry): absolute path (path traversal)") }
        var parts: [String] = []
        for p in name.split(separator: "/") where p != "." {
            guard p != ".." else { throw Refusal("\(what): entry \(entry): path leaves the image's root (path traversal)") }
            parts.append(String(p))
        }
        return parts
    }

    /// The host path of the directory `parts`, made when missing if `create` (as tar does),
    /// else nil when missing; a symbolic link or a file on the way is refused, so nothing is
    /// ever written through a link.
    func directory(_ parts: ArraySlice<String>, what: String, entry: String, create: Bool) throws(Refusal) -> String? {
        var path = root
        var missing = false
        for (i, p) in zip(parts.indices, parts) {
            path += "/" + p
            if missing {
                do { try TemporaryRoot.makeDirectory(path, permissions: 0o755) } catch { throw Refusal("\(what): entry \(entry): \(error)") }
                continue
            }
            switch FileStatus.of(path, followLinks: false) {
            case .success(let st) where st.isDirectory: continue
            case .success(let st) where st.isSymlink:
                throw Refusal("\(what): entry \(entry): goes through the symbolic link /\(parts[...i].joined(separator: "/")) (symlink escape)")
            case .success:
                throw Refusal("\(what): entry \(entry): /\(parts[...i].joined(separator: "/")) on its path is not a directory")
            case .failure where create:
                missing = true
                do { try TemporaryRoot.makeDirectory(path, permissions: 0o755) } catch { throw Refusal("\(what): entry \(entry): \(error)") }
            case .failure:
                return nil
            }
        }
        return path
    }

    func apply(_ entry: TarEntry, _ tar: TarReader, what: String) throws(Refusal) {
        let parts = try Self.components(entry.name, what: what, entry: entry.name)
        guard let last = parts.last else { return }  // the root itself ("./")
        let key = parts.joined(separator: "/")
        let dirKey = parts.dropLast().joined(separator: "/")
        if last == ".wh..wh..opq" {
            guard let parent = try directory(parts.dropLast(), what: what, entry: entry.name, create: false) else { return }
            if case .success(let names) = DirectoryListing.names(parent) {
                for n in names where !thisLayer.contains(dirKey.isEmpty ? n : dirKey + "/" + n) { TemporaryRoot.remove(parent + "/" + n) }
            }
            return
        }
        if last.hasPrefix(".wh.") {
            let hidden = String(last.dropFirst(4))
            guard !hidden.isEmpty, hidden != ".", hidden != ".." else { throw Refusal("\(what): entry \(entry.name): a whiteout of nothing") }
            guard let parent = try directory(parts.dropLast(), what: what, entry: entry.name, create: false) else { return }
            TemporaryRoot.remove(parent + "/" + hidden)
            return
        }
        thisLayer.insert(key)
        // What a lower layer (or this one) put here is replaced; a directory stays a directory.
        if let parent = try directory(parts.dropLast(), what: what, entry: entry.name, create: false),
           case .success(let st) = FileStatus.of(parent + "/" + last, followLinks: false) {
            if st.isDirectory && entry.kind == .directory {
                TemporaryRoot.setPermissions(parent + "/" + last, (entry.mode & 0o777) | 0o700)
                return
            }
            TemporaryRoot.remove(parent + "/" + last)
        }
        switch entry.kind {
        case .directory:
            // Made even when empty: an empty plugin folder is not a missing one.
            _ = try directory(parts[...], what: what, entry: entry.name, create: true)
            TemporaryRoot.setPermissions(root + "/" + key, (entry.mode & 0o777) | 0o700)
        case .special:
            // Devices and FIFOs are never made.
            return
        case .file, .other:
            unpacked += entry.size
            guard unpacked <= Limits.imageUnpacked else { throw Refusal("\(what): entry \(entry.name): more than \(Limits.imageUnpacked) bytes in all") }
            // ELF files (programs, libraries, plugins) and what is under /etc (ld.so.conf,
            // ld.so.cache, the gateway's configuration), and the files asked for, are written
            // whole. Any other file becomes a stand-in of its real size that holds only its first
            // page (the rest a hole): what a loader decides on a file that is not ELF (too
            // short, not ELF, a directory) is the same, and next to nothing is written.
            var first = try tar.readData(max: Self.standInBytes)
            let whole = parts.first == "etc" || first.starts(with: [0x7f, 0x45, 0x4c, 0x46]) || wanted.contains("/" + key)
            let path = try directory(parts.dropLast(), what: what, entry: entry.name, create: true)! + "/" + last
            do {
                try TemporaryRoot.writeFile(path, permissions: entry.mode & 0o777, size: whole ? nil : entry.size) {
                    if !first.isEmpty { defer { first = [] }; return first }
                    return whole ? try tar.readData() : []
                }
            } catch let r as Refusal { throw r } catch { throw Refusal("\(what): entry \(entry.name): \(error)") }
        case .symbolicLink:
            let target = entry.linkTarget
            guard !target.isEmpty, !target.contains("\0"), target.utf8.count <= Limits.tarPath else {
                throw Refusal("\(what): entry \(entry.name): an empty or overlong link target")
            }
            // A relative target must not climb above the root. An absolute one means the image's
            // root: it is written relative to the link's directory, so that the unpacked tree
            // holds together on this machine too (realpath of a plugin in the image stays in it).
            var written = target
            if target.hasPrefix("/") {
                let up = Array(repeating: "..", count: parts.count - 1)
                let down = target.split(separator: "/").map(String.init)
                written = (up + down).joined(separator: "/")
                if written.isEmpty { written = "." }
            } else {
                var depth = parts.count - 1
                for p in target.split(separator: "/") where p != "." {
                    depth += p == ".." ? -1 : 1
                    guard depth >= 0 else { throw Refusal("\(what): entry \(entry.name): symbolic link to \(target) leaves the image's root (symlink escape)") }
                }
            }
            let path = try directory(parts.dropLast(), what: what, entry: entry.name, create: true)! + "/" + last
            do { try TemporaryRoot.makeSymbolicLink(path, target: written) } catch { throw Refusal("\(what): entry \(entry.name): \(error)") }
        case .hardLink:
            let targetParts: [String]
            do { targetParts = try Self.components(entry.linkTarget, what: what, entry: entry.name) } catch {
                throw Refusal("\(what): entry \(entry.name): hard link to \(entry.linkTarget) leaves the image's root")
            }
            guard let tlast = targetParts.last else { throw Refusal("\(what): entry \(entry.name): hard link to the root") }
            let existingDir = try? directory(targetParts.dropLast(), what: what, entry: entry.name, create: false)
            guard let existingDir else {
                throw Refusal("\(what): entry \(entry.name): hard link to \(entry.linkTarget), which is not a file of the image")
            }
            let existing = existingDir + "/" + tlast
            guard case .success(let st) = FileStatus.of(existing, followLinks: false), st.isRegular else {
                throw Refusal("\(what): entry \(entry.name): hard link to \(entry.linkTarget), which is not a file of the image")
            }
            let path = try directory(parts.dropLast(), what: what, entry: entry.name, create: true)! + "/" + last
            do { try TemporaryRoot.makeHardLink(path, existing: existing) } catch { throw Refusal("\(what): entry \(entry.name): \(error)") }
        }
    }
}
