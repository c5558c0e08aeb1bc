public enum ConvNeXtPlaceholder {}
