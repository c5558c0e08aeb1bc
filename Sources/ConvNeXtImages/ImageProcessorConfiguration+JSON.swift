import Foundation

extension ImageProcessorConfiguration: Decodable {
    private enum Key: String, CodingKey {
        case doResize = "do_resize", size, cropPercentage = "crop_pct", resample
        case doCenterCrop = "do_center_crop", cropSize = "crop_size", doRescale = "do_rescale"
        case rescaleFactor = "rescale_factor", doNormalize = "do_normalize"
        case imageMean = "image_mean", imageStd = "image_std", defaultToSquare = "default_to_square"
    }

    /// Reads the fields transformers' `ConvNextImageProcessor` uses; a missing or `null` field
    /// takes the class default, unknown fields (`image_processor_type`, `processor_class`, ...)
    /// are ignored. `size` may be an integer (a shortest edge, as older files write it), an
    /// object with `shortest_edge`, or `height`/`width`, which ConvNeXt cannot resize with.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var result = ImageProcessorConfiguration()
        if let value = try container.decodeIfPresent(Bool.self, forKey: .doResize) { result.doResize = value }
        let defaultToSquare = try container.decodeIfPresent(Bool.self, forKey: .defaultToSquare) ?? false
        if container.contains(.size), try !container.decodeNil(forKey: .size) {
            result.shortestEdge = try Self.shortestEdge(container, defaultToSquare: defaultToSquare)
        }
        if let value = try container.decodeIfPresent(Double.self, forKey: .cropPercentage) { result.cropPercentage = value }
        if let value = try container.decodeIfPresent(Int.self, forKey: .resample) {
            guard let filter = ResamplingFilter(rawValue: value) else { throw ImageProcessorError.unsupportedResample(value) }
            result.resample = filter
        }
        if let value = try container.decodeIfPresent(Bool.self, forKey: .doCenterCrop) { result.doCenterCrop = value }
        if let value = try container.decodeIfPresent(SizeField.self, forKey: .cropSize) {
            switch value {
            case .square(let side): result.cropSize = CropSize(height: side, width: side)
            case .pair(let pair) where pair.count == 2: result.cropSize = CropSize(height: pair[0], width: pair[1])
            case .object(let fields):
                if let height = fields["height"], let width = fields["width"] { result.cropSize = CropSize(height: height, width: width) }
            default: break
            }
        }
        if let value = try container.decodeIfPresent(Bool.self, forKey: .doRescale) { result.doRescale = value }
        if let value = try container.decodeIfPresent(Double.self, forKey: .rescaleFactor) { result.rescaleFactor = value }
        if let value = try container.decodeIfPresent(Bool.self, forKey: .doNormalize) { result.doNormalize = value }
        if let value = try container.decodeIfPresent(ChannelValues.self, forKey: .imageMean) { result.imageMean = value.values }
        if let value = try container.decodeIfPresent(ChannelValues.self, forKey: .imageStd) { result.imageStd = value.values }
        self = result
    }

    /// The shortest edge `size` gives, following transformers' `get_size_dict` (an integer is a
    /// shortest edge unless `default_to_square` is true); nil for a size without one.
    private static func shortestEdge(_ container: KeyedDecodingContainer<Key>, defaultToSquare: Bool) throws -> Int? {
        switch try container.decode(SizeField.self, forKey: .size) {
        case .square(let side): return defaultToSquare ? nil : side
        case .pair: return nil
        case .object(let fields): return fields["shortest_edge"]
        }
    }

    /// Decodes and validates a `preprocessor_config.json`.
    ///
    /// - Throws: ``ImageProcessorError``.
    public init(jsonData: Data) throws(ImageProcessorError) {
        do {
            self = try JSONDecoder().decode(ImageProcessorConfiguration.self, from: jsonData)
        } catch let error as ImageProcessorError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .invalidJSON(reason: path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)")
        } catch {
            throw .invalidJSON(reason: "\(error)")
        }
        try validate()
    }

    /// Reads, decodes and validates the `preprocessor_config.json` at `url`.
    ///
    /// - Throws: ``ImageProcessorError``.
    public init(contentsOf url: URL) throws(ImageProcessorError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableConfiguration(path: url.path, reason: (error as NSError).localizedDescription)
        }
        try self.init(jsonData: data)
    }
}

/// `size` / `crop_size`: an integer, a `[height, width]` pair or an object of integers.
private enum SizeField: Decodable {
    case square(Int)
    case pair([Int])
    case object([String: Int])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let side = try? container.decode(Int.self) {
            self = .square(side)
        } else if let pair = try? container.decode([Int].self) {
            self = .pair(pair)
        } else {
            self = .object(try container.decode([String: Int?].self).compactMapValues { $0 })
        }
    }
}

/// `image_mean` / `image_std`: one number for every channel, or a list.
private struct ChannelValues: Decodable {
    let values: [Double]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            values = [value, value, value]
        } else {
            values = try container.decode([Double].self)
        }
    }
}
