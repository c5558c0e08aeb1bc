import ConvNeXtImages
import ConvNeXtTraining
import Foundation
import Testing

/// Pillow's bicubic affine and rotate outputs (scripts/generate_augmentation_fixtures.py).
private struct BicubicFixture: Decodable {
    struct Case: Decodable {
        let name: String
        let matrix: [Double]?
        let degrees: Double?
        let output: [UInt8]
    }
    let width: Int
    let height: Int
    let fill: [UInt8]
    let input: [UInt8]
    let cases: [Case]
}

@Suite struct AugmentationBicubicTests {
    @Test func matchesPillowBicubicTransforms() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/augmentation/bicubic_affine.json")
        let fixture = try JSONDecoder().decode(BicubicFixture.self, from: Data(contentsOf: url))
        let image = RGBImage(width: fixture.width, height: fixture.height, pixels: fixture.input)
        let fill = (fixture.fill[0], fixture.fill[1], fixture.fill[2])
        for testCase in fixture.cases {
            let result: RGBImage
            if let m = testCase.matrix {
                result = image.affineTransformed((m[0], m[1], m[2], m[3], m[4], m[5]), sampling: .bicubic, fill: fill)
            } else {
                result = image.rotated(degrees: try #require(testCase.degrees), sampling: .bicubic, fill: fill)
            }
            let mismatches = zip(result.pixels, testCase.output).filter { $0 != $1 }.count
            #expect(mismatches == 0, "\(testCase.name): \(mismatches) of \(testCase.output.count) values differ")
        }
    }
}
