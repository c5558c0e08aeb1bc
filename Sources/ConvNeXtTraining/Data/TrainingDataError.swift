import Foundation

/// Why a dataset could not be read, split or batched. Every case names the folder, class or
/// epoch concerned, so a command can print it as is.
public enum TrainingDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dataset folder does not exist.
    case directoryMissing(path: String)
    /// The dataset path exists but is a file.
    case notADirectory(path: String)
    /// The dataset folder has no (visible) sub-folders, so no classes.
    case noClassFolders(path: String)
    /// A class folder holds no JPEG or PNG file.
    case emptyClass(name: String, path: String)
    /// The class folders differ from the expected class list (a training set's or a model's
    /// labels). `missing` are expected but absent; `extra` are present but not expected.
    case classMismatch(path: String, missing: [String], extra: [String])
    /// The class folders hold the expected classes in a different order.
    case classOrderMismatch(path: String)
    /// A validation fraction outside the open interval (0, 1).
    case invalidValidationFraction(Double)
    /// A batch size below 1.
    case invalidBatchSize(Int)
    /// `startingAtBatch` beyond the epoch's batches.
    case invalidStartingBatch(Int, batchCount: Int)
    /// The dataset has no samples to batch.
    case emptyDataset
    /// An evaluation transform whose output size depends on the image (no resize to a fixed
    /// size and no center crop), so its outputs cannot be batched.
    case variableOutputSize
    /// No image of an epoch could be decoded and transformed; `failures` counts them and
    /// `firstError` is the first one's message.
    case noUsableImages(epoch: Int, failures: Int, firstError: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .directoryMissing(let path): return "\(path): no such directory"
        case .notADirectory(let path): return "\(path): not a directory"
        case .noClassFolders(let path): return "\(path): no class folders (expected one sub-folder per class)"
        case .emptyClass(let name, let path): return "\(path): class '\(name)' has no .jpg, .jpeg or .png files"
        case .classMismatch(let path, let missing, let extra):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
            if !extra.isEmpty { parts.append("unexpected \(extra.joined(separator: ", "))") }
            return "\(path): class folders do not match the expected classes: \(parts.joined(separator: "; "))"
        case .classOrderMismatch(let path): return "\(path): class folders are not in the expected order"
        case .invalidValidationFraction(let fraction): return "validation fraction \(fraction) is not between 0 and 1"
        case .invalidBatchSize(let size): return "batch size \(size) must be at least 1"
        case .invalidStartingBatch(let batch, let count): return "starting batch \(batch) is beyond the epoch's \(count) batches"
        case .emptyDataset: return "the dataset has no samples"
        case .variableOutputSize: return "the image processor configuration does not fix the output size (no shortest_edge resize or crop)"
        case .noUsableImages(let epoch, let failures, let firstError):
            return "epoch \(epoch): none of the \(failures) images loaded could be used; first error: \(firstError)"
        }
    }
}
