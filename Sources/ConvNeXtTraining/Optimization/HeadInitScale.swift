import ConvNeXt

extension TrainableConvNeXt {
    /// Multiplies the classifier's weight and bias by `scale`, the original repository's
    /// `head_init_scale` for fine-tuning (0.001 in the recipe).
    ///
    /// - Throws: `ConvNeXtError.missingTensor` when the model has no classifier.
    public mutating func scaleHead(by scale: Float) throws {
        for name in ["classifier.weight", "classifier.bias"] {
            guard parameters[name] != nil else { throw ConvNeXtError.missingTensor(name: name) }
            parameters[name]!.withUnsafeMutableBufferPointer { values in for i in values.indices { values[i] *= scale } }
        }
    }
}
