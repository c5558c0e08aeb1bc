import Foundation

/// The model `classify` uses without `--model`: a small ConvNeXt trained with `convnext train`
/// on scikit-learn's handwritten digits, shipped as a resource of this tool (model card:
/// Sources/convnext/Resources/DigitsModel/README.md).
enum DefaultModel {
    /// The model folder inside the tool's resource bundle.
    static func folder() throws -> URL {
        guard let url = Bundle.module.url(forResource: "DigitsModel", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "the built-in digits model is missing from the tool's resources; pass --model"])
        }
        return url
    }
}
