import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import Foundation

/// Batches of decoded, transformed images for training or evaluation, prepared on background
/// threads.
///
/// **Determinism.** An epoch's order is a Fisher–Yates shuffle of the sample indices driven by
/// ``SampleSeeds/epochOrderGenerator(seed:epoch:)`` (mixed from `seed` and the epoch), or
/// the dataset order without shuffling. The image at position `p` of the epoch is augmented
/// with its own ``SampleSeeds/sampleGenerator(seed:epoch:position:)``. Batch `b` covers
/// positions `b·batchSize ..< (b+1)·batchSize`. So every batch is the same whatever the
/// worker count and timing, and `batches(epoch:startingAtBatch:)` resumes with exactly the
/// batches an uninterrupted epoch would have delivered.
///
/// **Failures.** An image that cannot be decoded or transformed is skipped and reported in
/// ``TrainingBatch/skipped``; its batch comes out smaller (batches are never refilled, which
/// would shift every later batch). A batch whose images all fail is not delivered: its skips
/// are reported with the next batch, or with an empty final batch at the end of the epoch.
/// If no image of the epoch (from the starting batch on) can be used, the iterator throws
/// ``TrainingDataError/noUsableImages(epoch:failures:firstError:)``.
public struct DataLoader: Sendable {
    /// The samples.
    public let dataset: ImageFolderDataset
    /// The per-sample transform.
    public let transform: any SampleTransform
    /// Images per batch.
    public let batchSize: Int
    /// The run's seed.
    public let seed: UInt64
    /// Whether each epoch shuffles the samples.
    public let shuffle: Bool
    /// Whether a final batch smaller than ``batchSize`` is dropped.
    public let dropLast: Bool
    /// Background threads decoding and transforming; 0 works on the caller's thread.
    public let workerCount: Int
    /// How many batches the workers may prepare ahead of the consumer.
    public let prefetchBatches: Int
    /// The decoder's pixel limit per image.
    public let pixelLimit: Int

    /// A loader of `dataset` through `transform`.
    ///
    /// - Throws: ``TrainingDataError/invalidBatchSize(_:)`` for a batch size below 1,
    ///   ``TrainingDataError/emptyDataset`` when the dataset has no samples.
    public init(dataset: ImageFolderDataset, transform: any SampleTransform, batchSize: Int, seed: UInt64,
                shuffle: Bool = true, dropLast: Bool = false, workerCount: Int = 2, prefetchBatches: Int = 2,
                pixelLimit: Int = RGBImage.defaultPixelLimit) throws(TrainingDataError) {
        guard batchSize > 0 else { throw .invalidBatchSize(batchSize) }
        guard dataset.count > 0 else { throw .emptyDataset }
        self.dataset = dataset
        self.transform = transform
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.workerCount = max(0, workerCount)
        self.prefetchBatches = max(1, prefetchBatches)
        self.pixelLimit = pixelLimit
    }

    /// Batches per epoch: `count / batchSize`, rounded up unless ``dropLast``.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The dataset indices of epoch `epoch`, in the order they are delivered.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(0..<dataset.count) }
        var generator = SampleSeeds.epochOrderGenerator(seed: seed, epoch: epoch)
        return SampleSeeds.permutation(count: dataset.count, using: &generator)
    }

    /// The batches of epoch `epoch` from batch `startingAtBatch` on. Background work starts
    /// immediately and stops when the iterator is released, even before its end.
    ///
    /// - Throws: ``TrainingDataError/invalidStartingBatch(_:batchCount:)`` unless
    ///   `0 <= startingAtBatch <= batchCount`.
    public func batches(epoch: Int, startingAtBatch: Int = 0) throws(TrainingDataError) -> BatchIterator {
        guard startingAtBatch >= 0 && startingAtBatch <= batchCount else {
            throw .invalidStartingBatch(startingAtBatch, batchCount: batchCount)
        }
        return BatchIterator(loader: self, epoch: epoch, startingAtBatch: startingAtBatch)
    }

    /// Decodes and transforms the sample at `position` of an epoch whose order is `order`.
    func load(position: Int, order: [Int], epoch: Int) -> SampleResult {
        let sample = dataset.samples[order[position]]
        var generator = SampleSeeds.sampleGenerator(seed: seed, epoch: epoch, position: position)
        do {
            let image = try RGBImage(contentsOf: sample.url, pixelLimit: pixelLimit)
            let pixels = try transform.pixels(for: image, using: &generator)
            let expected = transform.outputHeight * transform.outputWidth * 3
            guard pixels.count == expected else {
                return .failure("transform produced \(pixels.count) values, expected \(expected)")
            }
            return .success(pixels)
        } catch {
            return .failure(String(describing: error))
        }
    }
}

/// The outcome of loading one sample.
enum SampleResult: Sendable {
    case success([Float])
    case failure(String)
}
