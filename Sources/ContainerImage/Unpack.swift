import ELFKit

/// An image's root file system, unpacked into a private temporary folder (mode 0700 under
/// `$TMPDIR` or /tmp) to be read as a `--sysroot`; `remove()` deletes it.
public struct UnpackedImage: Sendable {
    /// The image as given.
    public var image: String
    /// The temporary root.
    public var root: String
    public var entrypoint: [String]
    public var workingDirectory: String?

    /// Reads the image at `path` (an OCI image layout directory or tarball, or a
    /// docker-archive tarball) and applies its layers in order. On any refusal the temporary
    /// folder is removed and nothing is left.
    public static func unpack(_ path: String) throws(ImageError) -> UnpackedImage {
        let store: ImageStore
        let manifest: ImageManifest
        do {
            store = try ImageStore.open(path)
            manifest = try ImageManifest.read(store)
        } catch { throw ImageError(path: path, reason: error.reason) }
        let root: String
        do { root = try TemporaryRoot.make() } catch { throw ImageError(path: path, reason: "cannot make a temporary folder: \(error)") }
        do {
            let layers = LayerApplier(root: root)
            for (i, layer) in manifest.layers.enumerated() {
                try layers.apply(layer, number: i + 1)
            }
        } catch {
            TemporaryRoot.remove(root)
            throw ImageError(path: path, reason: error.reason)
        }
        return UnpackedImage(image: path, root: root, entrypoint: manifest.entrypoint, workingDirectory: manifest.workingDirectory)
    }

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
    /// Files of the image not written (no check reads them), for hard links to them.
    var skipped: Set<String> = []
    /// The last directory found missing (not made yet): nothing under it exists.
    var missing: [String] = []

    init(root: String) { self.root = root }

    func apply(_ blob: Blob, number: Int) throws(Refusal) {
        let what = "layer \(number) (\(Self.shortName(blob.name)))"
        let head = try blob.stream().next(max: 6)
        let stream: ByteStream
        switch Compression.of(head) {
        case .none: stream = blob.stream()
        case .gzip: stream = try GzipStream(blob.stream(), name: what)
        case .zstd: throw Refusal("\(what): zstd-compressed layers are not supported (skopeo copy --dest-compress-format gzip)")
        case .other(let k): throw Refusal("\(what): \(k)-compressed layers are not supported")
        }
        let tar = TarReader(BufferedStream(stream), what: what)
        thisLayer = []
        while let entry = try tar.next() {
            entries += 1
            guard entries <= Limits.layerEntries else { throw Refusal("more than \(Limits.layerEntries) entries in all layers") }
            try apply(entry, tar, what: what)
        }
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
            skipped = skipped.filter { !$0.hasPrefix(dirKey.isEmpty ? "" : dirKey + "/") || thisLayer.contains($0) }
            return
        }
        if last.hasPrefix(".wh.") {
            let hidden = String(last.dropFirst(4))
            guard !hidden.isEmpty, hidden != ".", hidden != ".." else { throw Refusal("\(what): entry \(entry.name): a whiteout of nothing") }
            let hiddenKey = dirKey.isEmpty ? hidden : dirKey + "/" + hidden
            skipped = skipped.filter { $0 != hiddenKey && !$0.hasPrefix(hiddenKey + "/") }
            guard let parent = try directory(parts.dropLast(), what: what, entry: entry.name, create: false) else { return }
            TemporaryRoot.remove(parent + "/" + hidden)
            return
        }
        thisLayer.insert(key)
        skipped.remove(key)
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
        case .directory, .special:
            // A directory is made when something is written in it (one holding nothing a check
            // reads is, to the loader's search, the same as none); devices and FIFOs never.
            return
        case .file, .other:
            unpacked += entry.size
            guard unpacked <= Limits.imageUnpacked else { throw Refusal("\(what): entry \(entry.name): more than \(Limits.imageUnpacked) bytes in all") }
            // Only what a check reads is written: ELF files (programs, libraries, plugins) and
            // what is under /etc (ld.so.conf, ld.so.cache, the gateway's configuration).
            var first = try tar.readData()
            guard parts.first == "etc" || first.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else {
                skipped.insert(key)
                return
            }
            let path = try directory(parts.dropLast(), what: what, entry: entry.name, create: true)! + "/" + last
            do {
                try TemporaryRoot.writeFile(path, permissions: entry.mode & 0o777) {
                    if !first.isEmpty { defer { first = [] }; return first }
                    return try tar.readData()
                }
            } catch let r as Refusal { throw r } catch { throw Refusal("\(what): entry \(entry.name): \(error)") }
        case .symbolicLink:
            let target = entry.linkTarget
            guard !target.isEmpty, !target.contains("\0"), target.utf8.count <= Limits.tarPath else {
                throw Refusal("\(what): entry \(entry.name): an empty or overlong link target")
            }
            // An absolute target is resolved inside the root when read (Sysroot.hostPath); a
            // relative one must not climb above it.
            if !target.hasPrefix("/") {
                var depth = parts.count - 1
                for p in target.split(separator: "/") where p != "." {
                    depth += p == ".." ? -1 : 1
                    guard depth >= 0 else { throw Refusal("\(what): entry \(entry.name): symbolic link to \(target) leaves the image's root (symlink escape)") }
                }
            }
            let path = try directory(parts.dropLast(), what: what, entry: entry.name, create: true)! + "/" + last
            do { try TemporaryRoot.makeSymbolicLink(path, target: target) } catch { throw Refusal("\(what): entry \(entry.name): \(error)") }
        case .hardLink:
            let targetParts: [String]
            do { targetParts = try Self.components(entry.linkTarget, what: what, entry: entry.name) } catch {
                throw Refusal("\(what): entry \(entry.name): hard link to \(entry.linkTarget) leaves the image's root")
            }
            guard let tlast = targetParts.last else { throw Refusal("\(what): entry \(entry.name): hard link to the root") }
            if skipped.contains(targetParts.joined(separator: "/")) { skipped.insert(key); return }
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
