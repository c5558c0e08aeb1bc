import Foundation

extension ImageProcessorConfiguration: Encodable {
    private enum OutputKey: String, CodingKey {
        case doResize = "do_resize", size, cropPercentage = "crop_pct", resample
        case doCenterCrop = "do_center_crop", cropSize = "crop_size", doRescale = "do_rescale"
        case rescaleFactor = "rescale_factor", doNormalize = "do_normalize"
        case imageMean = "image_mean", imageStd = "image_std", imageProcessorType = "image_processor_type"
    }

    /// Writes the fields as transformers' `ConvNextImageProcessor.save_pretrained` does, so the
    /// file round-trips through ``init(jsonData:)`` and transformers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: OutputKey.self)
        try container.encode("ConvNextImageProcessor", forKey: .imageProcessorType)
        try container.encode(doResize, forKey: .doResize)
        if let shortestEdge { try container.encode(["shortest_edge": shortestEdge], forKey: .size) }
        try container.encode(cropPercentage, forKey: .cropPercentage)
        try container.encode(resample.rawValue, forKey: .resample)
        try container.encode(doCenterCrop, forKey: .doCenterCrop)
        if let cropSize { try container.encode(["height": cropSize.height, "width": cropSize.width], forKey: .cropSize) }
        try container.encode(doRescale, forKey: .doRescale)
        try container.encode(rescaleFactor, forKey: .rescaleFactor)
        try container.encode(doNormalize, forKey: .doNormalize)
        try container.encode(imageMean, forKey: .imageMean)
        try container.encode(imageStd, forKey: .imageStd)
    }
}
