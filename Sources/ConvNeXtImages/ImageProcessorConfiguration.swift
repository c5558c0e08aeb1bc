/// The preprocessing of transformers' `ConvNextImageProcessor`, as read from a model's
/// `preprocessor_config.json`.
///
/// Defaults are the class defaults of transformers 5.23 (they differ from the hub checkpoints'
/// files: mean and std 0.5, shortest edge 384); use ``hubDefault`` for what the published
/// checkpoints ship, or decode the file with ``init(jsonData:)``.
public struct ImageProcessorConfiguration: Sendable, Equatable {
    /// A crop size in pixels.
    public struct CropSize: Sendable, Equatable {
        /// Rows.
        public var height: Int
        /// Columns.
        public var width: Int

        /// A crop of `height` rows and `width` columns.
        public init(height: Int, width: Int) {
            self.height = height
            self.width = width
        }
    }

    /// Whether to resize (and, below 384, center-crop) to ``shortestEdge``.
    public var doResize: Bool
    /// `size["shortest_edge"]`: the output side. Below 384 the short side is resized to
    /// `Int(shortestEdge / cropPercentage)` and the center cropped square; from 384 up the image
    /// is warped to a square. `nil` when the file gives another kind of size.
    public var shortestEdge: Int?
    /// `crop_pct`: the fraction of the resized short side kept by the center crop.
    public var cropPercentage: Double
    /// `resample`: the Pillow filter of the resize.
    public var resample: ResamplingFilter
    /// `do_center_crop`: an extra center crop to ``cropSize`` after the resize (off for ConvNeXt).
    public var doCenterCrop: Bool
    /// `crop_size`: the size of the extra center crop.
    public var cropSize: CropSize?
    /// `do_rescale`: whether to multiply by ``rescaleFactor``.
    public var doRescale: Bool
    /// `rescale_factor`, normally 1/255.
    public var rescaleFactor: Double
    /// `do_normalize`: whether to subtract ``imageMean`` and divide by ``imageStd``.
    public var doNormalize: Bool
    /// `image_mean`, one value per RGB channel.
    public var imageMean: [Double]
    /// `image_std`, one value per RGB channel.
    public var imageStd: [Double]

    /// A configuration; every argument defaults to transformers' class default.
    public init(
        doResize: Bool = true, shortestEdge: Int? = 384, cropPercentage: Double = 224.0 / 256.0,
        resample: ResamplingFilter = .bicubic, doCenterCrop: Bool = false, cropSize: CropSize? = nil,
        doRescale: Bool = true, rescaleFactor: Double = 1.0 / 255.0, doNormalize: Bool = true,
        imageMean: [Double] = [0.5, 0.5, 0.5], imageStd: [Double] = [0.5, 0.5, 0.5]
    ) {
        self.doResize = doResize
        self.shortestEdge = shortestEdge
        self.cropPercentage = cropPercentage
        self.resample = resample
        self.doCenterCrop = doCenterCrop
        self.cropSize = cropSize
        self.doRescale = doRescale
        self.rescaleFactor = rescaleFactor
        self.doNormalize = doNormalize
        self.imageMean = imageMean
        self.imageStd = imageStd
    }

    /// The published checkpoints' `preprocessor_config.json` (e.g. `facebook/convnext-tiny-224`):
    /// shortest edge 224, crop_pct 0.875, bicubic, rescale 1/255, ImageNet mean and std.
    public static let hubDefault = ImageProcessorConfiguration(
        shortestEdge: 224, cropPercentage: 0.875, resample: .bicubic,
        imageMean: [0.485, 0.456, 0.406], imageStd: [0.229, 0.224, 0.225]
    )

    /// Checks the values transformers would fail on, or that would give meaningless output.
    ///
    /// - Throws: ``ImageProcessorError`` naming the field.
    public func validate() throws(ImageProcessorError) {
        if doResize {
            guard let shortestEdge else { throw .missingShortestEdge }
            guard shortestEdge > 0 else { throw .invalidValue(field: "size.shortest_edge", reason: "must be positive, got \(shortestEdge)") }
            guard cropPercentage.isFinite && cropPercentage > 0 else {
                throw .invalidValue(field: "crop_pct", reason: "must be a positive number, got \(cropPercentage)")
            }
            if shortestEdge < 384 {
                let resized = Double(shortestEdge) / cropPercentage
                guard resized >= 1 && resized < Double(Int32.max) else {
                    throw .invalidValue(field: "crop_pct", reason: "resizes the short side to \(resized) pixels")
                }
            }
        }
        if doCenterCrop {
            guard let cropSize, cropSize.height > 0, cropSize.width > 0 else {
                throw .invalidValue(field: "crop_size", reason: "must have a positive height and width when do_center_crop is true")
            }
        }
        if doRescale && !rescaleFactor.isFinite {
            throw .invalidValue(field: "rescale_factor", reason: "must be finite, got \(rescaleFactor)")
        }
        if doNormalize {
            guard imageMean.count == 3 else { throw .invalidValue(field: "image_mean", reason: "needs 3 values (RGB), got \(imageMean.count)") }
            guard imageStd.count == 3 else { throw .invalidValue(field: "image_std", reason: "needs 3 values (RGB), got \(imageStd.count)") }
            guard imageMean.allSatisfy(\.isFinite) else { throw .invalidValue(field: "image_mean", reason: "must be finite, got \(imageMean)") }
            guard imageStd.allSatisfy({ $0.isFinite && Float($0) != 0 }) else {
                throw .invalidValue(field: "image_std", reason: "must be finite and non-zero, got \(imageStd)")
            }
        }
    }
}
