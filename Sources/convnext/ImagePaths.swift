import Foundation

/// Expands command-line image arguments: files stay as given, folders become the JPEG and PNG
/// files inside them (recursively, sorted), so the order is stable from run to run.
enum ImagePaths {
    static let extensions: Set<String> = ["jpg", "jpeg", "png", "jpe", "jfif"]

    static func expand(_ arguments: [String]) -> [String] {
        var paths: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                paths.append(argument)  // a missing file is reported when it is read
                continue
            }
            let folder = URL(fileURLWithPath: argument)
            let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            var found: [String] = []
            while let url = enumerator?.nextObject() as? URL {
                if extensions.contains(url.pathExtension.lowercased()) {
                    found.append(argument.hasSuffix("/") ? argument + relativePath(of: url, in: folder) : argument + "/" + relativePath(of: url, in: folder))
                }
            }
            paths += found.sorted()
        }
        return paths
    }

    private static func relativePath(of url: URL, in folder: URL) -> String {
        let base = folder.standardizedFileURL.path
        let full = url.standardizedFileURL.path
        return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : url.lastPathComponent
    }
}
