import Foundation

/// The facts binutils' `readelf -h -l -S -d -n -V --dyn-syms -W` printed for a file, parsed
/// from the recorded text (F.readelf.txt). Only what the output contains is filled in.
public struct ReadelfReference {
    public var header: [String: String] = [:]
    public struct ProgramHeader: Equatable {
        public var type: String
        public var offset, virtualAddress, physicalAddress, fileSize, memorySize, alignment: UInt64
        public var flags: String
    }
    public var programHeaders: [ProgramHeader] = []
    public var interpreter: String?
    public var sawProgramHeaders = false
    public var sections: [(index: Int, name: String, type: String, address: UInt64, offset: UInt64, size: UInt64)] = []
    public var sawSections = false
    public var dynamic: [(tag: String, value: String)] = []
    public var sawDynamic = false
    public var buildID: String?
    public var dynsymCount: Int?
    public var versionNeeds: [(file: String, versions: [String])] = []
    public var sawVersionNeeds = false

    public init(text: String) {
        enum Part { case none, programs, sections, dynamic, versions }
        var part = Part.none
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let t = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("ELF Header:") { part = .none; continue }
            if line.hasPrefix("Program Headers:") { part = .programs; sawProgramHeaders = true; continue }
            if line.hasPrefix("Section Headers:") { part = .sections; sawSections = true; continue }
            if line.hasPrefix("Dynamic section at offset") { part = .dynamic; sawDynamic = true; continue }
            if line.hasPrefix("Version needs section") { part = .versions; sawVersionNeeds = true; continue }
            if line.hasPrefix("There is no dynamic section") { sawDynamic = true; part = .none; continue }
            if line.hasPrefix("There are no program headers") { sawProgramHeaders = true; part = .none; continue }
            if line.hasPrefix("Symbol table '.dynsym' contains "), let n = Int(line.split(separator: " ")[4]) {
                dynsymCount = n
                part = .none
                continue
            }
            if let r = t.range(of: "Build ID: ") { buildID = String(t[r.upperBound...]) }
            let terminators = ["Key to Flags", " Section to Segment", "Displaying notes", "Version symbols", "Version definition"]
            if t.isEmpty || terminators.contains(where: line.hasPrefix) {
                part = .none
                continue
            }
            let fields = t.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            switch part {
            case .none:
                if let colon = line.firstIndex(of: ":"), line.hasPrefix("  "), !line.hasPrefix("   ") {
                    let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    if header[key] == nil { header[key] = value }
                }
            case .programs:
                if t.hasPrefix("[Requesting program interpreter: ") {
                    interpreter = String(t.dropFirst("[Requesting program interpreter: ".count).dropLast())
                    continue
                }
                guard fields.count >= 7, fields[0] != "Type", let off = hex(fields[1]) else { continue }
                programHeaders.append(ProgramHeader(
                    type: fields[0], offset: off, virtualAddress: hex(fields[2]) ?? 0, physicalAddress: hex(fields[3]) ?? 0,
                    fileSize: hex(fields[4]) ?? 0, memorySize: hex(fields[5]) ?? 0, alignment: hex(fields.last!) ?? 0,
                    flags: fields.count > 7 ? fields[6..<(fields.count - 1)].joined(separator: " ") : ""))
            case .sections:
                guard t.hasPrefix("["), let close = t.firstIndex(of: "]"), let index = Int(t[t.index(after: t.startIndex)..<close].trimmingCharacters(in: .whitespaces)) else { continue }
                let rest = t[t.index(after: close)...].split(separator: " ").map(String.init)
                // Index 0 has an empty name, so its first field is already the type.
                let named = index != 0
                let f = named ? rest : [""] + rest
                guard f.count >= 5 else { continue }
                sections.append((index, f[0], f[1], hex(f[2]) ?? 0, hex(f[3]) ?? 0, hex(f[4]) ?? 0))
            case .dynamic:
                guard fields.count >= 3, fields[0].hasPrefix("0x"), fields[1].hasPrefix("(") else { continue }
                let tag = String(fields[1].dropFirst().dropLast())
                dynamic.append((tag, fields[2...].joined(separator: " ")))
            case .versions:
                if let r = t.range(of: "File: ") {
                    let file = t[r.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                    versionNeeds.append((file, []))
                } else if let r = t.range(of: "Name: "), !versionNeeds.isEmpty {
                    versionNeeds[versionNeeds.count - 1].versions.append(t[r.upperBound...].split(separator: " ").first.map(String.init) ?? "")
                }
            }
        }
    }

    /// The bracketed strings of the dynamic entries with this tag (`Shared library: [libc.so.6]`).
    public func dynamicStrings(_ tag: String) -> [String] {
        dynamic.filter { $0.tag == tag }.compactMap { entry in
            guard let open = entry.value.firstIndex(of: "["), let close = entry.value.lastIndex(of: "]") else { return nil }
            return String(entry.value[entry.value.index(after: open)..<close])
        }
    }

    func hex(_ s: String) -> UInt64? {
        UInt64(s.hasPrefix("0x") ? String(s.dropFirst(2)) : s, radix: 16)
    }
}
