import ConvNeXtKernels
import Foundation

/// Adam with decoupled weight decay, exactly `torch.optim.AdamW` (single-tensor path, no
/// amsgrad): per parameter, with the group's learning rate `lr` and weight decay `wd`,
///
///     p ← p·(1 − lr·wd)
///     m ← m + (1 − β₁)(g − m);   v ← β₂v + (1 − β₂)g²
///     p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// with the step count `t` kept per parameter. State: `state.step.<name>` (a scalar),
/// `state.exp_avg.<name>`, `state.exp_avg_sq.<name>`.
public struct AdamW: Optimizer {
    public let groups: ParameterGroups
    /// The decay rates of the first and second moment averages.
    public let betas: (Double, Double)
    /// Added to the bias-corrected root of the second moment.
    public let epsilon: Double
    /// Threads each parameter's update is split over (elementwise, so the result does not
    /// depend on it); nil updates on the calling thread.
    public var pool: WorkerPool?
    private var steps: [String: Int] = [:]
    private var firstMoments: [String: Tensor] = [:]
    private var secondMoments: [String: Tensor] = [:]

    /// An optimizer over `groups` (the recipe's defaults: β (0.9, 0.999), ε 1e-8).
    ///
    /// - Throws: ``OptimizationError/invalidHyperparameter(name:reason:)`` for betas outside
    ///   [0, 1) or a negative epsilon.
    public init(groups: ParameterGroups, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8) throws {
        for (label, beta) in [("beta1", betas.0), ("beta2", betas.1)] where !(0..<1).contains(beta) {
            throw OptimizationError.invalidHyperparameter(name: label, reason: "\(beta) is not in [0, 1)")
        }
        guard epsilon >= 0 else { throw OptimizationError.invalidHyperparameter(name: "epsilon", reason: "\(epsilon) is negative") }
        self.groups = groups
        self.betas = betas
        self.epsilon = epsilon
    }

    public mutating func step(_ parameters: inout [String: Tensor], gradients: [String: Tensor], learningRate: Double, weightDecay: Double?) throws {
        for (name, group, gradient) in try updates(parameters, gradients: gradients) {
            let (lr, wd) = group.hyperparameters(learningRate: learningRate, weightDecay: weightDecay)
            let step = (steps[name] ?? 0) + 1
            var m = firstMoments[name] ?? Tensor(shape: gradient.shape)
            var v = secondMoments[name] ?? Tensor(shape: gradient.shape)
            guard m.shape == gradient.shape, v.shape == gradient.shape else {
                throw OptimizationError.shapeMismatch(name: StateKeys.key("exp_avg", name), expected: gradient.shape, found: m.shape)
            }
            firstMoments[name] = nil  // drop the stored copies so the updates happen in place
            secondMoments[name] = nil
            let stepSize = Float(lr / (1 - pow(betas.0, Double(step))))
            let correction2 = Float((1 - pow(betas.1, Double(step))).squareRoot())
            let decayFactor = Float(1 - lr * wd)
            let (weight1, beta2, weight2, eps) = (Float(1 - betas.0), Float(betas.1), Float(1 - betas.1), Float(epsilon))
            parameters[name]!.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        gradient.withUnsafeBufferPointer { g in
                            let (p, m, v, g, count) = (p.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!, p.count)
                            let tasks = pool.map { max(1, min($0.threadCount, count / 65536)) } ?? 1
                            let run = { (task: Int) in
                                let start = count * task / tasks
                                adamWUpdate(parameters: p + start, firstMoments: m + start, secondMoments: v + start,
                                            gradients: g + start, count: count * (task + 1) / tasks - start,
                                            decay: wd != 0 ? decayFactor : nil, weight1: weight1, beta2: beta2, weight2: weight2,
                                            correction2: correction2, epsilon: eps, stepSize: stepSize)
                            }
                            if tasks > 1, let pool { pool.parallelFor(tasks, run) } else { run(0) }
                        }
                    }
                }
            }
            steps[name] = step
            firstMoments[name] = m
            secondMoments[name] = v
        }
    }

    public var state: [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, step) in steps { result[StateKeys.key("step", name)] = Tensor(shape: [], scalars: [Float(step)]) }
        for (name, m) in firstMoments { result[StateKeys.key("exp_avg", name)] = m }
        for (name, v) in secondMoments { result[StateKeys.key("exp_avg_sq", name)] = v }
        return result
    }

    public mutating func loadState(_ state: [String: Tensor]) throws {
        let parsed = try StateKeys(quantities: ["step", "exp_avg_sq", "exp_avg"], groups: groups).parse(state)
        var steps: [String: Int] = [:]
        for (name, tensor) in parsed["step"]! {
            guard tensor.count == 1 else { throw OptimizationError.shapeMismatch(name: StateKeys.key("step", name), expected: [], found: tensor.shape) }
            steps[name] = Int(tensor.scalars[0])
        }
        let (m, v) = (parsed["exp_avg"]!, parsed["exp_avg_sq"]!)
        for name in Set(steps.keys).union(m.keys).union(v.keys) {
            guard steps[name] != nil, let first = m[name], let second = v[name] else {
                throw OptimizationError.unexpectedState(key: "state.*.\(name) (incomplete: needs step, exp_avg and exp_avg_sq)")
            }
            guard first.shape == second.shape else {
                throw OptimizationError.shapeMismatch(name: StateKeys.key("exp_avg_sq", name), expected: first.shape, found: second.shape)
            }
        }
        self.steps = steps
        firstMoments = m
        secondMoments = v
    }
}

/// One AdamW update of `count` values, vectorized with the same operations in the same order as
/// the scalar formula (no fused multiply-add), so results are bit-identical to it.
private func adamWUpdate(
    parameters p: UnsafeMutablePointer<Float>, firstMoments m: UnsafeMutablePointer<Float>,
    secondMoments v: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>, count: Int,
    decay: Float?, weight1: Float, beta2: Float, weight2: Float, correction2: Float, epsilon: Float, stepSize: Float
) {
    @inline(__always) func scalar(_ i: Int) {
        if let decay { p[i] *= decay }
        m[i] += weight1 * (g[i] - m[i])
        v[i] = v[i] * beta2 + weight2 * (g[i] * g[i])
        let denominator = v[i].squareRoot() / correction2 + epsilon
        p[i] += -stepSize * (m[i] / denominator)
    }
    var i = 0
    while i &+ laneCount <= count {
        var pv = Lanes.load(p + i), mv = Lanes.load(m + i), vv = Lanes.load(v + i)
        let gv = Lanes.load(g + i)
        if let decay { pv *= decay }
        mv += weight1 * (gv - mv)
        vv = vv * beta2 + weight2 * (gv * gv)
        let denominator = vv.squareRoot() / correction2 + epsilon
        pv += -stepSize * (mv / denominator)
        pv.store(to: p + i); mv.store(to: m + i); vv.store(to: v + i)
        i &+= laneCount
    }
    while i < count { scalar(i); i &+= 1 }
}
