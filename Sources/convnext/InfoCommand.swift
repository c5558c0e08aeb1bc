import ArgumentParser
import ConvNeXt
import Foundation

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarize a model: configuration, parameters, multiply-adds, checkpoint naming."
    )

    @Option(help: "A model folder (config.json + model.safetensors, or sharded).")
    var model: String?

    @Option(help: "A named variant instead of a folder: \(ConvNeXtVariant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variant: String?

    @Option(help: "Input side in pixels for the multiply-add count (default: the configuration's image_size).")
    var imageSize: Int?

    func validate() throws {
        guard (model == nil) != (variant == nil) else { throw ValidationError("give exactly one of --model or --variant") }
        if let variant, ConvNeXtVariant(rawValue: variant) == nil {
            throw ValidationError("unknown variant '\(variant)'; choose one of \(ConvNeXtVariant.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let configuration: ConvNeXtConfiguration
        let architecture: ModelArchitecture
        var lines: [String] = []
        if let variant = variant.flatMap(ConvNeXtVariant.init(rawValue:)) {
            configuration = variant.configuration()
            architecture = .imageClassification
            lines.append("variant: convnext-\(variant.rawValue)")
        } else {
            let description = try ModelFolder(URL(fileURLWithPath: model!)).describe()
            configuration = description.configuration
            architecture = description.architecture
            lines.append("model: \(model!)")
            lines.append("checkpoint naming: \(description.naming.rawValue)")
            lines.append("configuration: \(description.configurationSource)")
        }
        let side = imageSize ?? configuration.imageSize
        let complexity = try ModelComplexity(configuration: configuration, architecture: architecture, height: side, width: side)
        lines += [
            "architecture: \(architecture.className(for: configuration.generation))",
            "model type: \(configuration.generation.rawValue)",
            "stages: \(configuration.numStages), depths \(configuration.depths), widths \(configuration.hiddenSizes)",
            "stem: \(configuration.patchSize)x\(configuration.patchSize) patches of \(configuration.numChannels) channels",
            "activation: \(configuration.hiddenAct), layer scale: \(configuration.hasLayerScale ? "yes" : "no"), final norm eps: \(configuration.layerNormEps)",
        ]
        if architecture == .imageClassification { lines.append("labels: \(configuration.numLabels)") }
        if architecture == .backbone {
            lines.append("out features: \(try configuration.alignedOutputFeatures().map(\.name).joined(separator: ", "))")
        }
        lines.append(String(format: "parameters: %.2fM (%d)", Double(complexity.parameters) / 1e6, complexity.parameters))
        lines.append(String(format: "multiply-adds at %dx%d: %.2fG (%.2f GFLOPs)", side, side,
                            Double(complexity.multiplyAdds) / 1e9, Double(complexity.flops) / 1e9))
        print(lines.joined(separator: "\n"))
    }
}
