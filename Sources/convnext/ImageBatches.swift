import ConvNeXtImages
import Foundation

/// Decodes images in batches, reporting the ones that fail without stopping the others.
struct ImageBatches {
    let paths: [String]
    let batchSize: Int

    /// Calls `body` with each batch of successfully decoded images and their paths; returns the
    /// paths that could not be decoded, each already reported on standard error.
    func forEach(progress: ProgressBar, _ body: ([String], [RGBImage]) throws -> Void) throws -> [String] {
        var failed: [String] = []
        var start = 0
        while start < paths.count {
            let slice = paths[start..<min(start + batchSize, paths.count)]
            start += slice.count
            var names: [String] = [], images: [RGBImage] = []
            for path in slice {
                do {
                    images.append(try RGBImage(contentsOf: URL(fileURLWithPath: path)))
                    names.append(path)
                } catch {
                    printError("error: \(error)")
                    failed.append(path)
                }
            }
            if !images.isEmpty { try body(names, images) }
            progress.advance(by: slice.count)
        }
        return failed
    }
}
