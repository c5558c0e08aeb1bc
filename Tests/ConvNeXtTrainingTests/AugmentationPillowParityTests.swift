import ConvNeXtImages
import ConvNeXtTraining
import Foundation
import Testing

/// Pillow's outputs for every colour operation of timm's RandAugment on small images
/// (scripts/generate_augmentation_fixtures.py, point_operations.json).
private struct PointOperationFixture: Decodable {
    struct Case: Decodable {
        let operation: String
        let argument: Double?
        let output: [UInt8]
    }
    struct Image: Decodable {
        let name: String
        let width: Int
        let height: Int
        let input: [UInt8]
        let cases: [Case]
    }
    let images: [Image]
}

@Suite struct AugmentationPillowParityTests {
    @Test func pointOperationsMatchPillow() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/augmentation/point_operations.json")
        let fixture = try JSONDecoder().decode(PointOperationFixture.self, from: Data(contentsOf: url))
        var checked = 0
        for entry in fixture.images {
            let image = RGBImage(width: entry.width, height: entry.height, pixels: entry.input)
            for testCase in entry.cases {
                let argument = testCase.argument ?? 0
                let result: RGBImage
                switch testCase.operation {
                case "autocontrast": result = image.autocontrasted()
                case "equalize": result = image.equalized()
                case "invert": result = image.inverted()
                case "posterize": result = image.posterized(bits: Int(argument))
                case "solarize": result = image.solarized(threshold: Int(argument))
                case "solarize_add": result = image.solarizeAdded(Int(argument))
                case "color": result = image.colorEnhanced(factor: argument)
                case "contrast": result = image.contrastEnhanced(factor: argument)
                case "brightness": result = image.brightnessEnhanced(factor: argument)
                case "sharpness": result = image.sharpnessEnhanced(factor: argument)
                default: Issue.record("unknown operation \(testCase.operation)"); continue
                }
                let mismatches = zip(result.pixels, testCase.output).filter { $0 != $1 }.count
                #expect(mismatches == 0, "\(entry.name) \(testCase.operation)(\(argument)): \(mismatches) of \(testCase.output.count) values differ")
                checked += 1
            }
        }
        #expect(checked == 3 * 35 + 2 * 2)
    }
}
