#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes straight to file descriptors 1 and 2, so that stdout and stderr interleave in the
/// order they were written, as Go's unbuffered `fmt.Printf` / `fmt.Fprintf(os.Stderr)` do.
package enum StandardStreams {
    package static func out(_ s: String) { write(1, s) }
    package static func err(_ s: String) { write(2, s) }
    /// Whether standard output (1) or standard error (2) is a terminal.
    package static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
    /// `NO_COLOR` set to anything but the empty string turns colour off (no-color.org).
    package static var noColorRequested: Bool {
        guard let v = getenv("NO_COLOR") else { return false }
        return v.pointee != 0
    }

    private static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

/// `write(2)`, named apart from `StandardStreams.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(fd, buffer, count)
}
