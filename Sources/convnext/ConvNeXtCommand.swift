import ArgumentParser

@main
struct ConvNeXtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convnext",
        abstract: "ConvNeXt image models in Swift: inference on Hugging Face, timm and original checkpoints.",
        subcommands: [RunCommand.self, ClassifyCommand.self, EmbedCommand.self, PreprocessCommand.self, InfoCommand.self, BenchCommand.self]
    )
}
