import Foundation

/// Worker threads loading an epoch's samples ahead of the consumer.
///
/// Workers claim positions in order, at most ``DataLoader/prefetchBatches`` batches beyond
/// the one the consumer waits for, and store each result by position; the consumer takes a
/// batch's results once all are in. Because each sample's randomness comes from its own
/// seeded generator, which worker loads it changes nothing.
///
/// `@unchecked Sendable`: every mutable field is read and written only while holding
/// `condition`'s lock; the immutable ones are Sendable values.
final class PrefetchPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private let loader: DataLoader
    private let order: [Int]
    private let epoch: Int
    private let end: Int
    // Guarded by `condition`.
    private var nextPosition: Int
    private var consumerPosition: Int
    private var results: [Int: SampleResult] = [:]
    private var cancelled = false
    private var running = 0

    init(loader: DataLoader, order: [Int], epoch: Int, positions: Range<Int>) {
        self.loader = loader
        self.order = order
        self.epoch = epoch
        self.end = positions.upperBound
        self.nextPosition = positions.lowerBound
        self.consumerPosition = positions.lowerBound
        let threads = min(loader.workerCount, max(positions.count, 1))
        running = threads
        for number in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "convnext.data.\(number)"
            thread.stackSize = 4 << 20
            thread.start()
        }
    }

    /// Claims and loads positions until the epoch is done or the pipeline is shut down.
    private func work() {
        condition.lock()
        let window = loader.prefetchBatches * loader.batchSize
        while !cancelled && nextPosition < end {
            // Stay within `prefetchBatches` batches of the batch the consumer is waiting for.
            let consumerBatchStart = consumerPosition - consumerPosition % loader.batchSize
            if nextPosition >= consumerBatchStart + loader.batchSize + window {
                condition.wait()
                continue
            }
            let position = nextPosition
            nextPosition += 1
            condition.unlock()
            let result = loader.load(position: position, order: order, epoch: epoch)
            condition.lock()
            results[position] = result
            condition.broadcast()
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The results of `positions` (the consumer's next batch), waiting for workers as needed.
    func take(_ positions: Range<Int>) -> [SampleResult] {
        condition.lock()
        defer { condition.unlock() }
        consumerPosition = positions.lowerBound
        condition.broadcast()
        while !positions.allSatisfy({ results[$0] != nil }) { condition.wait() }
        let taken = positions.map { results.removeValue(forKey: $0)! }
        consumerPosition = positions.upperBound
        condition.broadcast()
        return taken
    }

    /// Stops the workers and waits until each has finished the sample it is loading.
    func shutDown() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        results.removeAll()
        condition.unlock()
    }
}
