import CLibELF

/// Where `needle` first occurs in `haystack`, through the C library's `memmem` (two-way
/// search: linear in the haystack, and fast where the needle's first byte is common, as a
/// length byte is in `.rodata`).
package func firstOccurrence(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
    guard let h = haystack.baseAddress, let n = needle.baseAddress, needle.count > 0, haystack.count >= needle.count else { return nil }
    return pc_memmem(h, haystack.count, n, needle.count).map { h.distance(to: $0) }
}
