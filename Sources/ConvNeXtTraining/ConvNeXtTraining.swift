/// Training for ConvNeXt models: reverse-mode differentiation over the channels-last kernels
/// (``Tape``, ``Variable``), the operations a ConvNeXt is made of with hand-written backward
/// kernels, losses, and ``TrainableConvNeXt``.
public enum ConvNeXtTraining {}
