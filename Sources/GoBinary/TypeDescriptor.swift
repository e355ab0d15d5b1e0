import ELFKit

/// A Go type as the runtime sees it, read from its type descriptor (`abi.Type`, `runtime._type`
/// before Go 1.21): its kind, the string `reflect.Type.String()` prints, its exported methods
/// (the uncommon type's) and, for a func, its parameters and results.
public struct GoType: Hashable, Sendable, Codable {
    /// `reflect.Kind`'s name: `ptr`, `string`, `struct`, `func`, ...
    public var kind: String
    /// What `reflect.Type.String()` prints: `*main.registerer`, `func(string) error`.
    public var string: String
    /// The exported methods, in the descriptor's order (sorted by name, as the runtime keeps them).
    public var methods: [Method]
    /// For a pointer: the type it points to (one level).
    public var elem: Element?
    /// For a func: parameter and result type strings; `variadic` when the last parameter is `...`.
    public var inputs: [String]
    public var outputs: [String]
    public var variadic: Bool

    public struct Method: Hashable, Sendable, Codable {
        public var name: String
        /// The method's func type without receiver, as `reflect.Method.Type.String()`
        /// prints it for a value of an interface; nil when the linker dropped it (offset -1).
        public var type: String?
        public init(name: String, type: String?) {
            self.name = name
            self.type = type
        }
    }

    /// The pointed-to type, without its own element (so the value stays finite).
    public struct Element: Hashable, Sendable, Codable {
        public var kind: String
        public var string: String
        public var methods: [Method]
        public init(kind: String, string: String, methods: [Method]) {
            self.kind = kind
            self.string = string
            self.methods = methods
        }
    }

    public init(kind: String, string: String, methods: [Method] = [], elem: Element? = nil,
                inputs: [String] = [], outputs: [String] = [], variadic: Bool = false) {
        self.kind = kind
        self.string = string
        self.methods = methods
        self.elem = elem
        self.inputs = inputs
        self.outputs = outputs
        self.variadic = variadic
    }

    /// `reflect.Kind.String()`'s names, by kind number (internal/abi/type.go).
    static let kindNames = ["invalid", "bool", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16",
                            "uint32", "uint64", "uintptr", "float32", "float64", "complex64", "complex128", "array",
                            "chan", "func", "interface", "map", "ptr", "slice", "string", "struct", "unsafe.Pointer"]
}

/// Reads type descriptors of one module: offsets (`NameOff`, `TypeOff`) are relative to the
/// module's `types` address, pointers inside descriptors are filled by dynamic relocations.
///
///     abi.Type, pointer size p (the same fields since Go 1.14's runtime._type):
///       0      Size_ uintptr, p   PtrBytes uintptr, 2p  Hash uint32, 2p+4 TFlag uint8,
///       2p+5   Align_, 2p+6 FieldAlign_, 2p+7 Kind_ (low 5 bits), 2p+8 Equal ptr,
///       3p+8   GCData ptr, 4p+8 Str NameOff int32, 4p+12 PtrToThis TypeOff int32  = 4p+16 bytes
///     then the kind's fields (PtrType: Elem ptr; FuncType: InCount, OutCount uint16, padded to p;
///     StructType: PkgPath ptr + Fields slice; InterfaceType: PkgPath ptr + Methods slice; ...),
///     then, with TFlagUncommon, UncommonType {PkgPath NameOff, Mcount, Xcount uint16, Moff uint32,
///     _ uint32} and Moff bytes after it [Mcount]Method {Name NameOff, Mtyp TypeOff, Ifn, Tfn int32};
///     a FuncType's [InCount+OutCount]*Type follow the uncommon type (or the FuncType).
public struct TypeDescriptorReader {
    let file: ELFFile
    let types: UInt64
    let relocations: RelocatedPointers
    let p: Int
    let bigEndian: Bool
    /// Descriptors read so far by this reader (Limits.typeDescriptors bounds it).
    private var budget = Limits.typeDescriptors

    static let tflagUncommon: UInt8 = 1 << 0
    static let tflagExtraStar: UInt8 = 1 << 1

    public init(file: ELFFile, types: UInt64, relocations: RelocatedPointers) {
        self.file = file
        self.types = types
        self.relocations = relocations
        p = file.header.elfClass.pointerSize
        bigEndian = file.header.dataEncoding == .bigEndian
    }

    var headerSize: Int { 4 * p + 16 }

    /// The address an offset relative to `types` names; nil for -1 and 0-less garbage.
    func resolve(_ off: Int32) -> UInt64? {
        guard off >= 0 else { return nil }
        let (a, o) = types.addingReportingOverflow(UInt64(off))
        return o ? nil : a
    }

    func pointer(at address: UInt64) -> UInt64? {
        guard let raw = file.bytes(atAddress: address, count: p), raw.count == p else { return nil }
        return relocations.pointer(at: address, stored: ByteReader(raw, bigEndian: bigEndian).uint(at: 0, size: p))
    }

