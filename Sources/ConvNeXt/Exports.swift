// Tensor, Activation and WorkerPool appear in this module's API; re-export them so that
// `import ConvNeXt` is all a user needs.
@_exported import ConvNeXtKernels
