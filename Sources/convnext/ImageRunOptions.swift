import ArgumentParser

/// The options every command that runs a model over image files takes.
struct ImageRunOptions: ParsableArguments {
    @Option(help: "The model folder (config.json, weights, optional preprocessor_config.json). classify defaults to the built-in digits model.")
    var model: String?

    @Option(help: "Images per forward pass.")
    var batchSize = 8

    @Option(help: "Threads (default: the cores available to this process).")
    var threads: Int?

    @Argument(help: "Image files or folders (folders expand to the JPEG and PNG files inside).")
    var images: [String]

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The image paths to process, folders expanded; an error when there are none.
    func imagePaths() throws -> [String] {
        let paths = ImagePaths.expand(images)
        guard !paths.isEmpty else { throw ValidationError("no images found in \(images.joined(separator: ", "))") }
        return paths
    }
}
