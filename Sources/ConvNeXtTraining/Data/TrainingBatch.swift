import ConvNeXtKernels
import Foundation

/// An image that could not be used: the file and the decoder's (or transform's) message.
public struct SkippedSample: Sendable, Equatable {
    /// The image file.
    public var url: URL
    /// Why it was skipped.
    public var reason: String

    /// A skipped `url` with `reason`.
    public init(url: URL, reason: String) {
        self.url = url
        self.reason = reason
    }
}

/// One batch of an epoch, as ``DataLoader`` delivers it.
public struct TrainingBatch: Sendable {
    /// The batch's index in the epoch: it covers epoch positions
    /// `index * batchSize ..< (index + 1) * batchSize`. Resume after this batch with
    /// `startingAtBatch: index + 1`.
    public var index: Int
    /// `[N, H, W, 3]` normalized pixels, channels-last.
    public var pixels: Tensor
    /// The class of each image, `N` entries.
    public var labels: [Int]
    /// The file of each image, `N` entries.
    public var urls: [URL]
    /// Images of this batch (and of all-failed batches folded into it) that were skipped.
    public var skipped: [SkippedSample]

    /// The number of images, `N`.
    public var count: Int { labels.count }
    /// Whether the batch holds no image (only the last batch of an epoch can, to report skips).
    public var isEmpty: Bool { labels.isEmpty }
}
