import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// AdamW and SGD against updates worked out by hand.
@Suite struct OptimizerTests {
    /// `w` (decays) and `b` (1-D, no decay), as the recipe's groups would split them.
    static let groups = try! ParameterGroups([
        ParameterGroup(name: "decay", parameterNames: ["w"], weightDecay: 0.1),
        ParameterGroup(name: "no_decay", parameterNames: ["b"]),
    ])

    func expectClose(_ tensor: Tensor?, _ expected: [Float], tolerance: Float = 1e-6, _ comment: Comment? = nil) {
        let values = tensor?.scalars ?? []
        #expect(values.count == expected.count && zip(values, expected).allSatisfy { abs($0 - $1) <= tolerance }, "\(values) vs \(expected)")
    }

    @Test func adamWTwoStepsByHand() throws {
        var optimizer = try AdamW(groups: Self.groups)
        var parameters = ["w": Tensor(shape: [2], scalars: [1, -2]), "b": Tensor(shape: [1], scalars: [1])]
        try optimizer.step(&parameters, gradients: ["w": Tensor(shape: [2], scalars: [0.5, 0.1]), "b": Tensor(shape: [1], scalars: [0.5])], learningRate: 0.1)
        // p(1 − lr·wd) = [0.99, −1.98]; m̂ = g, v̂ = g², so the step is lr·sign(g).
        expectClose(parameters["w"], [0.89, -2.08])
        expectClose(parameters["b"], [0.9])
        try optimizer.step(&parameters, gradients: ["w": Tensor(shape: [2], scalars: [-0.5, 0.1])], learningRate: 0.1)
        // m = [−0.005, 0.019], v = [4.9975e-4, 1.999e-5]; m̂ = [−0.0263158, 0.1], √v̂ = [0.5, 0.1].
        expectClose(parameters["w"], [0.8811 + 0.1 * 0.005 / 0.19 / 0.5, -2.0592 - 0.1])
        expectClose(parameters["b"], [0.9], "no gradient: skipped")
        let state = optimizer.state
        #expect(state["state.step.w"]?.scalars == [2])
        #expect(state["state.step.b"]?.scalars == [1])
        expectClose(state["state.exp_avg.w"], [-0.005, 0.019], tolerance: 1e-8)
        expectClose(state["state.exp_avg_sq.w"], [4.9975e-4, 1.999e-5], tolerance: 1e-9)
    }

    @Test func scheduledWeightDecayAndLearningRateScale() throws {
        let groups = try ParameterGroups([
            ParameterGroup(name: "a", parameterNames: ["a"], learningRateScale: 0.5, weightDecay: 0.1),
            ParameterGroup(name: "b", parameterNames: ["b"], learningRateScale: 2),
        ])
        var optimizer = try AdamW(groups: groups)
        var parameters = ["a": Tensor(shape: [1], scalars: [1]), "b": Tensor(shape: [1], scalars: [1])]
        let gradient = Tensor(shape: [1], scalars: [3])
        try optimizer.step(&parameters, gradients: ["a": gradient, "b": gradient], learningRate: 0.1, weightDecay: 0.2)
        // a: lr 0.05, scheduled decay 0.2 replaces 0.1: 1·(1 − 0.01) − 0.05. b: lr 0.2, no decay.
        expectClose(parameters["a"], [0.99 - 0.05])
        expectClose(parameters["b"], [0.8])
    }

    @Test func adamWStateRoundTrips() throws {
        var first = try AdamW(groups: Self.groups)
        var parameters = ["w": randomTensor([3, 2], seed: 1), "b": randomTensor([1], seed: 2)]
        let gradients = ["w": randomTensor([3, 2], seed: 3), "b": randomTensor([1], seed: 4)]
        try first.step(&parameters, gradients: gradients, learningRate: 0.01)
        try first.step(&parameters, gradients: gradients, learningRate: 0.01)
        var second = try AdamW(groups: Self.groups)
        try second.loadState(first.state)
        var copy = parameters
        try first.step(&parameters, gradients: gradients, learningRate: 0.01)
        try second.step(&copy, gradients: gradients, learningRate: 0.01)
        #expect(parameters == copy)
        #expect(throws: OptimizationError.self) { try second.loadState(["state.exp_avg.unknown": Tensor(shape: [1])]) }
        #expect(throws: OptimizationError.self) { try second.loadState(["state.step.w": Tensor(shape: [])]) }
    }

    @Test func stepRejectsMisshapenGradients() throws {
        var optimizer = try AdamW(groups: Self.groups)
        var parameters = ["w": Tensor(shape: [2]), "b": Tensor(shape: [1])]
        #expect(throws: OptimizationError.shapeMismatch(name: "w", expected: [2], found: [3])) {
            try optimizer.step(&parameters, gradients: ["w": Tensor(shape: [3])], learningRate: 1)
        }
        #expect(throws: OptimizationError.missingParameter(name: "w")) {
            var empty: [String: Tensor] = [:]
            try optimizer.step(&empty, gradients: ["w": Tensor(shape: [2])], learningRate: 1)
        }
    }

    @Test(arguments: [false, true])
    func sgdMomentumByHand(nesterov: Bool) throws {
        var optimizer = try SGD(groups: ParameterGroups(single: ["p"], weightDecay: 0.1), momentum: 0.9, nesterov: nesterov)
        var parameters = ["p": Tensor(shape: [1], scalars: [1])]
        let gradients = ["p": Tensor(shape: [1], scalars: [1])]
        try optimizer.step(&parameters, gradients: gradients, learningRate: 0.1)
        // d = g + wd·p = 1.1 = buffer; Nesterov: d + μ·buffer = 2.09.
        expectClose(parameters["p"], [nesterov ? 0.791 : 0.89])
        try optimizer.step(&parameters, gradients: gradients, learningRate: 0.1)
        // plain: d = 1.089, buffer = 0.99 + 1.089; Nesterov: d = 1.0791, buffer 2.0691, d + 0.9·2.0691.
        expectClose(parameters["p"], [nesterov ? 0.496871 : 0.6821])
        #expect(optimizer.state.keys.sorted() == ["state.momentum_buffer.p"])
        var restored = try SGD(groups: optimizer.groups, momentum: 0.9, nesterov: nesterov)
        try restored.loadState(optimizer.state)
        var copy = parameters
        try optimizer.step(&parameters, gradients: gradients, learningRate: 0.1)
        try restored.step(&copy, gradients: gradients, learningRate: 0.1)
        #expect(parameters == copy)
    }

    @Test func sgdWithoutMomentumKeepsNoState() throws {
        var optimizer = try SGD(groups: ParameterGroups(single: ["p"]))
        var parameters = ["p": Tensor(shape: [2], scalars: [1, 2])]
        try optimizer.step(&parameters, gradients: ["p": Tensor(shape: [2], scalars: [1, -1])], learningRate: 0.5)
        expectClose(parameters["p"], [0.5, 2.5])
        #expect(optimizer.state.isEmpty)
        #expect(throws: OptimizationError.self) { try SGD(groups: optimizer.groups, nesterov: true) }
    }
}
