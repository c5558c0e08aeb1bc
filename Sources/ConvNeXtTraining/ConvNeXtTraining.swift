/// Training for ConvNeXt models: reverse-mode differentiation over the channels-last kernels,
/// losses, optimizers, schedules, augmentations and the trainer.
public enum ConvNeXtTraining {}
