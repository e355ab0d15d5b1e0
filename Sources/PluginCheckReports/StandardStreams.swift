#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes straight to file descriptors 1 and 2, so that stdout and stderr interleave in the
/// order they were written, as Go's unbuffered `fmt.Printf` / `fmt.Fprintf(os.Stderr)` do.
public enum StandardStreams {
    public static func out(_ s: String) { write(1, s) }
    public static func err(_ s: String) { write(2, s) }
    /// Nothing is buffered; kept so callers need not know that.
    public static func flush() {}

    private static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
