import ConvNeXtTraining
import Foundation
import Testing

/// The original `cosine_scheduler` semantics.
@Suite struct ScheduleTests {
    @Test func warmUpThenCosine() {
        let schedule = CosineSchedule(baseValue: 1, finalValue: 0, epochs: 2, iterationsPerEpoch: 5, warmupEpochs: 0, warmupSteps: 4)
        #expect(schedule.totalIterations == 10 && schedule.warmupIterations == 4)
        let expected = [0, 1.0 / 3, 2.0 / 3, 1, 1, 0.5 * (1 + cos(Double.pi / 6)), 0.75, 0.5, 0.25, 0.5 * (1 + cos(5 * Double.pi / 6))]
        #expect(zip(schedule.values, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(schedule.values)")
        #expect(schedule.value(at: 25) == schedule.value(at: 9))
    }

    @Test func minimumValueAndWarmUpStart() {
        let schedule = CosineSchedule(baseValue: 4e-3, finalValue: 1e-6, totalIterations: 50, warmupIterations: 5, startWarmupValue: 1e-6)
        #expect(schedule.value(at: 0) == 1e-6)
        #expect(schedule.value(at: 4) == 4e-3)
        #expect(schedule.value(at: 5) == 4e-3)
        // The cosine's last iteration stops one step short of the minimum.
        #expect(abs(schedule.value(at: 49) - (1e-6 + 0.5 * (4e-3 - 1e-6) * (1 + cos(Double.pi * 44 / 45)))) < 1e-15)
        #expect(CosineSchedule(baseValue: 2, finalValue: 0, totalIterations: 3, warmupIterations: 1).value(at: 0) == 0)
    }

    @Test func weightDecayAndConstant() {
        let decay = CosineSchedule.weightDecay(start: 0.04, end: 0.4, epochs: 1, iterationsPerEpoch: 3)
        #expect(decay.values.map { ($0 * 1e6).rounded() / 1e6 } == [0.04, 0.13, 0.31])
        #expect(ConstantSchedule(0.05).value(at: 123) == 0.05)
    }
}
