#if !CONVNEXT_LIBFUZZER
import Foundation

/// `convnext-fuzz TARGET PATH...`: runs saved inputs (files, or every file in a folder)
/// through a fuzz target without libFuzzer, printing each outcome: how a crash that a fuzzing
/// run found is reproduced and checked after a fix.
@main
struct ReplayCommand {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        guard let first = arguments.first, let target = FuzzTarget(rawValue: first), arguments.count > 1 else {
            FileHandle.standardError.write(Data("usage: convnext-fuzz TARGET PATH...  (targets: \(names))\n".utf8))
            exit(2)
        }
        do {
            let scratch = try FuzzScratchFolder()
            var inputs = 0
            for path in arguments.dropFirst() {
                for file in try files(at: path) {
                    let outcome = target.run(try Data(contentsOf: file), scratch: scratch)
                    switch outcome {
                    case .accepted: print("\(file.path): accepted")
                    case .rejected(let reason): print("\(file.path): rejected: \(reason)")
                    }
                    inputs += 1
                }
            }
            print("\(inputs) inputs, no crash")
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The file at `path`, or the regular files in the folder at `path`, sorted.
    static func files(at path: String) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let url = URL(fileURLWithPath: path)
        guard isDirectory.boolValue else { return [url] }
        return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.isRegularFileKey])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}
#endif