    /// An `abi.Name` at `types + off`.
    public func name(_ off: Int32) -> String? {
        guard let a = resolve(off) else { return nil }
        return RuntimeLayout.name(file, at: a)
    }

    struct Header {
        var tflag: UInt8
        var kind: Int
        var str: Int32
    }

    func header(at address: UInt64) -> Header? {
        guard let raw = file.bytes(atAddress: address, count: headerSize), raw.count == headerSize else { return nil }
        let r = ByteReader(raw, bigEndian: bigEndian)
        return Header(tflag: raw[2 * p + 4], kind: Int(raw[2 * p + 7] & 0x1f),
                      str: Int32(bitPattern: r.uint32(at: 4 * p + 8)))
    }

    /// The string `reflect.Type.String()` prints for the descriptor at `address`.
    public func typeString(at address: UInt64) -> String? {
        guard let h = header(at: address), var s = name(h.str) else { return nil }
        if h.tflag & Self.tflagExtraStar != 0 { s = String(s.dropFirst()) }
        return s
    }

    /// Bytes of the kind's own fields after the `abi.Type` header (where the uncommon type starts).
    func kindFieldsSize(kind: Int) -> Int? {
        switch kind {
        case 17: return 3 * p          // array: Elem, Slice *Type, Len uintptr
        case 18: return 2 * p          // chan: Elem, Dir
        case 19: return p == 8 ? 8 : 4 // func: InCount, OutCount uint16, padded to the pointer alignment
        case 20: return 4 * p          // interface: PkgPath Name, Methods slice
        case 21: return nil            // map: the layout changed (swiss maps, Go 1.24): not read
        case 22, 23: return p          // ptr, slice: Elem
        case 25: return 4 * p          // struct: PkgPath Name, Fields slice
        default: return 0
        }
    }

    /// The exported methods of the descriptor at `address` (uncommon type), nil when unreadable.
    func methods(at address: UInt64, header h: Header) -> [GoType.Method]? {
        guard h.tflag & Self.tflagUncommon != 0 else { return [] }
        guard let extra = kindFieldsSize(kind: h.kind) else { return nil }
        let u = address &+ UInt64(headerSize + extra)
        guard let raw = file.bytes(atAddress: u, count: 16), raw.count == 16 else { return nil }
        let r = ByteReader(raw, bigEndian: bigEndian)
        let xcount = Int(r.uint(at: 6, size: 2))
        let moff = UInt64(r.uint32(at: 8))
        guard xcount <= Limits.typeMethods,
              let table = file.bytes(atAddress: u &+ moff, count: xcount * 16), table.count == xcount * 16 else { return nil }
        let t = ByteReader(table, bigEndian: bigEndian)
        var result: [GoType.Method] = []
        for i in 0..<xcount {
            guard let n = name(Int32(bitPattern: t.uint32(at: i * 16))) else { return nil }
            let mtyp = Int32(bitPattern: t.uint32(at: i * 16 + 4))
            result.append(GoType.Method(name: n, type: resolve(mtyp).flatMap { typeString(at: $0) }))
        }
        return result
    }

    /// The descriptor at `address`, one level of pointer element included.
    public mutating func type(at address: UInt64) -> GoType? {
        guard budget > 0 else { return nil }
        budget -= 1
        guard let h = header(at: address), let s = typeString(at: address) else { return nil }
        let kind = h.kind < GoType.kindNames.count ? GoType.kindNames[h.kind] : "kind(\(h.kind))"
        var t = GoType(kind: kind, string: s, methods: methods(at: address, header: h) ?? [])
        let fields = address &+ UInt64(headerSize)
        switch h.kind {
        case 22:
            if let e = pointer(at: fields), let eh = header(at: e), let es = typeString(at: e) {
                let ek = eh.kind < GoType.kindNames.count ? GoType.kindNames[eh.kind] : "kind(\(eh.kind))"
                t.elem = GoType.Element(kind: ek, string: es, methods: methods(at: e, header: eh) ?? [])
            }
        case 19:
            guard let raw = file.bytes(atAddress: fields, count: 4), raw.count == 4 else { break }
            let r = ByteReader(raw, bigEndian: bigEndian)
            let inCount = Int(r.uint(at: 0, size: 2))
            let outWord = Int(r.uint(at: 2, size: 2))
            let outCount = outWord & 0x7fff
            guard inCount + outCount <= Limits.funcParameters else { break }
            var params = fields &+ UInt64(kindFieldsSize(kind: 19)!)
            if h.tflag & Self.tflagUncommon != 0 { params = params &+ 16 }
            var strings: [String] = []
            for i in 0..<(inCount + outCount) {
                guard let a = pointer(at: params &+ UInt64(i * p)), let ps = typeString(at: a) else { break }
                strings.append(ps)
            }
            guard strings.count == inCount + outCount else { break }
            t.inputs = Array(strings[..<inCount])
            t.outputs = Array(strings[inCount...])
            t.variadic = outWord & 0x8000 != 0
        default:
            break
        }
        return t
    }
}
