import ConvNeXt
import Foundation
import SafeTensors
import Testing

@Suite struct CommandLineTests {
    @Test(arguments: ["classifier_4stage", "backbone", "timm_names", "sharded"])
    func runMatchesReference(caseName: String) throws {
        let folder = fixturesURL.appendingPathComponent(caseName)
        let output = try temporaryDirectory().appendingPathComponent("out.safetensors")
        let result = try runConvNeXt(["run", "--model", folder.path, "--input", folder.appendingPathComponent("input.safetensors").path,
                                      "--output", output.path, "--threads", "2"])
        #expect(result.status == 0, "\(result.error)")
        let file = try SafeTensorsFile(contentsOf: output)
        var ours: [String: Tensor] = [:]
        for name in file.tensorNames { ours[name] = try file.tensor(name) }
        try expectMatchesReference(ours, expectedFile: folder.appendingPathComponent("expected.safetensors"), label: caseName)
    }

    @Test func infoPrintsPaperFigures() throws {
        for (variant, parameters, macs) in [("tiny", "28.59M", "4.46G"), ("small", "50.22M", "8.68G"), ("base", "88.59M", "15.35G"),
                                            ("large", "197.77M", "34.36G"), ("xlarge", "350.20M", "60.92G")] {
            let result = try runConvNeXt(["info", "--variant", variant])
            #expect(result.status == 0)
            #expect(result.output.contains("parameters: \(parameters)"), "\(result.output)")
            #expect(result.output.contains("multiply-adds at 224x224: \(macs)"), "\(result.output)")
        }
    }

    @Test func infoDescribesFolder() throws {
        let result = try runConvNeXt(["info", "--model", fixturesURL.appendingPathComponent("timm_names").path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("checkpoint naming: timm"))
    }

    @Test func failsCleanlyOnMissingModel() throws {
        let result = try runConvNeXt(["run", "--model", "/nonexistent/model", "--input", "/nonexistent/in.safetensors", "--output", "/tmp/x.safetensors"])
        #expect(result.status != 0)
        #expect(result.error.contains("/nonexistent/model"))
    }
}
