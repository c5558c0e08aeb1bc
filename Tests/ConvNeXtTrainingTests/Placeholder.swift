import ConvNeXtTraining
import Testing

@Test func trainingModuleLinks() { _ = ConvNeXtTraining.self }
