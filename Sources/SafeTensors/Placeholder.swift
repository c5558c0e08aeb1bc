public enum SafeTensorsPlaceholder {}
