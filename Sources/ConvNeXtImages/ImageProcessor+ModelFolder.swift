import Foundation

extension ImageProcessor {
    /// The processor a model folder asks for: its `preprocessor_config.json`, or the ConvNeXt hub
    /// defaults (224, crop_pct 0.875, bicubic, ImageNet mean and std) when the folder has none.
    ///
    /// - Returns: the processor, and whether the defaults stood in for a missing file.
    public static func forModelFolder(_ folder: URL) throws -> (processor: ImageProcessor, usesDefaults: Bool) {
        let url = folder.appendingPathComponent("preprocessor_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return (try ImageProcessor(), true) }
        return (try ImageProcessor(configuration: ImageProcessorConfiguration(contentsOf: url)), false)
    }
}
