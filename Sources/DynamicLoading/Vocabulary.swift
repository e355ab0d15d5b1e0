import ELFKit

// The ELF layer's types that this module's public API hands to its callers, named here so
// that the layer above needs no import of the ELF layer.
public typealias ELFClass = ELFKit.ELFClass
public typealias ELFDataEncoding = ELFKit.ELFDataEncoding
public typealias ELFOSABI = ELFKit.ELFOSABI
public typealias ELFFileType = ELFKit.ELFFileType
public typealias ELFMachine = ELFKit.ELFMachine
public typealias ELFSummary = ELFKit.ELFSummary
public typealias Errno = ELFKit.Errno
