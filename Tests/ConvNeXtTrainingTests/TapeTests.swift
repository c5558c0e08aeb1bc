import ConvNeXtKernels
@testable import ConvNeXtTraining
import Testing

/// The bookkeeping of the tape: which variables get gradients, accumulation, names, release.
@Suite struct TapeTests {
    @Test func constantsGetNoGradientAndRecordNothing() {
        let tape = Tape(pool: testPool)
        let x = tape.constant(randomTensor([2, 3], seed: 30))
        let w = tape.parameter(randomTensor([4, 3], seed: 31), name: "w")
        let frozen = tape.constant(randomTensor([4], seed: 32))
        let y = x.linear(weight: tape.constant(randomTensor([4, 3], seed: 35)), bias: frozen)
        #expect(!y.requiresGradient)
        let z = x.linear(weight: w, bias: frozen)
        #expect(z.requiresGradient)
        let gradients = tape.backward(from: z)
        #expect(gradients[x] == nil)
        #expect(gradients["w"]?.shape == [4, 3])
        // d(Σ x·wᵀ)/dw[j, k] = Σ_rows x[row, k].
        let columnSums = (0..<3).map { k in x.value.scalars[k] + x.value.scalars[3 + k] }
        #expect(relativeError(gradients["w"]!.scalars, (0..<12).map { columnSums[$0 % 3] }) < 1e-6)
    }

    @Test func sharedParameterAccumulates() {
        let tape = Tape(pool: testPool)
        let scale = tape.parameter(Tensor(shape: [2], scalars: [2, 3]), name: "scale")
        let x = tape.constant(Tensor(shape: [1, 2], scalars: [5, 7]))
        let twice = x.scalingChannels(by: scale).scalingChannels(by: scale)  // x·s²
        let gradients = twice.backward()
        #expect(gradients["scale"]?.scalars == [2 * 5 * 2, 2 * 7 * 3])
    }

    @Test func tapeIsReleasedWithoutBackward() {
        weak var weakTape: Tape?
        do {
            let tape = Tape(pool: testPool)
            weakTape = tape
            let x = tape.parameter(randomTensor([1, 3, 3, 2], seed: 33))
            _ = x.depthwiseConvolution(weight: tape.parameter(randomTensor([2, 1, 3, 3], seed: 34)), bias: nil)
                .layerNorm(weight: tape.parameter(Tensor(shape: [2], repeating: 1)), bias: tape.parameter(Tensor(shape: [2])), epsilon: 1e-6)
        }
        #expect(weakTape == nil, "recorded closures must not keep their tape alive")
    }
}

/// Saved buffers are released as soon as their node's backward has run, not when the tape goes.
@Suite struct TapeReleaseTests {
    final class Saved: Sendable {}

    @Test func savedBuffersAreReleasedDuringBackward() {
        let tape = Tape(pool: testPool)
        let x = tape.parameter(Tensor(shape: [2], scalars: [1, 2]))
        weak var weakSaved: Saved?
        var releasedInTime = false
        // x → early → late: backward runs late's closure, then early's.
        let early = tape.record(x.value, inputs: [x]) { dy, _ in
            releasedInTime = weakSaved == nil
            return [dy]
        }
        let late: Variable = {
            let saved = Saved()
            weakSaved = saved
            return tape.record(early.value, inputs: [early]) { dy, _ in withExtendedLifetime(saved) { [dy] } }
        }()
        #expect(weakSaved != nil)
        _ = late.backward()
        #expect(releasedInTime, "late's saved buffer was still alive when early's backward ran")
    }
}
