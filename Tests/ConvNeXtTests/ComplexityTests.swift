import ConvNeXt
import Testing

@Suite struct ComplexityTests {
    /// The paper's table (ImageNet-1k head, 224x224): millions of parameters, billions of multiply-adds.
    @Test(arguments: [
        (ConvNeXtVariant.tiny, 28.59, 4.46), (.small, 50.22, 8.68), (.base, 88.59, 15.35),
        (.large, 197.77, 34.36), (.xlarge, 350.20, 60.92),
    ])
    func reproducesPaperTable(variant: ConvNeXtVariant, parameters: Double, multiplyAdds: Double) throws {
        let complexity = try ModelComplexity(configuration: variant.configuration(), height: 224, width: 224)
        #expect(abs(Double(complexity.parameters) / 1e6 - parameters) < 0.005)
        #expect(abs(Double(complexity.multiplyAdds) / 1e9 - multiplyAdds) < 0.005)
    }

    @Test func countsMatchParameterLayoutAndArchitecture() throws {
        let configuration = ConvNeXtVariant.tiny.configuration()
        let classifier = try ModelComplexity(configuration: configuration, architecture: .imageClassification, height: 224, width: 224)
        let base = try ModelComplexity(configuration: configuration, architecture: .base, height: 224, width: 224)
        #expect(classifier.parameters - base.parameters == 768 * 1000 + 1000)
        #expect(classifier.multiplyAdds - base.multiplyAdds == 768 * 1000)
        #expect(classifier.flops == 2 * classifier.multiplyAdds)
    }

    @Test func rejectsInputsThatVanish() {
        #expect(throws: ConvNeXtError.self) {
            _ = try ModelComplexity(configuration: ConvNeXtVariant.tiny.configuration(), height: 31, width: 224)
        }
    }
}
