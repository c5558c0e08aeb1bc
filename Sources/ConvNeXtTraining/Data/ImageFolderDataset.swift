import Foundation

/// A labelled image collection laid out as torchvision's `ImageFolder` expects: one
/// sub-folder per class under a root, images anywhere below each class folder.
///
/// Class names are the sub-folder names sorted by Unicode scalar values (Python's string
/// order, which `ImageFolder` uses), and class `i` is label `i`, so ``classNames`` is the
/// model's `id2label`. Files ending in `.jpg`, `.jpeg` or `.png` (any case) are samples, found
/// recursively in sorted path order; names starting with `.` (files and folders) are skipped.
/// Scanning reads no image: a file that fails to decode is reported when it is loaded.
public struct ImageFolderDataset: Sendable {
    /// One labelled image file.
    public struct Sample: Sendable, Equatable {
        /// The image file.
        public var url: URL
        /// The class index into ``ImageFolderDataset/classNames``.
        public var label: Int

        /// A sample of `url` with class `label`.
        public init(url: URL, label: Int) {
            self.url = url
            self.label = label
        }
    }

    /// The root folder scanned, or the source's for a split.
    public let directory: URL
    /// Class names; label `i` is `classNames[i]`.
    public let classNames: [String]
    /// The samples, grouped by class in label order, sorted by path within a class.
    public let samples: [Sample]

    /// A dataset of explicit samples (a subset, a split, a list read elsewhere).
    public init(directory: URL, classNames: [String], samples: [Sample]) {
        precondition(samples.allSatisfy { classNames.indices.contains($0.label) }, "sample label out of range")
        self.directory = directory
        self.classNames = classNames
        self.samples = samples
    }

    /// Scans `directory`.
    ///
    /// - Throws: ``TrainingDataError`` when the folder is missing or not a folder, has no
    ///   class folders, or a class folder holds no image file.
    public init(directory: URL) throws(TrainingDataError) {
        let root = directory.standardizedFileURL
        let classFolders = try Self.classFolders(in: root)
        var samples: [Sample] = []
        for (label, folder) in classFolders.enumerated() {
            let files = Self.imageFiles(under: folder.url)
            guard !files.isEmpty else { throw .emptyClass(name: folder.name, path: root.path) }
            samples += files.map { Sample(url: $0, label: label) }
        }
        self.init(directory: root, classNames: classFolders.map(\.name), samples: samples)
    }

    /// Scans `directory` and checks its classes are exactly `expectedClasses`, in that order
    /// (a validation folder against the training set's classes, or a folder against a
    /// model's labels), so labels mean the same classes on both sides.
    ///
    /// - Throws: ``TrainingDataError/classMismatch(path:missing:extra:)`` naming the classes
    ///   missing and unexpected, or ``TrainingDataError/classOrderMismatch(path:)``, besides
    ///   the errors of ``init(directory:)``.
    public init(directory: URL, expectedClasses: [String]) throws(TrainingDataError) {
        try self.init(directory: directory)
        guard classNames != expectedClasses else { return }
        let found = Set(classNames), expected = Set(expectedClasses)
        let missing = expectedClasses.filter { !found.contains($0) }
        let extra = classNames.filter { !expected.contains($0) }
        if missing.isEmpty && extra.isEmpty { throw .classOrderMismatch(path: self.directory.path) }
        throw .classMismatch(path: self.directory.path, missing: missing, extra: extra)
    }

    /// The number of samples.
    public var count: Int { samples.count }

    /// How many samples each class has, in label order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for sample in samples { counts[sample.label] += 1 }
        return counts
    }

    /// Visible sub-folders of `root`, sorted by Unicode scalars.
    private static func classFolders(in root: URL) throws(TrainingDataError) -> [(name: String, url: URL)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw .directoryMissing(path: root.path)
        }
        guard isDirectory.boolValue else { throw .notADirectory(path: root.path) }
        let folders = visibleEntries(of: root).filter { isFolder($0) }
        guard !folders.isEmpty else { throw .noClassFolders(path: root.path) }
        return folders.map { (name: $0.lastPathComponent, url: $0) }
    }

    /// Image files below `folder` in `ImageFolder`'s order (`sorted(os.walk(folder))`, then
    /// sorted names): folders by full path, each folder's own files by name.
    private static func imageFiles(under folder: URL) -> [URL] {
        var folders: [URL] = []
        var visited: Set<String> = []
        var pending = [folder]
        while let next = pending.popLast() {
            // A symbolic link back up the tree would otherwise be walked forever.
            guard visited.insert(next.resolvingSymlinksInPath().path).inserted else { continue }
            folders.append(next)
            pending += visibleEntries(of: next).filter { isFolder($0) }
        }
        folders.sort { $0.path.unicodeScalars.lexicographicallyPrecedes($1.path.unicodeScalars) }
        return folders.flatMap { directory in
            visibleEntries(of: directory).filter {
                ["jpg", "jpeg", "png"].contains($0.pathExtension.lowercased()) && !isFolder($0)
            }
        }
    }

    /// Entries of `folder` not starting with ".", sorted by the Unicode scalars of their names.
    private static func visibleEntries(of folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }
            .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            .map { folder.appendingPathComponent($0) }
    }

    /// Whether `url` is a folder, following symbolic links as `os.walk(followlinks=True)` does.
    private static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
