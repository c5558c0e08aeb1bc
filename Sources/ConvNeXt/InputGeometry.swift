extension ConvNeXtConfiguration {
    /// The batch, channels, height and width of a pixel tensor, checked against the model: four
    /// axes, `num_channels` channels, sides of at least ``minimumInputSize``, a non-empty batch.
    ///
    /// - Throws: ``ConvNeXtError/invalidInput(_:)`` naming what is wrong.
    public func inputGeometry(of shape: [Int], layout: TensorLayout) throws -> (batch: Int, channels: Int, height: Int, width: Int) {
        guard shape.count == 4 else {
            throw ConvNeXtError.invalidInput("pixel values must have 4 axes (\(layout == .channelsFirst ? "N, C, H, W" : "N, H, W, C")), got shape \(shape)")
        }
        let (batch, channels, height, width) = layout == .channelsFirst
            ? (shape[0], shape[1], shape[2], shape[3]) : (shape[0], shape[3], shape[1], shape[2])
        guard channels == numChannels else {
            throw ConvNeXtError.invalidInput("pixel values have \(channels) channels, the model expects \(numChannels)")
        }
        guard height >= minimumInputSize, width >= minimumInputSize else {
            throw ConvNeXtError.invalidInput("a \(height)x\(width) input is too small: both sides must be at least \(minimumInputSize)")
        }
        guard batch >= 1 else { throw ConvNeXtError.invalidInput("the batch is empty") }
        return (batch, channels, height, width)
    }
}
