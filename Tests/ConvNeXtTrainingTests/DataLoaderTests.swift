import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation
import Testing

@Suite struct DataLoaderTests {
    /// Three classes of varied small PNGs and one file that is not an image.
    static func makeFolder() throws -> TemporaryFolder {
        let root = try TemporaryFolder()
        var seed: UInt64 = 1
        for name in ["ant", "bee", "cat"] {
            for index in 0..<5 {
                try root.png("\(name)/\(index).png", width: 10 + index, height: 9 + Int(seed % 4), seed: seed)
                seed += 1
            }
        }
        try root.file("bee/broken.png", bytes: Array("not an image".utf8))
        return root
    }

    static func collect(_ loader: DataLoader, epoch: Int, from start: Int = 0) throws -> [TrainingBatch] {
        let iterator = try loader.batches(epoch: epoch, startingAtBatch: start)
        var batches: [TrainingBatch] = []
        while let batch = try iterator.next() { batches.append(batch) }
        return batches
    }

    static func same(_ a: [TrainingBatch], _ b: [TrainingBatch]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy {
            $0.index == $1.index && $0.pixels == $1.pixels && $0.labels == $1.labels && $0.urls == $1.urls && $0.skipped == $1.skipped
        }
    }

    @Test func batchesAreIndependentOfWorkerCount() throws {
        let root = try Self.makeFolder()
        let dataset = try ImageFolderDataset(directory: root.url)
        let transform = TrainingTransform(size: 8, colorJitter: ColorJitter(brightness: 0.4))
        let serial = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, seed: 5, workerCount: 0)
        let reference = try Self.collect(serial, epoch: 3)
        #expect(reference.count == 4)
        #expect(reference.map(\.count).reduce(0, +) == 15)
        #expect(reference.allSatisfy { $0.pixels.shape == [$0.count, 8, 8, 3] })
        let skipped = reference.flatMap(\.skipped)
        #expect(skipped.count == 1)
        #expect(skipped.first?.url.lastPathComponent == "broken.png")
        #expect(skipped.first?.reason.contains("not a JPEG or PNG") == true)
        let delivered = reference.flatMap(\.urls) + skipped.map(\.url)
        #expect(Set(delivered) == Set(dataset.samples.map(\.url)) && delivered.count == 16)
        for workers in [1, 3, 8] {
            let threaded = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, seed: 5,
                                          workerCount: workers, prefetchBatches: 1)
            #expect(Self.same(try Self.collect(threaded, epoch: 3), reference), "\(workers) workers")
        }
    }

    @Test func resumingGivesTheRemainingBatches() throws {
        let root = try Self.makeFolder()
        let dataset = try ImageFolderDataset(directory: root.url)
        let loader = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 6), batchSize: 3, seed: 11, workerCount: 2)
        let full = try Self.collect(loader, epoch: 2)
        #expect(full.map(\.index) == Array(0..<6))
        let resumed = try Self.collect(loader, epoch: 2, from: 2)
        #expect(Self.same(resumed, Array(full.drop { $0.index < 2 })))
        #expect(try Self.collect(loader, epoch: 2, from: loader.batchCount).isEmpty)
        #expect(throws: TrainingDataError.invalidStartingBatch(7, batchCount: 6)) { try loader.batches(epoch: 0, startingAtBatch: 7) }
    }

    @Test func epochsShuffleDifferentlyAndReproducibly() throws {
        let root = try Self.makeFolder()
        let dataset = try ImageFolderDataset(directory: root.url)
        let loader = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 4), batchSize: 4, seed: 1)
        #expect(loader.order(epoch: 0) == loader.order(epoch: 0))
        #expect(loader.order(epoch: 0) != loader.order(epoch: 1))
        #expect(loader.order(epoch: 1).sorted() == Array(0..<16))
        let other = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 4), batchSize: 4, seed: 2)
        #expect(other.order(epoch: 0) != loader.order(epoch: 0))
        let unshuffled = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 4), batchSize: 4, seed: 1, shuffle: false)
        #expect(unshuffled.order(epoch: 5) == Array(0..<16))
    }

    @Test func dropLastAndBatchCounts() throws {
        let root = try Self.makeFolder()
        let dataset = try ImageFolderDataset(directory: root.url)
        let transform = TrainingTransform(size: 4)
        #expect(try DataLoader(dataset: dataset, transform: transform, batchSize: 5, seed: 0).batchCount == 4)
        let dropping = try DataLoader(dataset: dataset, transform: transform, batchSize: 5, seed: 0, dropLast: true, workerCount: 2)
        #expect(dropping.batchCount == 3)
        let batches = try Self.collect(dropping, epoch: 0)
        #expect(batches.map(\.count).reduce(0, +) + batches.flatMap(\.skipped).count == 15)
        #expect(throws: TrainingDataError.invalidBatchSize(0)) { try DataLoader(dataset: dataset, transform: transform, batchSize: 0, seed: 0) }
    }

    @Test func failingBatchesFoldIntoTheNextOne() throws {
        let root = try TemporaryFolder()
        try root.png("a/0.png")
        try root.file("a/1.png", bytes: [0x89, 0x50])
        try root.file("a/2.png", bytes: [])
        try root.png("a/3.png")
        try root.file("a/4.png", bytes: [1])
        let dataset = try ImageFolderDataset(directory: root.url)
        let loader = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 4), batchSize: 1, seed: 0,
                                    shuffle: false, workerCount: 2)
        let batches = try Self.collect(loader, epoch: 0)
        #expect(batches.map(\.index) == [0, 3, 4])
        #expect(batches.map(\.count) == [1, 1, 0])
        #expect(relativePaths(batches[1].skipped.map(\.url), to: root.url) == ["a/1.png", "a/2.png"])
        #expect(batches[2].isEmpty && batches[2].pixels.shape == [0, 4, 4, 3])
        #expect(relativePaths(batches[2].skipped.map(\.url), to: root.url) == ["a/4.png"])
    }

    @Test func anEpochWithoutUsableImagesThrows() throws {
        let root = try TemporaryFolder()
        for index in 0..<5 { try root.file("a/\(index).png", bytes: [UInt8(index)]) }
        let dataset = try ImageFolderDataset(directory: root.url)
        for workers in [0, 2] {
            let loader = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 4), batchSize: 2, seed: 0, workerCount: workers)
            let iterator = try loader.batches(epoch: 4)
            do {
                _ = try iterator.next()
                Issue.record("expected an error")
            } catch {
                guard case .noUsableImages(let epoch, let failures, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(epoch == 4 && failures == 5)
            }
        }
    }

    @Test func releasingAnIteratorEarlyStopsItsThreads() throws {
        let root = try Self.makeFolder()
        let dataset = try ImageFolderDataset(directory: root.url)
        let loader = try DataLoader(dataset: dataset, transform: TrainingTransform(size: 16), batchSize: 2, seed: 0, workerCount: 3)
        for epoch in 0..<20 {
            let iterator = try loader.batches(epoch: epoch)
            if epoch % 2 == 0 { _ = try iterator.next() }
            // Released here: deinit waits for the workers to finish, so returning proves they stopped.
        }
    }

    @Test func evaluationBatchesMatchTheImageProcessor() throws {
        let root = try Self.makeFolder()
        let dataset = try ImageFolderDataset(directory: root.url)
        var configuration = ImageProcessorConfiguration.hubDefault
        configuration.shortestEdge = 7
        let processor = try ImageProcessor(configuration: configuration)
        let transform = try EvaluationTransform(processor: processor)
        #expect(transform.outputHeight == 7 && transform.outputWidth == 7)
        let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: 16, seed: 0, shuffle: false)
        let batch = try #require(try Self.collect(loader, epoch: 0).first)
        let first = try RGBImage(contentsOf: batch.urls[0])
        let planar = try processor.pixelValues(for: first).scalars
        let channelsLast = Array(batch.pixels.scalars[0..<(7 * 7 * 3)])
        for index in 0..<49 {
            for channel in 0..<3 { #expect(channelsLast[index * 3 + channel] == planar[channel * 49 + index]) }
        }
    }
}
