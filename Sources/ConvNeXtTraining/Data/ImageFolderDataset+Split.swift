import ConvNeXt
import Foundation

extension ImageFolderDataset {
    /// A deterministic stratified split: in every class, `round(count · validationFraction)`
    /// samples (at most `count − 1`, so each class keeps a training sample) chosen by a shuffle
    /// seeded from (`seed`, class) go to validation. Both parts keep the class names and the
    /// dataset's sample order, so the same seed always gives the same split.
    ///
    /// - Throws: ``TrainingDataError/invalidValidationFraction(_:)`` unless
    ///   `0 < validationFraction < 1`.
    public func split(validationFraction: Double, seed: UInt64) throws(TrainingDataError)
        -> (training: ImageFolderDataset, validation: ImageFolderDataset) {
        guard validationFraction > 0 && validationFraction < 1 else {
            throw .invalidValidationFraction(validationFraction)
        }
        var byClass = [[Int]](repeating: [], count: classNames.count)
        for (index, sample) in samples.enumerated() { byClass[sample.label].append(index) }
        var isValidation = [Bool](repeating: false, count: samples.count)
        for (label, indices) in byClass.enumerated() where indices.count > 1 {
            let wanted = min(indices.count - 1, Int((Double(indices.count) * validationFraction).rounded()))
            var generator = SeededGenerator(seed: SampleSeeds.seed(.split, seed, UInt64(label)))
            let order = SampleSeeds.permutation(count: indices.count, using: &generator)
            for k in order.prefix(wanted) { isValidation[indices[k]] = true }
        }
        let training = samples.indices.filter { !isValidation[$0] }.map { samples[$0] }
        let validation = samples.indices.filter { isValidation[$0] }.map { samples[$0] }
        return (ImageFolderDataset(directory: directory, classNames: classNames, samples: training),
                ImageFolderDataset(directory: directory, classNames: classNames, samples: validation))
    }
}
