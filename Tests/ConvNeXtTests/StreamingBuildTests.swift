import ConvNeXt
import Testing

@Suite struct StreamingBuildTests {
    /// A model built tensor by tensor from the lazy initial source equals one built from the
    /// dictionary, and the source yields the same tensors in any read order.
    @Test func lazyInitialParametersMatchTheDictionary() throws {
        var configuration = ConvNeXtVariant.atto.configuration(numLabels: 5)
        configuration.imageSize = 32
        let layout = try ParameterLayout(configuration: configuration, architecture: .imageClassification)
        let parameters = layout.initialParameters(configuration: configuration, seed: 3)
        let source = layout.initialParameterSource(configuration: configuration, seed: 3)
        for index in [3, 0, 1, 3] {
            let name = layout.entries[index].name
            #expect(try source.tensor(named: name) == parameters[name])
        }
        let pool = WorkerPool(threadCount: 2)
        let streamed = try ConvNeXtModel(configuration: configuration, architecture: .imageClassification,
                                         source: layout.initialParameterSource(configuration: configuration, seed: 3), pool: pool)
        let loaded = try ConvNeXtModel(configuration: configuration, architecture: .imageClassification, parameters: parameters, pool: pool)
        let input = Tensor(shape: [2, 3, 32, 32]) { values in for i in values.indices { values[i] = Float(i % 7) * 0.1 - 0.3 } }
        let hidden = try streamed.predict(input, outputHiddenStates: true)
        #expect(hidden.logits == (try loaded.predict(input)).logits)
        #expect(hidden.hiddenStates.count == configuration.depths.count + 1)
    }
}
