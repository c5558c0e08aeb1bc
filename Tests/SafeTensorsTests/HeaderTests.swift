import ConvNeXtKernels
import Foundation
import SafeTensors
import Testing

/// Hand-built headers in the forms other writers produce are read correctly.
@Suite struct HeaderTests {
    private let twoFloats = [Float(1.5), -2].flatMap { littleEndianBytes($0.bitPattern) }

    @Test func metadataIsRead() throws {
        try withTemporaryDirectory { directory in
            let header = """
                {"__metadata__": {"format": "pt", "caf\\u00e9": "\\ud83d\\ude00 \\"x\\""},
                 "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
                """
            let url = try writeFile(safetensorsBytes(header: header, data: twoFloats), named: "m.safetensors", in: directory)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.metadata == ["format": "pt", "café": "😀 \"x\""])
            #expect(file.tensorNames == ["w"])
            #expect(try file.tensor("w").scalars == [1.5, -2])
        }
    }

    @Test func headerPaddedWithTrailingSpaces() throws {
        try withTemporaryDirectory { directory in
            let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"# + String(repeating: " ", count: 13)
            let url = try writeFile(safetensorsBytes(header: header, data: twoFloats), named: "pad.safetensors", in: directory)
            #expect(try SafeTensorsFile(contentsOf: url).tensor("w").scalars == [1.5, -2])
        }
    }

    @Test func prettyPrintedHeader() throws {
        try withTemporaryDirectory { directory in
            let header = "{\n\t\"w\" : {\r\n  \"shape\" : [ 1 , 2 ],\n  \"data_offsets\" : [ 0 , 8 ],\n  \"dtype\" : \"F32\" }\n}\n"
            let url = try writeFile(safetensorsBytes(header: header, data: twoFloats), named: "pretty.safetensors", in: directory)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.info("w") == TensorInfo(dtype: .f32, shape: [1, 2]))
            #expect(try file.tensor("w").scalars == [1.5, -2])
        }
    }

    @Test func gapsBetweenTensorsAreTolerated() throws {
        try withTemporaryDirectory { directory in
            let header = """
                {"b": {"dtype": "U8", "shape": [2], "data_offsets": [6, 8]},
                 "a": {"dtype": "U8", "shape": [2], "data_offsets": [1, 3]},
                 "empty": {"dtype": "F32", "shape": [0, 5], "data_offsets": [2, 2]}}
                """
            let url = try writeFile(safetensorsBytes(header: header, data: Array(10..<20)), named: "gaps.safetensors", in: directory)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.tensorNames == ["a", "b", "empty"])
            #expect(try file.tensor("a").scalars == [11, 12])
            #expect(try file.tensor("b").scalars == [16, 17])
            #expect(try file.tensor("empty").shape == [0, 5])
        }
    }

    @Test func scalarTensor() throws {
        try withTemporaryDirectory { directory in
            let header = #"{"s": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}"#
            let data = littleEndianBytes(Float(7.25).bitPattern)
            let url = try writeFile(safetensorsBytes(header: header, data: data), named: "s.safetensors", in: directory)
            let tensor = try SafeTensorsFile(contentsOf: url).tensor("s")
            #expect(tensor.shape == [])
            #expect(tensor.scalars == [7.25])
        }
    }

    @Test func emptyHeaderHasNoTensors() throws {
        try withTemporaryDirectory { directory in
            let url = try writeFile(safetensorsBytes(header: "{}      "), named: "none.safetensors", in: directory)
            let file = try SafeTensorsFile(contentsOf: url)
            #expect(file.tensorNames.isEmpty)
            #expect(file.metadata.isEmpty)
        }
    }

    @Test func unknownEntryFieldsAreIgnored() throws {
        try withTemporaryDirectory { directory in
            let header = #"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8], "extra": [null, true, {"k": 1e5}]}}"#
            let url = try writeFile(safetensorsBytes(header: header, data: twoFloats), named: "extra.safetensors", in: directory)
            #expect(try SafeTensorsFile(contentsOf: url).tensor("w").scalars == [1.5, -2])
        }
    }

    @Test func errorDescriptionsNameFileAndTensor() {
        let error = SafeTensorsError.sizeMismatch(path: "/m/model.safetensors", tensor: "stem.0.weight", expectedBytes: 12, actualBytes: 8)
        #expect(error.description.contains("/m/model.safetensors"))
        #expect(error.description.contains("stem.0.weight"))
        #expect(SafeTensorsError.missingTensor(name: "head.bias", path: "/m").description == "no tensor named 'head.bias' in '/m'")
    }
}
