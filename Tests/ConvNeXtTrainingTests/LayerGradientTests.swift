import ConvNeXtKernels
import ConvNeXtTraining
import Testing

/// Finite-difference checks of the layers with weights, on small odd shapes.
@Suite struct LayerGradientTests {
    @Test(arguments: [(rows: 7, inputs: 5, outputs: 3), (rows: 1, inputs: 20, outputs: 37), (rows: 33, inputs: 3, outputs: 1)])
    func linear(shape: (rows: Int, inputs: Int, outputs: Int)) {
        let (m, k, n) = shape
        checkGradients("linear \(m)x\(k)→\(n)", inputs: [
            randomTensor([m, k], seed: 1), randomTensor([n, k], seed: 2), randomTensor([n], seed: 3),
        ]) { v in
            DoubleReference.linear(v[0], v[1], v[2], n: n, k: k)
        } operation: { v in
            v[0].linear(weight: v[1], bias: v[2])
        }
    }

    @Test func linearOnImagesWithoutBias() {
        checkGradients("linear NHWC, no bias", inputs: [randomTensor([2, 3, 2, 4], seed: 4), randomTensor([6, 4], seed: 5)]) { v in
            DoubleReference.linear(v[0], v[1], nil, n: 6, k: 4)
        } operation: { v in
            v[0].linear(weight: v[1], bias: nil)
        }
    }

    @Test(arguments: [(batch: 2, height: 5, width: 4, channels: 3, k: 7), (batch: 1, height: 9, width: 8, channels: 17, k: 7),
                      (batch: 3, height: 2, width: 3, channels: 5, k: 3)])
    func depthwiseConvolution(shape: (batch: Int, height: Int, width: Int, channels: Int, k: Int)) {
        let (n, h, w, c, k) = shape
        checkGradients("depthwise \(n)x\(h)x\(w)x\(c) k\(k)", inputs: [
            randomTensor([n, h, w, c], seed: 6), randomTensor([c, 1, k, k], seed: 7, scale: 0.2), randomTensor([c], seed: 8),
        ]) { v in
            DoubleReference.depthwise(v[0], v[1], v[2], batch: n, height: h, width: w, channels: c, k: k)
        } operation: { v in
            v[0].depthwiseConvolution(weight: v[1], bias: v[2])
        }
    }

    @Test(arguments: [(batch: 2, height: 9, width: 7, channels: 3, outputs: 4, p: 4), (batch: 1, height: 5, width: 6, channels: 5, outputs: 3, p: 2),
                      (batch: 2, height: 3, width: 3, channels: 1, outputs: 2, p: 1)])
    func patchConvolution(shape: (batch: Int, height: Int, width: Int, channels: Int, outputs: Int, p: Int)) {
        let (n, h, w, c, o, p) = shape
        checkGradients("patch conv \(n)x\(h)x\(w)x\(c) p\(p)→\(o)", inputs: [
            randomTensor([n, h, w, c], seed: 9), randomTensor([o, c, p, p], seed: 10, scale: 0.3), randomTensor([o], seed: 11),
        ]) { v in
            DoubleReference.patchConvolution(v[0], v[1], v[2], batch: n, height: h, width: w, channels: c, outputs: o, p: p)
        } operation: { v in
            v[0].patchConvolution(weight: v[1], bias: v[2])
        }
    }

    @Test(arguments: [(rows: 6, channels: 5, epsilon: Float(1e-6)), (rows: 3, channels: 33, epsilon: 1e-12), (rows: 4, channels: 1, epsilon: 1e-6)])
    func layerNorm(shape: (rows: Int, channels: Int, epsilon: Float)) {
        let (rows, c, epsilon) = shape
        checkGradients("layer norm \(rows)x\(c)", inputs: [
            randomTensor([rows, c], seed: 12, scale: 2, offset: 0.5), randomTensor([c], seed: 13, scale: 0.1, offset: 1), randomTensor([c], seed: 14),
        ]) { v in
            DoubleReference.layerNorm(v[0], v[1], v[2], epsilon: Double(epsilon))
        } operation: { v in
            v[0].layerNorm(weight: v[1], bias: v[2], epsilon: epsilon)
        }
    }

    @Test(arguments: [(batch: 2, height: 3, width: 2, channels: 5), (batch: 1, height: 1, width: 1, channels: 18)])
    func globalResponseNorm(shape: (batch: Int, height: Int, width: Int, channels: Int)) {
        let (n, h, w, c) = shape
        checkGradients("GRN \(n)x\(h)x\(w)x\(c)", inputs: [
            randomTensor([n, h, w, c], seed: 15), randomTensor([1, 1, 1, c], seed: 16, scale: 0.5), randomTensor([1, 1, 1, c], seed: 17),
        ]) { v in
            DoubleReference.globalResponseNorm(v[0], v[1], v[2], batch: n)
        } operation: { v in
            v[0].globalResponseNorm(weight: v[1], bias: v[2])
        }
    }

    @Test func layerScale() {
        checkGradients("layer scale", inputs: [randomTensor([2, 3, 1, 7], seed: 18), randomTensor([7], seed: 19)]) { v in
            v[0].indices.map { v[0][$0] * v[1][$0 % 7] }
        } operation: { v in
            v[0].scalingChannels(by: v[1])
        }
    }
}

/// The matrix products of the linear backward pass on shapes large enough to split over
/// threads and row blocks, with every kind of edge (rows of dW not a multiple of 4, columns
/// not a multiple of the vector panels), against exact Float64 products.
@Suite struct LinearBackwardProductTests {
    @Test(arguments: [(rows: 700, inputs: 37, outputs: 6), (rows: 300, inputs: 64, outputs: 9), (rows: 513, inputs: 5, outputs: 33)])
    func gradientsEqualDoubleProducts(shape: (rows: Int, inputs: Int, outputs: Int)) {
        let (m, k, n) = shape
        let tape = Tape(pool: testPool)
        let x = tape.parameter(randomTensor([m, k], seed: 50))
        let w = tape.parameter(randomTensor([n, k], seed: 51))
        let dy = randomTensor([m, n], seed: 52)
        let gradients = tape.backward(from: x.linear(weight: w, bias: nil), seed: dy)
        let (xs, ws, gs) = (x.value.scalars.map(Double.init), w.value.scalars.map(Double.init), dy.scalars.map(Double.init))
        let dw = (0..<n * k).map { i in (0..<m).reduce(0.0) { $0 + gs[$1 * n + i / k] * xs[$1 * k + i % k] } }
        let dx = (0..<m * k).map { i in (0..<n).reduce(0.0) { $0 + gs[i / k * n + $1] * ws[$1 * k + i % k] } }
        #expect(relativeError(gradients[w]!.scalars, dw.map(Float.init)) < 1e-5)
        #expect(relativeError(gradients[x]!.scalars, dx.map(Float.init)) < 1e-5)
    }
}
