import ConvNeXt
import Foundation
import SafeTensors
import Testing

/// Batches big enough to run as one-thread image streams (see `ImageStreams`) must give every
/// image the result it gets alone: each output row in its place, hidden states and feature
/// maps joined in batch order, with the rest of the batch (not a whole round of streams) run
/// on all threads.
@Suite struct ImageStreamTests {
    /// `count` distinct images made from a fixture's inputs (each scaled differently).
    func images(_ fixture: Tensor, count: Int) -> Tensor {
        let perImage = fixture.count / fixture.shape[0]
        return fixture.withUnsafeBufferPointer { source in
            Tensor(shape: [count] + fixture.shape.dropFirst()) { output in
                for image in 0..<count {
                    let from = source.baseAddress! + (image % fixture.shape[0]) * perImage
                    let scale = 1 + 0.125 * Float(image)
                    for index in 0..<perImage { output[image * perImage + index] = scale * from[index] }
                }
            }
        }
    }

    /// Image `index` of a batched tensor, as a batch of one.
    func image(_ index: Int, of tensor: Tensor) -> Tensor {
        let perImage = tensor.count / tensor.shape[0]
        return Tensor(shape: [1] + tensor.shape.dropFirst(), scalars: Array(tensor.scalars[index * perImage ..< (index + 1) * perImage]))
    }

    @Test(arguments: [("batch3", 5), ("backbone", 4), ("convnextv2_classifier", 3), ("nonsquare", 2)])
    func streamedBatchMatchesImagesAlone(caseName: String, batch: Int) throws {
        let folder = fixturesURL.appendingPathComponent(caseName)
        let streamed = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 2))
        let alone = try ModelFolder(folder).loadModel(pool: WorkerPool(threadCount: 1))
        let fixture = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("input.safetensors")).tensor("pixel_values")
        let input = images(fixture, count: batch)
        for layout in TensorLayout.allCases {
            let batchInput = layout == .channelsFirst ? input : channelsLast(input)
            let outputs = try streamed.predict(batchInput, layout: layout, outputHiddenStates: streamed.architecture != .backbone).namedTensors
            #expect(!outputs.isEmpty)
            for index in 0..<batch {
                let single = try alone.predict(image(index, of: batchInput), layout: layout,
                                               outputHiddenStates: streamed.architecture != .backbone).namedTensors
                #expect(Set(single.keys) == Set(outputs.keys))
                for (name, expected) in single {
                    let ours = image(index, of: try #require(outputs[name]))
                    #expect(ours.shape == expected.shape, "\(caseName) \(name)")
                    let error = relativeError(ours, expected)
                    #expect(error <= 1e-5, "\(caseName) \(layout) image \(index) \(name): relative error \(error)")
                }
            }
        }
    }

    func channelsLast(_ input: Tensor) -> Tensor {
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        return Tensor(shape: [n, h, w, c]) { out in
            input.withUnsafeBufferPointer { channelsFirstToLast($0.baseAddress!, batch: n, channels: c, height: h, width: w, output: out.baseAddress!) }
        }
    }
}
