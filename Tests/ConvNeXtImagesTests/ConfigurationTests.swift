import ConvNeXtImages
import Foundation
import Testing

@Suite struct ConfigurationTests {
    func decode(_ json: String) throws(ImageProcessorError) -> ImageProcessorConfiguration {
        try ImageProcessorConfiguration(jsonData: Data(json.utf8))
    }

    @Test func hubFileDecodesToHubDefault() throws {
        // facebook/convnext-tiny-224's preprocessor_config.json.
        let json = """
            {"crop_pct": 0.875, "do_normalize": true, "do_resize": true,
             "feature_extractor_type": "ConvNextFeatureExtractor", "image_mean": [0.485, 0.456, 0.406],
             "image_std": [0.229, 0.224, 0.225], "resample": 3, "size": 224}
            """
        #expect(try decode(json) == .hubDefault)
    }

    @Test func newerFieldsAndUnknownKeys() throws {
        let json = """
            {"image_processor_type": "ConvNextImageProcessor", "processor_class": "X", "default_to_square": false,
             "size": {"shortest_edge": 384}, "do_rescale": true, "rescale_factor": 0.00392156862745098,
             "resample": 2, "crop_pct": null, "image_mean": 0.5, "image_std": [0.5, 0.5, 0.5]}
            """
        let configuration = try decode(json)
        #expect(configuration.shortestEdge == 384)
        #expect(configuration.resample == .bilinear)
        #expect(configuration.cropPercentage == 0.875)
        #expect(configuration.rescaleFactor == 1.0 / 255.0)
        #expect(configuration.imageMean == [0.5, 0.5, 0.5])
    }

    @Test func missingFieldsTakeTransformersClassDefaults() throws {
        let configuration = try decode("{}")
        #expect(configuration == ImageProcessorConfiguration())
        #expect(configuration.shortestEdge == 384 && configuration.imageMean == [0.5, 0.5, 0.5])
    }

    @Test func heightWidthSizeCannotResize() {
        // transformers' ConvNeXt resize fails without shortest_edge too.
        #expect(throws: ImageProcessorError.missingShortestEdge) { try decode(#"{"size": {"height": 224, "width": 224}}"#) }
        #expect(throws: ImageProcessorError.missingShortestEdge) { try decode(#"{"size": 224, "default_to_square": true}"#) }
        #expect(throws: Never.self) { try decode(#"{"size": {"height": 224, "width": 224}, "do_resize": false}"#) }
    }

    @Test func invalidValuesAreTypedErrors() {
        #expect(throws: ImageProcessorError.invalidValue(field: "crop_pct", reason: "must be a positive number, got 0.0")) {
            try decode(#"{"crop_pct": 0}"#)
        }
        #expect(throws: ImageProcessorError.invalidValue(field: "crop_pct", reason: "must be a positive number, got -1.0")) {
            try decode(#"{"crop_pct": -1}"#)
        }
        #expect(throws: ImageProcessorError.invalidValue(field: "image_mean", reason: "needs 3 values (RGB), got 2")) {
            try decode(#"{"image_mean": [0.5, 0.5]}"#)
        }
        #expect(throws: ImageProcessorError.invalidValue(field: "image_std", reason: "must be finite and non-zero, got [0.5, 0.0, 0.5]")) {
            try decode(#"{"image_std": [0.5, 0, 0.5]}"#)
        }
        #expect(throws: ImageProcessorError.unsupportedResample(6)) { try decode(#"{"resample": 6}"#) }
        #expect(throws: ImageProcessorError.invalidValue(field: "size.shortest_edge", reason: "must be positive, got 0")) {
            try decode(#"{"size": {"shortest_edge": 0}}"#)
        }
    }

    @Test func malformedJSONIsAnError() {
        #expect(throws: ImageProcessorError.self) { try decode("not json") }
        #expect(throws: ImageProcessorError.self) { try decode(#"{"do_resize": "yes"}"#) }
        #expect(throws: ImageProcessorError.self) { try decode("[1, 2]") }
    }

    @Test func unreadableFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/preprocessor_config.json")
        #expect {
            try ImageProcessorConfiguration(contentsOf: url)
        } throws: { error in
            guard case .unreadableConfiguration(let path, _) = error as? ImageProcessorError else { return false }
            return path == url.path
        }
    }

    @Test func processorRejectsInvalidConfiguration() {
        var configuration = ImageProcessorConfiguration.hubDefault
        configuration.imageStd = [0.2, 0.2]
        #expect(throws: ImageProcessorError.self) { try ImageProcessor(configuration: configuration) }
    }
}
