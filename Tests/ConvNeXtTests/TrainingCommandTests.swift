import ConvNeXt
import Foundation
import SafeTensors
import Testing

#if canImport(Glibc)
import Glibc
#endif

private let digitsURL = fixturesURL.appendingPathComponent("digits_small")

/// A two-stage model small enough for debug-build training runs of a second or two.
private let tinyConfig = #"{"model_type": "convnext", "num_stages": 2, "hidden_sizes": [8, 16], "depths": [1, 1], "patch_size": 4, "image_size": 32}"#

/// `train` arguments for a 4-epoch run of the tiny model on the digits fixture.
private func trainArguments(config: URL, output: URL) -> [String] {
    ["train", "--data", digitsURL.path, "--val", digitsURL.path, "--config", config.path, "--output", output.path,
     "--epochs", "4", "--batch-size", "4", "--image-size", "32", "--lr", "2e-3", "--warmup-epochs", "1",
     "--hflip", "0", "--ema", "0.9", "--seed", "11", "--threads", "2", "--loader-threads", "1"]
}

@Suite(.serialized) struct TrainingCommandTests {
    @Test func trainThenEvaluate() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let config = root.appendingPathComponent("config.json")
        try Data(tinyConfig.utf8).write(to: config)
        let output = root.appendingPathComponent("run")
        let trained = try runConvNeXt(trainArguments(config: config, output: output))
        #expect(trained.status == 0, "\(trained.error)")
        #expect(trained.output.contains("epoch 4/4"))
        for file in ["metrics.jsonl", "curves.png", "last/config.json", "last/model.safetensors", "last/preprocessor_config.json"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(file).path), "\(file)")
        }
        let evaluated = try runConvNeXt(["eval", "--model", output.appendingPathComponent("last").path, "--data", digitsURL.path, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.output.utf8)) as? [String: Any])
        #expect(report["count"] as? Int == 18)
        #expect((report["confusionMatrix"] as? [[Int]])?.count == 3)
        // The last epoch's validation accuracy (same images, same preprocessing) is what eval measures.
        let lines = try String(contentsOf: output.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        let top1 = try #require(report["top1"] as? Double), recorded = try #require(last["val_top1"] as? Double)
        #expect(abs(top1 - recorded) < 1e-9)

        // Classes the model does not know are refused, naming them.
        let other = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other.appendingPathComponent("7"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: digitsURL.appendingPathComponent("0").appendingPathComponent(try firstImage(in: "0")),
                                         to: other.appendingPathComponent("7/a.png"))
        let mismatch = try runConvNeXt(["eval", "--model", output.appendingPathComponent("last").path, "--data", other.path])
        #expect(mismatch.status != 0)
        #expect(mismatch.error.contains("7"))
    }

    @Test func killedRunsResumeToTheSameWeights() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let config = root.appendingPathComponent("config.json")
        try Data(tinyConfig.utf8).write(to: config)
        let straight = root.appendingPathComponent("straight"), killed = root.appendingPathComponent("killed")
        let started = Date()
        let reference = try runConvNeXt(trainArguments(config: config, output: straight))
        #expect(reference.status == 0, "\(reference.error)")
        // Kill moments scale with how long a whole run takes on this machine and build.
        var runSeconds = max(Date().timeIntervalSince(started), 0.2)

        var generator = SystemRandomNumberGenerator()
        var kills = 0, finished = false
        for attempt in 0..<12 {
            let process = Process()
            process.executableURL = convnextExecutable
            process.arguments = trainArguments(config: config, output: killed) + (attempt > 0 ? ["--resume"] : [])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill at a random moment (mid-epoch or mid-checkpoint) unless this is the last try.
            if attempt < 11 {
                Thread.sleep(forTimeInterval: runSeconds * Double.random(in: 0.1...0.7, using: &generator))
                if process.isRunning { kill(process.processIdentifier, SIGKILL); kills += 1 }
            }
            process.waitUntilExit()
            if process.terminationReason == .exit {
                #expect(process.terminationStatus == 0)
                if kills == 0 && attempt < 10 {
                    // It finished before the first kill (this run was quicker than the reference):
                    // start over, killing sooner.
                    try? FileManager.default.removeItem(at: killed)
                    runSeconds *= 0.5
                    continue
                }
                finished = true
                break
            }
            try expectCompleteLastCheckpoint(in: killed)
        }
        #expect(finished)
        #expect(kills > 0)
        let expected = try Data(contentsOf: straight.appendingPathComponent("last/model.safetensors"))
        let resumed = try Data(contentsOf: killed.appendingPathComponent("last/model.safetensors"))
        #expect(expected == resumed, "after \(kills) kills")
    }

    @Test func classifyDefaultsToTheBuiltInDigitsModel() throws {
        let examples = fixturesURL.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples")
        let result = try runConvNeXt(["classify", "--top-k", "1", "--json", examples.path])
        #expect(result.status == 0, "\(result.error)")
        let images = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        #expect(images.count == 10)
        for image in images {
            // Examples/digit-D.png shows the digit D (validation images the model never trained on).
            let name = URL(fileURLWithPath: image["image"] as? String ?? "").deletingPathExtension().lastPathComponent
            let label = ((image["predictions"] as? [[String: Any]])?.first?["label"] as? String) ?? ""
            #expect(name == "digit-\(label)", "\(name) classified as \(label)")
        }
    }

    /// `last`, when present, names a checkpoint whose every file reads back whole, and so does
    /// every checkpoint folder on disk: a kill leaves only the previous complete checkpoint, the
    /// new complete one, and perhaps a hidden `.partial-*` folder that the next run removes.
    private func expectCompleteLastCheckpoint(in output: URL) throws {
        let last = output.appendingPathComponent("last")
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: last.path)) != nil {
            try expectCompleteCheckpoint(last)
        }
        let checkpoints = output.appendingPathComponent("checkpoints")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path)) ?? []
        for name in names where !name.hasPrefix(".") {
            #expect(name.hasPrefix("epoch-"), "unexpected entry \(name)")
            try expectCompleteCheckpoint(checkpoints.appendingPathComponent(name))
        }
    }

    private func expectCompleteCheckpoint(_ folder: URL) throws {
        let (description, parameters) = try ModelFolder(folder).loadParameters()
        #expect(description.configuration.numLabels == 3)
        #expect(!parameters.isEmpty)
        let state = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("training_state.safetensors"))
        #expect(state.metadata["trainer_state"] != nil)
        _ = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("preprocessor_config.json")))
    }

    private func firstImage(in label: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: digitsURL.appendingPathComponent(label).path).sorted().first!
    }
}
