import ELFKit

/// What `plugin.Lookup` returns for each name of a plugin, read from the plugin module's export
/// table the runtime builds Lookup's map from (`runtime.plugin_lastmoduleinit` walks
/// `moduledata.ptab`, entries {name NameOff, typ TypeOff} relative to `moduledata.types`, which
/// the linker fills from `go:plugin.tabs`; the compiler's `WritePluginTable` records a variable
/// as a pointer to its type, a function as its func type).
///
/// The module data is found without symbols, so stripped plugins read the same: its first field
/// `pcHeader` is the one relocated pointer to the pclntab header (magic, two zero bytes, the
/// instruction size quantum, the pointer size); the other fields' offsets come from the file's own
/// `type:runtime.moduledata` (`RuntimeLayout`).
public struct PluginExports: Hashable, Sendable, Codable {
    public struct Export: Hashable, Sendable, Codable {
        /// The name `Lookup` takes (`HandlerRegisterer`).
        public var name: String
        /// The type of the value `Lookup` returns: for a variable, a pointer to the variable's type.
        public var type: GoType
        /// For a variable whose type is (based on) a string: the value it is initialised with,
        /// when the file holds it (statically initialised data); nil otherwise.
        public var stringValue: String?
        /// Why `stringValue` is nil although the variable is a string (set at run time...).
        public var stringValueUnknownReason: String?
        public init(name: String, type: GoType, stringValue: String? = nil, stringValueUnknownReason: String? = nil) {
            self.name = name
            self.type = type
            self.stringValue = stringValue
            self.stringValueUnknownReason = stringValueUnknownReason
        }
    }

    /// In the table's order (the compiler's, by name).
    public var exports: [Export]

    public init(exports: [Export]) {
        self.exports = exports
    }

    public func export(named name: String) -> Export? { exports.first { $0.name == name } }

    static let pclntabMagics: Set<UInt32> = [0xfffffffa, 0xfffffffb, 0xfffffff0, 0xfffffff1]

    /// Reads the table; nil when the file has no readable module data or export table.
    /// `pluginPath` names the `.dynsym` symbols (`<path>.<Name>`) whose data the values are read from.
    /// Opens `path` and reads them; nil when the file cannot be read or they cannot be.
    public init?(path: String, pluginPath: String?) {
        guard let file = try? ELFFile(path: path) else { return nil }
        self.init(file: file, layout: RuntimeLayout(file: file), pluginPath: pluginPath)
    }

