import Foundation
import Testing
@testable import ConvNeXtFuzz

/// Replays every saved fuzz input (the seeds and each crash a fuzzing run found, in
/// Tests/Fixtures/fuzz/TARGET/) through its target: each must come back accepted or with a
/// typed error. A regression crashes this test process.
@Suite struct FuzzReplayTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func inputs(_ target: FuzzTarget) throws -> [URL] {
        try ReplayCommand.files(at: Self.fixtures.appendingPathComponent("fuzz/\(target.rawValue)").path)
    }

    @Test(arguments: FuzzTarget.allCases)
    func savedInputsNeverCrash(_ target: FuzzTarget) throws {
        let scratch = try FuzzScratchFolder()
        for file in try inputs(target) {
            _ = target.run(try Data(contentsOf: file), scratch: scratch)
        }
    }

    /// The seeds are valid inputs, so a target that rejects them all would fuzz nothing.
    @Test(arguments: [FuzzTarget.safetensors, .config, .preprocessorConfig, .shardedIndex])
    func seedsAreAccepted(_ target: FuzzTarget) throws {
        let scratch = try FuzzScratchFolder()
        for file in try inputs(target) where file.lastPathComponent.hasPrefix("seed-") {
            let outcome = target.run(try Data(contentsOf: file), scratch: scratch)
            #expect(outcome == .accepted, "\(file.lastPathComponent): \(outcome)")
        }
    }

    @Test func imageFixturesDecodeOrFailCleanly() throws {
        let scratch = try FuzzScratchFolder()
        let images = try ReplayCommand.files(at: Self.fixtures.appendingPathComponent("images").path)
        var accepted = 0
        for file in images where ["png", "jpg"].contains(file.pathExtension) {
            let target: FuzzTarget = file.pathExtension == "png" ? .png : .jpeg
            if target.run(try Data(contentsOf: file), scratch: scratch) == .accepted { accepted += 1 }
        }
        #expect(accepted > 10)
    }

    @Test func truncatedSeedsAreRejected() throws {
        let scratch = try FuzzScratchFolder()
        let seed = try Data(contentsOf: Self.fixtures.appendingPathComponent("fuzz/safetensors/seed-tiny-checkpoint.safetensors"))
        for length in [0, 7, 8, 9, 100, seed.count - 1] {
            let outcome = FuzzTarget.safetensors.run(seed.prefix(length), scratch: scratch)
            guard case .rejected = outcome else { Issue.record("\(length) bytes accepted"); continue }
        }
    }
}
