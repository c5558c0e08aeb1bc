import ConvNeXtKernels
import Foundation
import SafeTensors
import Testing

/// Tensors written by `writeSafeTensors` read back unchanged.
@Suite struct RoundTripTests {
    /// A tensor of `shape` with distinct, non-integral values.
    private func sample(_ shape: [Int], seed: Float) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { seed + Float($0) * 0.25 - 3.5 })
    }

    @Test(arguments: [[], [0], [1], [7], [2, 3], [2, 0, 4], [1, 2, 3, 4], [3, 1, 1, 5]])
    func roundTrip(shape: [Int]) throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("round.safetensors")
            let tensor = sample(shape, seed: 1.5)
            try writeSafeTensors(["t": tensor], to: url)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.tensorNames == ["t"])
            #expect(file.info("t") == TensorInfo(dtype: .f32, shape: shape))
            #expect(try file.tensor("t") == tensor)
        }
    }

    @Test func manyTensorsWithSpecialValues() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("many.safetensors")
            let tensors: [String: Tensor] = [
                "stem.weight": sample([4, 3, 2, 2], seed: 0),
                "stem.bias": sample([4], seed: 9),
                "scalar": Tensor(shape: [], scalars: [42]),
                "empty": Tensor(shape: [0, 3], scalars: []),
                "special": Tensor(shape: [6], scalars: [.infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e-20]),
                "naïve \"quoted\" \\ name\n": sample([2], seed: 3),
            ]
            try writeSafeTensors(tensors, to: url)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.tensorNames == tensors.keys.sorted())
            for (name, tensor) in tensors {
                let read = try file.tensor(name)
                #expect(read.shape == tensor.shape)
                #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
            }
            #expect(file.metadata.isEmpty)
        }
    }

    @Test func nanSurvives() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("nan.safetensors")
            try writeSafeTensors(["n": Tensor(shape: [1], scalars: [.nan])], to: url)
            #expect(try SafeTensorsFile(contentsOf: url).tensor("n").scalars[0].isNaN)
        }
    }

    @Test func metadataRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("meta.safetensors")
            let metadata = ["format": "pt", "note": "line\nbreak \"quoted\" ünïcödé"]
            try writeSafeTensors(["w": sample([2, 2], seed: 1)], metadata: metadata, to: url)
            #expect(try SafeTensorsFile(contentsOf: url).metadata == metadata)
        }
    }

    @Test func largeTensorRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("large.safetensors")
            let tensor = Tensor(shape: [1024, 1024]) { buffer in
                for index in buffer.indices { buffer[index] = Float(index % 9973) * 0.5 }
            }
            try writeSafeTensors(["big": tensor], to: url)
            #expect(try SafeTensorsFile(contentsOf: url).tensor("big") == tensor)
        }
    }

    @Test func fileStaysReadableAfterItsURLIsReplaced() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("replaced.safetensors")
            try writeSafeTensors(["w": Tensor(shape: [2], scalars: [1, 2])], to: url)
            let file = try SafeTensorsFile(contentsOf: url)
            try writeSafeTensors(["w": Tensor(shape: [2], scalars: [3, 4])], to: url)
            #expect(try file.tensor("w").scalars == [1, 2])
            #expect(try SafeTensorsFile(contentsOf: url).tensor("w").scalars == [3, 4])
        }
    }
}

@Test func tensorsReadBackAfterReleasingResidentPages() throws {
    try withTemporaryDirectory { directory in
        let original = Tensor(shape: [300, 1000]) { values in
            for index in values.indices { values[index] = Float(index % 977) * 0.5 }
        }
        try writeSafeTensors(["weight": original], to: directory.appendingPathComponent("model.safetensors"))
        let checkpoint = try CheckpointWeights(contentsOf: directory)
        #expect(try checkpoint.tensor("weight") == original)
        checkpoint.releaseResidentPages()
        #expect(try checkpoint.tensor("weight") == original)
    }
}
