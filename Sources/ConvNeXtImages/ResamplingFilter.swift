import Foundation

/// Pillow's resampling filters, with the integer values of `PIL.Image.Resampling` (the values
/// the `resample` field of `preprocessor_config.json` holds).
public enum ResamplingFilter: Int, Sendable, CaseIterable, Codable {
    /// Nearest neighbour (Pillow maps coordinates with an affine transform, not a convolution).
    case nearest = 0
    /// Lanczos, a 3-lobed windowed sinc.
    case lanczos = 1
    /// Bilinear (triangle filter).
    case bilinear = 2
    /// Bicubic with a = -0.5.
    case bicubic = 3
    /// Box (area average).
    case box = 4
    /// Hamming-windowed sinc of one lobe.
    case hamming = 5

    /// The filter's support radius at scale 1 (Pillow's `struct filter`); 0 for nearest.
    var support: Double {
        switch self {
        case .nearest: return 0
        case .box: return 0.5
        case .bilinear, .hamming: return 1
        case .bicubic: return 2
        case .lanczos: return 3
        }
    }

    /// The kernel value at `x`, computed in the same order of operations as Resample.c so the
    /// weights, and therefore the rounded pixels, are bit-identical.
    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest:
            return 0
        case .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let x = abs(x)
            return x < 1 ? 1 - x : 0
        case .hamming:
            let x = abs(x)
            if x == 0 { return 1 }
            if x >= 1 { return 0 }
            let angle = x * Double.pi
            // Resample.c writes 0.54f and 0.46f: single-precision constants widened to double.
            return sin(angle) / angle * (Double(Float(0.54)) + Double(Float(0.46)) * cos(angle))
        case .bicubic:
            let a = -0.5
            let x = abs(x)
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        case .lanczos:
            return -3 <= x && x < 3 ? Self.sinc(x) * Self.sinc(x / 3) : 0
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let angle = x * Double.pi
        return sin(angle) / angle
    }
}
