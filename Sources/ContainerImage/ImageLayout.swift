import ELFKit
import Foundation

/// A blob of an image: a byte range of a file (a file of an OCI layout directory, or a member
/// of an image tarball).
struct Blob {
    var file: ReadableFile
    var offset: Int
    var size: Int
    var name: String
    /// The digest its bytes must have (an OCI blob is named by it).
    var digest: Digest?
    /// The digest its uncompressed tar must have (a layer's `diff_id` in the image's configuration).
    var contentDigest: Digest?

    func stream() -> FileRange { FileRange(file: file, offset: offset, size: size) }

    /// The blob's bytes, checked against `digest`.
    func readAll(limit: Int) throws(Refusal) -> [UInt8] {
        guard size <= limit else { throw Refusal("\(name): \(size) bytes, over the limit of \(limit)") }
        let s: ByteStream = digest.map { DigestingStream(stream(), expected: $0, what: name) } ?? stream()
        var out: [UInt8] = []
        while true {
            let part = try s.next(max: 1 << 16)
            if part.isEmpty {
                try (s as? DigestingStream)?.finish()
                return out
            }
            out += part
        }
    }
}

/// Where an image's files are: a directory (OCI image layout) or a tarball (docker-archive, as
/// `docker save` and `skopeo copy ... docker-archive:` write, or an OCI layout as a tar).
enum ImageStore {
    case directory(String)
    case tarball(ReadableFile, [String: (offset: Int, size: Int)])

    static func open(_ path: String) throws(Refusal) -> ImageStore {
        switch FileStatus.of(path, followLinks: true) {
        case .failure(let e): throw Refusal(e.description)
        case .success(let st) where st.isDirectory: return .directory(path)
        case .success:
            let file: ReadableFile
            do { file = try ReadableFile(path: path) } catch { throw Refusal(error.description) }
            return .tarball(file, try index(file))
        }
    }

    /// The members of an (uncompressed) tarball by normalized name, read header by header
    /// without reading their data; symbolic links among them (docker save's repeated layers)
    /// point at the member they name.
    static func index(_ file: ReadableFile) throws(Refusal) -> [String: (offset: Int, size: Int)] {
        let head = (try? file.read(offset: 0, count: 6)) ?? []
        if case .gzip = Compression.of(head) { throw Refusal("a gzip-compressed tarball: give the image tarball uncompressed (gunzip it first)") }
        var members: [String: (offset: Int, size: Int)] = [:]
        var links: [String: String] = [:]
        var offset = 0
        while offset + 512 <= file.size {
            let reader = TarReader(BufferedStream(FileRange(file: file, offset: offset, size: file.size - offset)), what: "the image tarball")
            // Headers only: a long-name or PAX record precedes its entry, so read one entry
            // (its headers) and take the data's place from how far the reader went.
            guard let entry = try reader.next() else { break }
            guard members.count + links.count < Limits.imageArchiveMembers else { throw Refusal("more than \(Limits.imageArchiveMembers) members") }
            let headerEnd = try headerEnd(file: file, from: offset)
            let name = normalizedMemberName(entry.name)
            guard headerEnd + entry.size <= file.size else {
                throw Refusal("truncated: member \(entry.name) claims \(entry.size) bytes, the tarball ends \(headerEnd + entry.size - file.size) bytes earlier")
            }
            switch entry.kind {
            case .file: members[name] = (headerEnd, entry.size)
            case .symbolicLink:
                let dir = name.split(separator: "/").dropLast().joined(separator: "/")
                links[name] = normalizedMemberName(entry.linkTarget.hasPrefix("/") ? entry.linkTarget : (dir.isEmpty ? "" : dir + "/") + entry.linkTarget)
            case .hardLink: links[name] = normalizedMemberName(entry.linkTarget)
            default: break
            }
            offset = headerEnd + ((entry.size + 511) & ~511)
        }
        for (name, var target) in links {
            var hops = 0
            while members[target] == nil, let t = links[target], hops < 8 { target = t; hops += 1 }
            if let m = members[target] { members[name] = m }
        }
        return members
    }

    /// The offset of an entry's data: past its 512-byte header and the long-name and PAX
    /// records before it.
    static func headerEnd(file: ReadableFile, from start: Int) throws(Refusal) -> Int {
        var offset = start
        while true {
            let block: [UInt8]
            do { block = try file.read(offset: offset, count: 512) } catch { throw Refusal(error.description) }
            guard block.count == 512 else { throw Refusal("truncated: the tarball ends inside a header") }
            let size = try TarReader.number(block[124..<136], field: "size", what: "the image tarball")
            offset += 512
            switch block[156] {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"): offset += (size + 511) & ~511
            default: return offset
            }
        }
    }

    static func normalizedMemberName(_ name: String) -> String {
        var parts: [Substring] = []
        for p in name.split(separator: "/") where p != "." {
            if p == ".." { _ = parts.popLast() } else { parts.append(p) }
        }
        return parts.joined(separator: "/")
    }

    func has(_ name: String) -> Bool {
        switch self {
        case .directory(let dir): if case .success = FileStatus.of(dir + "/" + name, followLinks: true) { return true }; return false
        case .tarball(_, let members): return members[name] != nil
        }
    }

