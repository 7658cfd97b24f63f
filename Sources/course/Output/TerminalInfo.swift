import CourseEngine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What stdout is connected to and what it can show, decided once per command.
struct TerminalInfo {
    enum ColorChoice: String, CaseIterable {
        case auto, always, never
    }

    let isTerminal: Bool
    let width: Int
    let capabilities: TerminalCapabilities

    /// Colour on a terminal unless `NO_COLOR` is set (any value) or `TERM=dumb`;
    /// `--color always|never` overrides. Hyperlinks (OSC 8) only where the terminal is
    /// known to support them, or `COURSE_HYPERLINKS=1`.
    static func detect(color choice: ColorChoice, width override: Int?, environment: [String: String]) -> TerminalInfo {
        let tty = isatty(STDOUT_FILENO) == 1
        let color: Bool
        switch choice {
        case .always: color = true
        case .never: color = false
        case .auto: color = tty && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        }
        let hyperlinks: Bool
        if let forced = environment["COURSE_HYPERLINKS"] {
            hyperlinks = forced == "1"
        } else {
            hyperlinks = tty && supportsHyperlinks(environment)
        }
        return TerminalInfo(isTerminal: tty, width: override ?? columns(tty: tty, environment: environment),
                            capabilities: TerminalCapabilities(color: color, hyperlinks: hyperlinks))
    }

    /// Terminal width, else `COLUMNS`, else 80; capped at 100 so prose stays readable.
    static func columns(tty: Bool, environment: [String: String]) -> Int {
        var size = winsize()
        if tty, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return min(Int(size.ws_col), 100)
        }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return min(columns, 100)
        }
        return 80
    }

    static func supportsHyperlinks(_ env: [String: String]) -> Bool {
        if let program = env["TERM_PROGRAM"], ["iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper"].contains(program) { return true }
        if let vte = env["VTE_VERSION"].flatMap(Int.init), vte >= 5000 { return true }
        if env["KONSOLE_VERSION"] != nil || env["WT_SESSION"] != nil || env["KITTY_WINDOW_ID"] != nil { return true }
        if let term = env["TERM"], ["xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm"].contains(term) { return true }
        return false
    }
}
