import PluginCompat

/// ANSI colours for the text report on a terminal: verdict words and severities only, so
/// that the text stays the same, byte for byte, once the escapes are removed.
public struct TerminalStyle: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// `auto`: colour when standard output is a terminal and `NO_COLOR` is not set.
    public enum Mode: String, CaseIterable, Sendable {
        case auto, always, never
    }

    public static func resolve(_ mode: Mode) -> TerminalStyle {
        switch mode {
        case .always: return TerminalStyle(enabled: true)
        case .never: return TerminalStyle(enabled: false)
        case .auto: return TerminalStyle(enabled: StandardStreams.isTerminal(1) && !StandardStreams.noColorRequested)
        }
    }

    public static let plain = TerminalStyle(enabled: false)

    private func paint(_ s: String, _ code: String) -> String {
        enabled ? "\u{1b}[\(code)m" + s + "\u{1b}[0m" : s
    }

    func verdict(_ kind: VerdictKind, _ word: String) -> String {
        switch kind {
        case .loads: return paint(word, "32")        // green
        case .fails: return paint(word, "31")        // red
        case .crashes: return paint(word, "1;31")    // bold red
        case .unknown: return paint(word, "33")      // yellow
        case .notReached: return paint(word, "2")    // dim
        }
    }

    func severity(_ s: Severity) -> String {
        switch s {
        case .error: return paint(s.rawValue, "31")
        case .warning: return paint(s.rawValue, "33")
        case .info: return paint(s.rawValue, "36")
        }
    }
}