    func blob(_ name: String) throws(Refusal) -> Blob {
        switch self {
        case .directory(let dir):
            do {
                let f = try ReadableFile(path: dir + "/" + name)
                return Blob(file: f, offset: 0, size: f.size, name: name)
            } catch { throw Refusal("\(name): \(error)") }
        case .tarball(let file, let members):
            guard let m = members[Self.normalizedMemberName(name)] else { throw Refusal("\(name): not in the tarball") }
            return Blob(file: file, offset: m.offset, size: m.size, name: name)
        }
    }

    /// The blob of an OCI digest (`sha256:<64 hex digits>`; anything else is refused, so a
    /// digest never names a path outside blobs/).
    func blob(digest: String) throws(Refusal) -> Blob {
        guard let d = Digest(digest) else { throw Refusal("digest \(digest.prefix(80)) is not a sha256 or sha512 digest") }
        var b = try blob("blobs/\(d.algorithm.rawValue)/\(d.hex)")
        b.digest = d
        return b
    }

    func json(_ name: String) throws(Refusal) -> Any {
        try Self.json(try blob(name))
    }

    static func json(_ blob: Blob) throws(Refusal) -> Any {
        let bytes = try blob.readAll(limit: Limits.imageJSON)
        do { return try JSONSerialization.jsonObject(with: Data(bytes)) } catch { throw Refusal("\(blob.name): not JSON") }
    }
}

/// The image's layers in order (lowest first) and its configuration's entrypoint and working
/// directory.
struct ImageManifest {
    var layers: [Blob]
    var entrypoint: [String]
    var command: [String] = []
    var searchPath: String?
    var workingDirectory: String?

    static func read(_ store: ImageStore) throws(Refusal) -> ImageManifest {
        if store.has("manifest.json") {
            // docker-archive: [{"Config": "...", "Layers": ["<member>", ...]}]
            guard let list = try store.json("manifest.json") as? [[String: Any]], let first = list.first else {
                throw Refusal("manifest.json: not a list of images")
            }
            guard list.count == 1 else { throw Refusal("manifest.json: \(list.count) images in one archive; give an archive of one image") }
            guard let layers = first["Layers"] as? [String] else { throw Refusal("manifest.json: no Layers") }
            var config: Any?
            if let c = first["Config"] as? String { config = try store.json(c) }
            // A docker-archive names layers by file; their uncompressed digests are the
            // configuration's rootfs.diff_ids, one per layer in order.
            var blobs = try layers.map { (n: String) throws(Refusal) -> Blob in try store.blob(n) }
            let diffIDs = ((config as? [String: Any])?["rootfs"] as? [String: Any])?["diff_ids"] as? [String] ?? []
            guard diffIDs.count == blobs.count else {
                throw Refusal("manifest.json: \(blobs.count) layers, but the configuration lists \(diffIDs.count) layer digests (rootfs.diff_ids)")
            }
            for (i, id) in diffIDs.enumerated() {
                guard let d = Digest(id) else { throw Refusal("layer digest \(id.prefix(80)) is not a sha256 or sha512 digest") }
                blobs[i].contentDigest = d
            }
            return try make(layers: blobs, config: config)
        }
        if store.has("index.json") {
            var document = try store.json("index.json")
            for _ in 0..<Limits.imageIndexDepth {
                guard let object = document as? [String: Any] else { throw Refusal("index.json: not an object") }
                if let layers = object["layers"] as? [[String: Any]] {
                    var config: Any?
                    if let c = (object["config"] as? [String: Any])?["digest"] as? String { config = try ImageStore.json(try store.blob(digest: c)) }
                    var blobs: [Blob] = []
                    for l in layers {
                        guard let d = l["digest"] as? String else { throw Refusal("a layer without a digest") }
                        blobs.append(try store.blob(digest: d))
                    }
                    return try make(layers: blobs, config: config)
                }
                guard let manifests = object["manifests"] as? [[String: Any]], !manifests.isEmpty else {
                    throw Refusal("an image index without manifests")
                }
                let chosen = manifests.first { m in
                    guard let p = m["platform"] as? [String: Any] else { return false }
                    return p["os"] as? String == "linux" && p["architecture"] as? String == hostArchitecture
                } ?? manifests[0]
                guard let d = chosen["digest"] as? String else { throw Refusal("a manifest without a digest") }
                document = try ImageStore.json(try store.blob(digest: d))
            }
            throw Refusal("image indexes nested more than \(Limits.imageIndexDepth) deep")
        }
        throw Refusal("neither an OCI image layout (index.json) nor a docker-archive tarball (manifest.json)")
    }

    static func make(layers: [Blob], config: Any?) throws(Refusal) -> ImageManifest {
        guard layers.count <= Limits.imageLayers else { throw Refusal("\(layers.count) layers (at most \(Limits.imageLayers))") }
        let c = (config as? [String: Any])?["config"] as? [String: Any]
        let entrypoint = (c?["Entrypoint"] as? [String]) ?? []
        let wd = c?["WorkingDir"] as? String
        let path = ((c?["Env"] as? [String]) ?? []).last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) }
        return ImageManifest(layers: layers, entrypoint: entrypoint, command: (c?["Cmd"] as? [String]) ?? [], searchPath: path,
                             workingDirectory: wd?.isEmpty == true ? nil : wd)
    }

    static var hostArchitecture: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return ""
        #endif
    }
}
