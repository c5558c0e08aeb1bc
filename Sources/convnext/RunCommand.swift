import ArgumentParser
import ConvNeXt
import Foundation
import SafeTensors

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on a pixel tensor: safetensors in, safetensors out.",
        discussion: """
        Reads tensor 'pixel_values' (N,C,H,W float) from --input and writes to --output: 'logits' \
        (classifiers), 'pooler_output', 'last_hidden_state' and 'hidden_states.K' for K = 0...num_stages; \
        for a backbone, 'feature_maps.NAME' for each out_feature. Image tensors are NCHW unless --channels-last.
        """
    )

    @Option(help: "The model folder (config.json + model.safetensors, or sharded).")
    var model: String

    @Option(help: "A safetensors file holding 'pixel_values'.")
    var input: String

    @Option(help: "Where to write the outputs (safetensors; written atomically).")
    var output: String

    @Option(help: "Threads to run on (default: the cores available to this process).")
    var threads: Int?

    @Flag(help: "Read and write image tensors as N,H,W,C instead of N,C,H,W.")
    var channelsLast = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let pool = WorkerPool(threadCount: threads ?? WorkerPool.availableCores)
        let model = try ModelFolder(URL(fileURLWithPath: model)).loadModel(pool: pool)
        let pixels = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: input)).tensor("pixel_values")
        let layout: TensorLayout = channelsLast ? .channelsLast : .channelsFirst
        let result = try model.predict(pixels, layout: layout, outputHiddenStates: model.architecture != .backbone)

        try writeSafeTensors(result.namedTensors, to: URL(fileURLWithPath: output))
    }
}
