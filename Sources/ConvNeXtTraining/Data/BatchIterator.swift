import ConvNeXtKernels
import Foundation

/// The batches of one epoch (see ``DataLoader/batches(epoch:startingAtBatch:)``); read them
/// with `while let batch = try iterator.next()`. Releasing the iterator stops its threads.
public final class BatchIterator {
    private let loader: DataLoader
    private let epoch: Int
    private let order: [Int]
    private let pipeline: PrefetchPipeline?
    private var nextBatch: Int
    private var usedCount = 0
    private var failureCount = 0
    private var firstFailure: String?

    init(loader: DataLoader, epoch: Int, startingAtBatch: Int) {
        self.loader = loader
        self.epoch = epoch
        self.order = loader.order(epoch: epoch)
        self.nextBatch = startingAtBatch
        let end = min(loader.batchCount * loader.batchSize, loader.dataset.count)
        pipeline = loader.workerCount > 0
            ? PrefetchPipeline(loader: loader, order: order, epoch: epoch,
                               positions: min(startingAtBatch * loader.batchSize, end)..<end)
            : nil
    }

    deinit { pipeline?.shutDown() }

    /// The next batch, or nil at the end of the epoch.
    ///
    /// - Throws: ``TrainingDataError/noUsableImages(epoch:failures:firstError:)`` at the end
    ///   of an epoch none of whose images could be used.
    public func next() throws(TrainingDataError) -> TrainingBatch? {
        var carried: [SkippedSample] = []
        while nextBatch < loader.batchCount {
            let index = nextBatch
            nextBatch += 1
            let start = index * loader.batchSize
            let positions = start..<min(start + loader.batchSize, loader.dataset.count)
            let results = pipeline?.take(positions)
                ?? positions.map { loader.load(position: $0, order: order, epoch: epoch) }
            var used: [(sample: ImageFolderDataset.Sample, pixels: [Float])] = []
            for (position, result) in zip(positions, results) {
                let sample = loader.dataset.samples[order[position]]
                switch result {
                case .success(let pixels): used.append((sample, pixels))
                case .failure(let reason):
                    carried.append(SkippedSample(url: sample.url, reason: reason))
                    failureCount += 1
                    if firstFailure == nil { firstFailure = reason }
                }
            }
            guard !used.isEmpty else { continue }
            usedCount += used.count
            return assemble(index: index, used: used, skipped: carried)
        }
        guard !carried.isEmpty else { return nil }
        guard usedCount > 0 else {
            throw .noUsableImages(epoch: epoch, failures: failureCount, firstError: firstFailure ?? "")
        }
        return assemble(index: loader.batchCount - 1, used: [], skipped: carried)
    }

    private func assemble(index: Int, used: [(sample: ImageFolderDataset.Sample, pixels: [Float])],
                          skipped: [SkippedSample]) -> TrainingBatch {
        let height = loader.transform.outputHeight, width = loader.transform.outputWidth
        let imageCount = height * width * 3
        let pixels = Tensor(shape: [used.count, height, width, 3]) { output in
            for (index, item) in used.enumerated() {
                item.pixels.withUnsafeBufferPointer { source in
                    _ = UnsafeMutableBufferPointer(rebasing: output[(index * imageCount)..<((index + 1) * imageCount)])
                        .initialize(from: source)
                }
            }
        }
        return TrainingBatch(index: index, pixels: pixels, labels: used.map(\.sample.label),
                             urls: used.map(\.sample.url), skipped: skipped)
    }
}