    public init?(file: ELFFile, layout: RuntimeLayout?, pluginPath: String?) {
        guard let layout, let t = RelocationTypes.byMachine[file.header.machine] else { return nil }
        func offset(_ name: String) -> UInt64? { layout.fields.first { $0.name == name }?.offset }
        guard let pcHeaderOff = offset("pcHeader"), let typesOff = offset("types"),
              let ptabOff = offset("ptab") else { return nil }
        let p = file.header.elfClass.pointerSize
        let bigEndian = file.header.dataEncoding == .bigEndian
        func word(_ a: UInt64) -> UInt64? {
            guard let raw = file.bytes(atAddress: a, count: p), raw.count == p else { return nil }
            return ByteReader(raw, bigEndian: bigEndian).uint(at: 0, size: p)
        }
        func isPCHeader(_ a: UInt64) -> Bool {
            guard let raw = file.bytes(atAddress: a, count: 8), raw.count == 8 else { return false }
            let magic = ByteReader(raw, bigEndian: bigEndian).uint32(at: 0)
            return Self.pclntabMagics.contains(magic) && raw[4] == 0 && raw[5] == 0
                && [1, 2, 4].contains(raw[6]) && Int(raw[7]) == p
        }
        // The module data: the relocated slot pointing at the pclntab header. Where the section
        // `.gopclntab` (kept by strip: it is allocated) starts with one, only a slot pointing
        // exactly there is looked for, without reading each relative target's bytes.
        let header = file.section(named: ".gopclntab").map(\.address).flatMap { isPCHeader($0) ? $0 : nil }
        var moduledata: UInt64?
        var scanned = 0
        search: for section in file.dynamicRelocationSections {
            let found: UInt64? = file.withRelocations(section) { r in
                for i in 0..<r.count {
                    scanned += 1
                    if scanned > Limits.relocationsScanned { return nil }
                    let e = r.entry(i)
                    guard e.type == t.relative else { continue }
                    guard let target = e.addend.map({ UInt64(bitPattern: $0) }) ?? word(e.offset) else { continue }
                    if header.map({ target == $0 }) ?? isPCHeader(target), e.offset >= pcHeaderOff { return e.offset - pcHeaderOff }
                }
                return nil
            }
            if let found { moduledata = found; break search }
        }
        guard let md = moduledata else { return nil }
        // Only the module data's and the type data's slots are needed, but the type data spans
        // most of the read-only data: one full map of the relocations.
        let relocations = RelocatedPointers(file: file)
        func pointer(_ a: UInt64) -> UInt64? { word(a).map { relocations.pointer(at: a, stored: $0) } }
        guard let types = pointer(md &+ typesOff), let tabAddress = pointer(md &+ ptabOff),
              let count = word(md &+ ptabOff &+ UInt64(p)) else { return nil }
        guard count <= UInt64(Limits.pluginExports) else { return nil }
        let n = Int(count)
        guard n == 0 || (file.bytes(atAddress: tabAddress, count: n * 8)?.count == n * 8) else { return nil }
        let table = n == 0 ? [] : file.bytes(atAddress: tabAddress, count: n * 8)!
        let r = ByteReader(table, bigEndian: bigEndian)
        var reader = TypeDescriptorReader(file: file, types: types, relocations: relocations)
        var exports: [Export] = []
        for i in 0..<n {
            let nameOff = Int32(bitPattern: r.uint32(at: i * 8))
            let typeOff = Int32(bitPattern: r.uint32(at: i * 8 + 4))
            guard let name = reader.name(nameOff), let ta = reader.resolve(typeOff), let type = reader.type(at: ta) else { continue }
            var export = Export(name: name, type: type)
            if type.kind == "ptr", type.elem?.kind == "string", let pluginPath {
                (export.stringValue, export.stringValueUnknownReason) = Self.stringValue(file, symbol: pluginPath + "." + name, p: p,
                                                                                       bigEndian: bigEndian, relocations: relocations)
            }
            exports.append(export)
        }
        self.exports = exports
    }

    /// The string a variable holds in the file: its `.dynsym` symbol's data, a string header
    /// {data pointer, length}. A variable the program initialises at run time lives in `.bss`.
    static func stringValue(_ file: ELFFile, symbol: String, p: Int, bigEndian: Bool,
                            relocations: RelocatedPointers) -> (String?, String?) {
        let name = Array(symbol.utf8)
        let entry: SymbolEntry? = file.withSymbolTable(.dynamic) { table in
            table.indices(named: name).first(where: table.isDefined).map(table.entry)
        }
        guard let entry else { return (nil, "the variable's symbol is not in .dynsym") }
        guard let raw = file.bytes(atAddress: entry.value, count: 2 * p), raw.count == 2 * p else {
            return (nil, "set at run time (the variable is not initialised with a constant)")
        }
        let r = ByteReader(raw, bigEndian: bigEndian)
        let data = relocations.pointer(at: entry.value, stored: r.uint(at: 0, size: p))
        let length = r.uint(at: p, size: p)
        if length == 0 { return ("", nil) }
        guard length <= UInt64(Limits.registeredName), let bytes = file.bytes(atAddress: data, count: Int(length)),
              bytes.count == Int(length) else { return (nil, "the string's bytes are not readable") }
        return (String(decoding: bytes, as: UTF8.self), nil)
    }
}
