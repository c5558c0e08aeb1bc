import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar on standard error, shown only when standard output is a terminal
/// (so piped and redirected runs stay quiet).
final class ProgressBar {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var done = 0

    init(total: Int, label: String) {
        self.total = total
        self.label = label
        enabled = isatty(STDOUT_FILENO) == 1 && total > 1
    }

    func advance(by count: Int = 1) {
        done += count
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : min(width, width * done / total)
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r%@ [%@] %d/%d %.1f/s", label, bar, done, total, rate).utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
