import ConvNeXtTraining
import Foundation
import Testing

@Suite struct DataFolderTests {
    @Test func scansClassesAndFilesInImageFolderOrder() throws {
        let root = try TemporaryFolder()
        try root.png("b/2.png")
        try root.png("b/1.JPG")
        try root.png("b/sub/0.png")
        try root.png("b/sub-a/0.jpeg")
        try root.png("b/.hidden.png")
        try root.png("b/.hiddenfolder/x.png")
        try root.file("b/notes.txt", bytes: [1, 2, 3])
        try root.png("a/x.png")
        try root.png("B/y.png")
        try root.png("é/z.png")
        try root.png(".secret/w.png")
        try root.file("readme.md", bytes: [1])
        let dataset = try ImageFolderDataset(directory: root.url)
        // Unicode scalar order: upper case before lower case before accented letters.
        #expect(dataset.classNames == ["B", "a", "b", "é"])
        #expect(relativePaths(dataset.samples.map(\.url), to: root.url)
            == ["B/y.png", "a/x.png", "b/1.JPG", "b/2.png", "b/sub/0.png", "b/sub-a/0.jpeg", "é/z.png"])
        #expect(dataset.samples.map(\.label) == [0, 1, 2, 2, 2, 2, 3])
        #expect(dataset.classCounts == [1, 1, 4, 1])
    }

    @Test func reportsFolderErrors() throws {
        let root = try TemporaryFolder()
        let missing = root.url.appendingPathComponent("missing")
        #expect(throws: TrainingDataError.directoryMissing(path: missing.path)) { try ImageFolderDataset(directory: missing) }
        let file = try root.file("file.png", bytes: [0])
        #expect(throws: TrainingDataError.notADirectory(path: file.path)) { try ImageFolderDataset(directory: file) }
        let empty = try root.folder("empty")
        #expect(throws: TrainingDataError.noClassFolders(path: empty.path)) { try ImageFolderDataset(directory: empty) }
        let withEmptyClass = try root.folder("withEmptyClass")
        try root.png("withEmptyClass/cat/1.png")
        try root.folder("withEmptyClass/dog/nested")
        try root.file("withEmptyClass/dog/a.gif", bytes: [0])
        do {
            _ = try ImageFolderDataset(directory: withEmptyClass)
            Issue.record("expected an error")
        } catch {
            #expect(error == .emptyClass(name: "dog", path: withEmptyClass.path))
            #expect(error.description.contains("'dog'"))
        }
    }

    @Test func checksExpectedClasses() throws {
        let root = try TemporaryFolder()
        for name in ["cat", "dog", "emu"] { try root.png("\(name)/1.png") }
        #expect(try ImageFolderDataset(directory: root.url, expectedClasses: ["cat", "dog", "emu"]).count == 3)
        do {
            _ = try ImageFolderDataset(directory: root.url, expectedClasses: ["ant", "cat", "dog"])
            Issue.record("expected an error")
        } catch {
            #expect(error == .classMismatch(path: root.url.path, missing: ["ant"], extra: ["emu"]))
            #expect(error.description.contains("missing ant") && error.description.contains("unexpected emu"))
        }
        #expect(throws: TrainingDataError.classOrderMismatch(path: root.url.path)) {
            try ImageFolderDataset(directory: root.url, expectedClasses: ["dog", "cat", "emu"])
        }
    }

    @Test func stratifiedSplitIsDeterministic() throws {
        let root = try TemporaryFolder()
        let counts = ["a": 10, "b": 1, "c": 2, "d": 7]
        for (name, count) in counts {
            for index in 0..<count { try root.png("\(name)/\(index).png", width: 2, height: 2) }
        }
        let dataset = try ImageFolderDataset(directory: root.url)
        let (training, validation) = try dataset.split(validationFraction: 0.3, seed: 7)
        #expect(training.classNames == dataset.classNames && validation.classNames == dataset.classNames)
        #expect(validation.classCounts == [3, 0, 1, 2])
        #expect(training.classCounts == [7, 1, 1, 5])
        #expect(Set(training.samples.map(\.url) + validation.samples.map(\.url)) == Set(dataset.samples.map(\.url)))
        let again = try dataset.split(validationFraction: 0.3, seed: 7)
        #expect(again.validation.samples == validation.samples)
        let other = try dataset.split(validationFraction: 0.3, seed: 8)
        #expect(other.validation.samples != validation.samples)
        // Each class keeps a training sample even at a large fraction.
        #expect(try dataset.split(validationFraction: 0.99, seed: 1).training.classCounts == [1, 1, 1, 1])
        for bad in [0.0, 1.0, -0.5, .nan] {
            #expect(throws: TrainingDataError.self) { try dataset.split(validationFraction: bad, seed: 1) }
        }
    }
}
