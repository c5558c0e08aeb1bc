import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("convnext-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Creates the folders of `relativePath` and returns the URL.
    @discardableResult
    func folder(_ relativePath: String) throws -> URL {
        let folder = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes a random `width` x `height` PNG at `relativePath`, creating folders.
    @discardableResult
    func png(_ relativePath: String, width: Int = 12, height: Int = 10, seed: UInt64 = 1) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try PNGEncoder.write(randomImage(width: width, height: height, seed: seed), to: file)
        return file
    }

    /// Writes `bytes` at `relativePath`, creating folders.
    @discardableResult
    func file(_ relativePath: String, bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file
    }
}

/// An image of uniformly random bytes.
func randomImage(width: Int, height: Int, seed: UInt64) -> RGBImage {
    var generator = SeededGenerator(seed: seed)
    return RGBImage(width: width, height: height,
                    pixels: (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
}

/// Relative paths of `urls` below `root`.
func relativePaths(_ urls: [URL], to root: URL) -> [String] {
    let prefix = root.standardizedFileURL.path + "/"
    return urls.map { String($0.standardizedFileURL.path.dropFirst(prefix.count)) }
}
