import ArgumentParser

@main
struct ConvNeXtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convnext",
        abstract: "ConvNeXt image models in Swift: inference, training and fine-tuning with Hugging Face, timm and original checkpoints.",
        subcommands: [RunCommand.self, ClassifyCommand.self, EmbedCommand.self, PreprocessCommand.self, InfoCommand.self, BenchCommand.self, TrainCommand.self, EvalCommand.self]
    )
}
