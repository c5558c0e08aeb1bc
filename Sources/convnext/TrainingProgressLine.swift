import ConvNeXtTraining
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The live line `train` redraws on standard error after every step (terminals only):
/// epoch, a bar, steps, running loss, learning rate and throughput.
final class TrainingProgressLine {
    private let enabled = isatty(STDOUT_FILENO) == 1
    private var drawn = false

    func show(_ progress: Trainer.Progress) {
        guard enabled else { return }
        let width = 24
        let filled = progress.stepsPerEpoch > 0 ? min(width, width * progress.step / progress.stepsPerEpoch) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(format: "\repoch %d/%d [%@] %d/%d loss %.4f lr %.3g %.1f img/s ", progress.epoch, progress.epochs, bar,
                          progress.step, progress.stepsPerEpoch, progress.loss, progress.learningRate, progress.imagesPerSecond)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    /// Ends the live line so the next output starts on a fresh one.
    func finishLine() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        drawn = false
    }
}
