import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// Checks an operation's Float32 backward pass against central differences of a Float64
/// reference of its forward pass.
///
/// The objective is `Σ r·op(inputs)` for a fixed random `r`: its gradient is what the backward
/// pass returns when seeded with `r`. Fails when `‖analytic − numeric‖ / ‖numeric‖` exceeds
/// `tolerance` for any input, or any element is off by more than `tolerance · max|numeric|`.
/// Returns the worst of the first measure over the inputs that need gradients.
@discardableResult
func checkGradients(
    _ name: String,
    inputs: [Tensor],
    needsGradient: [Bool]? = nil,
    tolerance: Double = 1e-3,
    step: Double = 1e-4,
    sourceLocation: SourceLocation = #_sourceLocation,
    reference: ([[Double]]) -> [Double],
    operation: ([Variable]) -> Variable
) -> Double {
    let needs = needsGradient ?? inputs.map { _ in true }
    let tape = Tape(pool: testPool)
    let variables = zip(inputs, needs).map { $1 ? tape.parameter($0) : tape.constant($0) }
    let output = operation(variables)
    let seed = randomTensor(output.shape, seed: 99)
    let projection = seed.scalars.map(Double.init)
    let gradients = tape.backward(from: output, seed: seed)

    let values = inputs.map { $0.scalars.map(Double.init) }
    #expect(zip(reference(values), output.value.scalars).allSatisfy { abs($0 - Double($1)) <= 1e-4 * max(1, abs($0)) },
            "\(name): the Double reference disagrees with the forward pass", sourceLocation: sourceLocation)
    func objective(_ values: [[Double]]) -> Double { zip(reference(values), projection).reduce(0) { $0 + $1.0 * $1.1 } }

    var worst = 0.0
    for (index, variable) in variables.enumerated() where needs[index] {
        guard let analytic = gradients[variable]?.scalars.map(Double.init) else {
            Issue.record("\(name): no gradient for input \(index)", sourceLocation: sourceLocation)
            continue
        }
        var numeric = [Double](repeating: 0, count: analytic.count)
        var perturbed = values
        for j in numeric.indices {
            let original = values[index][j], h = step * max(1, abs(original))
            perturbed[index][j] = original + h
            let plus = objective(perturbed)
            perturbed[index][j] = original - h
            let minus = objective(perturbed)
            perturbed[index][j] = original
            numeric[j] = (plus - minus) / (2 * h)
        }
        let differenceNorm = zip(analytic, numeric).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        let norm = numeric.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let relative = differenceNorm / max(norm, 1e-12)
        let largest = numeric.map(abs).max() ?? 0
        let elementwise = zip(analytic, numeric).map { abs($0 - $1) }.max() ?? 0
        worst = max(worst, relative)
        #expect(relative <= tolerance, "\(name): input \(index) gradient off by \(relative) relative", sourceLocation: sourceLocation)
        #expect(elementwise <= tolerance * max(largest, 1e-6),
                "\(name): input \(index) element off by \(elementwise) (max |g| \(largest))", sourceLocation: sourceLocation)
    }
    print("gradient check \(name): worst relative error \(worst)")
    return worst
}
