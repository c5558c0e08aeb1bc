import ConvNeXt
import ConvNeXtImages
import ConvNeXtKernels
import Foundation
import SafeTensors

/// A run's checkpoints in its output folder: `checkpoints/epoch-NNNN/` folders, each a Hugging
/// Face model folder (`config.json`, `model.safetensors`, `preprocessor_config.json`) plus
/// `training_state.safetensors` (optimizer and EMA tensors, ``TrainerState`` as metadata), and
/// the symbolic link `last` naming the newest complete one.
///
/// A checkpoint is written into a hidden folder, flushed, renamed to its final name and only
/// then linked as `last`; so `last` always names a complete checkpoint, whenever the process dies.
struct TrainingCheckpoint {
    static let stateFileName = "training_state.safetensors"
    static let stateMetadataKey = "trainer_state"
    static let optimizerPrefix = "optimizer."
    static let emaPrefix = "ema."

    /// Everything restored from a checkpoint.
    struct Contents {
        var parameters: [String: Tensor]
        var optimizerState: [String: Tensor]
        var emaParameters: [String: Tensor]?
        var state: TrainerState
        var folder: URL
    }

    let output: URL
    var checkpoints: URL { output.appendingPathComponent("checkpoints") }
    var lastLink: URL { output.appendingPathComponent("last") }

    /// How many complete checkpoints are kept (the newest ones).
    var keep = 2

    /// Writes the checkpoint for `state.completedEpochs` and makes it `last`.
    func write(model: TrainableConvNeXt, preprocessing: ImageProcessorConfiguration, optimizerState: [String: Tensor],
               emaParameters: [String: Tensor]?, state: TrainerState) throws {
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        let name = String(format: "epoch-%04d", state.completedEpochs)
        let partial = checkpoints.appendingPathComponent(".partial-\(name)")
        try? FileManager.default.removeItem(at: partial)
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: false)
        try model.writeModelFolder(to: partial, preprocessing: preprocessing)
        var tensors: [String: Tensor] = [:]
        for (key, tensor) in optimizerState { tensors[Self.optimizerPrefix + key] = tensor }
        for (key, tensor) in emaParameters ?? [:] { tensors[Self.emaPrefix + key] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadata = String(decoding: try encoder.encode(state), as: UTF8.self)
        try writeSafeTensors(tensors, metadata: [Self.stateMetadataKey: metadata], to: partial.appendingPathComponent(Self.stateFileName))
        DurableFiles.flush(partial)
        let final = checkpoints.appendingPathComponent(name)
        discard(final)
        try DurableFiles.rename(partial, to: final)
        try DurableFiles.pointLink(lastLink, to: "checkpoints/\(name)")
        removeOldCheckpoints(newest: name)
    }

    /// Deletes leftovers of interrupted writes and complete checkpoints beyond the newest ``keep``.
    func removeOldCheckpoints(newest: String? = nil) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path)) ?? []
        let current = newest ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: lastLink.path))?.split(separator: "/").last.map(String.init)
        for name in names where name.hasPrefix(".partial-") || name.hasPrefix(Self.discardedPrefix) {
            try? FileManager.default.removeItem(at: checkpoints.appendingPathComponent(name))
        }
        let complete = names.filter { $0.hasPrefix("epoch-") }.sorted()
        for name in complete.dropLast(keep) where name != current {
            discard(checkpoints.appendingPathComponent(name))
        }
    }

    /// Hidden name prefix of checkpoints being deleted.
    static let discardedPrefix = ".discarded-"

    /// Deletes a checkpoint folder without ever leaving a half-deleted one under its name: a
    /// recursive delete removes file by file, so a kill midway would leave, say, `epoch-0003`
    /// without its weights. The folder is first renamed (atomic) to a hidden name, which
    /// ``removeOldCheckpoints(newest:)`` cleans up if the delete is interrupted.
    private func discard(_ folder: URL) {
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        let hidden = checkpoints.appendingPathComponent(Self.discardedPrefix + folder.lastPathComponent + "-" + UUID().uuidString)
        guard (try? DurableFiles.rename(folder, to: hidden)) != nil else { return }
        try? FileManager.default.removeItem(at: hidden)
    }

    /// The checkpoint `last` names, or nil when the output folder has none.
    ///
    /// - Throws: ``TrainingError/cannotResume(reason:)`` when it exists but cannot be read.
    func readLast() throws -> Contents? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: lastLink.path) else { return nil }
        let folder = output.appendingPathComponent(target)
        do {
            let stateFile = try SafeTensorsFile(contentsOf: folder.appendingPathComponent(Self.stateFileName))
            guard let json = stateFile.metadata[Self.stateMetadataKey] else {
                throw TrainingError.cannotResume(reason: "\(folder.path) has no trainer state")
            }
            let state = try JSONDecoder().decode(TrainerState.self, from: Data(json.utf8))
            guard state.formatVersion == 1 else {
                throw TrainingError.cannotResume(reason: "checkpoint format \(state.formatVersion) is not supported")
            }
            var optimizerState: [String: Tensor] = [:], ema: [String: Tensor] = [:]
            for key in stateFile.tensorNames {
                if key.hasPrefix(Self.optimizerPrefix) {
                    optimizerState[String(key.dropFirst(Self.optimizerPrefix.count))] = try stateFile.tensor(key)
                } else if key.hasPrefix(Self.emaPrefix) {
                    ema[String(key.dropFirst(Self.emaPrefix.count))] = try stateFile.tensor(key)
                }
            }
            let (_, parameters) = try ModelFolder(folder).loadParameters()
            return Contents(parameters: parameters, optimizerState: optimizerState,
                            emaParameters: ema.isEmpty ? nil : ema, state: state, folder: folder)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.cannotResume(reason: "checkpoint \(folder.path): \(error)")
        }
    }
}
