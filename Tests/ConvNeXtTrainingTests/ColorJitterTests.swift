import ConvNeXt
import ConvNeXtImages
import ConvNeXtTraining
import Foundation
import Testing

@Suite struct ColorJitterTests {
    @Test func factorsComeFromTheRanges() {
        let jitter = ColorJitter(brightness: 0.4, contrast: 1.5, saturation: 0.2, hue: 0.1)
        var generator = SeededGenerator(seed: 8)
        var orders = Set<[ColorJitter.Adjustment]>()
        var lowest = [ColorJitter.Adjustment: Double](), highest = [ColorJitter.Adjustment: Double]()
        for _ in 0..<2000 {
            let (order, factors) = jitter.parameters(using: &generator)
            #expect(order.sorted { $0.rawValue < $1.rawValue } == ColorJitter.Adjustment.allCases)
            orders.insert(order)
            for (key, value) in factors {
                lowest[key] = min(lowest[key] ?? .infinity, value)
                highest[key] = max(highest[key] ?? -.infinity, value)
            }
        }
        #expect(orders.count == 24)
        #expect(lowest[.brightness]! >= 0.6 && lowest[.brightness]! < 0.62 && highest[.brightness]! <= 1.4 && highest[.brightness]! > 1.38)
        // A strength above 1 clips the lower bound at 0.
        #expect(lowest[.contrast]! >= 0 && lowest[.contrast]! < 0.05 && highest[.contrast]! <= 2.5)
        #expect(lowest[.saturation]! >= 0.8 && highest[.saturation]! <= 1.2)
        #expect(lowest[.hue]! >= -0.1 && lowest[.hue]! < -0.09 && highest[.hue]! <= 0.1 && highest[.hue]! > 0.09)
    }

    @Test func disabledAdjustmentsDrawNoFactor() {
        var generator = SeededGenerator(seed: 1)
        let (_, factors) = ColorJitter(brightness: 0.4).parameters(using: &generator)
        #expect(Array(factors.keys) == [.brightness])
        let image = randomImage(width: 5, height: 4, seed: 2)
        var other = SeededGenerator(seed: 3)
        #expect(ColorJitter().apply(to: image, using: &other) == image)
    }

    @Test func appliesPillowEnhancementsInTheDrawnOrder() {
        let image = randomImage(width: 7, height: 6, seed: 4)
        let jitter = ColorJitter(brightness: 0.5, contrast: 0.5, saturation: 0.5, hue: 0.2)
        var g1 = SeededGenerator(seed: 12), g2 = SeededGenerator(seed: 12)
        let (order, factors) = jitter.parameters(using: &g1)
        var expected = image
        for adjustment in order {
            let factor = factors[adjustment]!
            switch adjustment {
            case .brightness: expected = expected.brightnessEnhanced(factor: factor)
            case .contrast: expected = expected.contrastEnhanced(factor: factor)
            case .saturation: expected = expected.colorEnhanced(factor: factor)
            case .hue: expected = expected.hueAdjusted(by: factor)
            }
        }
        #expect(jitter.apply(to: image, using: &g2) == expected)
        // The order matters: brightness then contrast differs from contrast then brightness.
        let bc = ColorJitter.apply(order: [.brightness, .contrast], factors: [.brightness: 1.6, .contrast: 0.3], to: image)
        let cb = ColorJitter.apply(order: [.contrast, .brightness], factors: [.brightness: 1.6, .contrast: 0.3], to: image)
        #expect(bc != cb)
    }

    @Test func hueShiftRotatesPrimaries() {
        let image = RGBImage(width: 4, height: 1, pixels: [255, 0, 0, 0, 255, 0, 128, 128, 128, 0, 0, 0])
        let shifted = image.hueAdjusted(by: 1.0 / 3.0)  // uint8(85): a third of a turn
        #expect(shifted[0, 0] == (0, 255, 0))
        #expect(shifted[1, 0] == (0, 0, 255))
        #expect(shifted[2, 0] == (128, 128, 128))  // gray has no hue
        #expect(shifted[3, 0] == (0, 0, 0))
        let back = image.hueAdjusted(by: -1.0 / 3.0)  // uint8(-85) wraps to 171
        #expect(back[0, 0].blue == 255 && back[0, 0].red < 10 && back[0, 0].green == 0)
    }

    @Test func hueShiftFollowsHSVWithinRounding() {
        // colorsys in double precision, quantized as Pillow does, as an independent reference.
        let image = randomImage(width: 32, height: 8, seed: 6)
        let factor = 0.13
        let shifted = image.hueAdjusted(by: factor)
        for index in 0..<(32 * 8) {
            let r = Double(image.pixels[index * 3]), g = Double(image.pixels[index * 3 + 1]), b = Double(image.pixels[index * 3 + 2])
            let maxc = max(r, g, b), minc = min(r, g, b)
            guard maxc - minc > 40 && maxc > 60 else { continue }  // well-defined hue
            let span = maxc - minc
            var h: Double
            if r == maxc { h = (g - b) / span } else if g == maxc { h = 2 + (b - r) / span } else { h = 4 + (r - g) / span }
            h = (h / 6 + 1).truncatingRemainder(dividingBy: 1)
            h = (h + factor).truncatingRemainder(dividingBy: 1)
            let s = span / maxc, v = maxc
            let sector = Int(h * 6) % 6, f = h * 6 - Double(Int(h * 6))
            let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
            let rgb: (Double, Double, Double) = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][sector]
            let out = shifted[index % 32, index / 32]
            // Hue is quantized to 1/255 of a turn (up to 7 levels at full saturation) and S to 8 bits.
            #expect(abs(Double(out.red) - rgb.0) <= 10 && abs(Double(out.green) - rgb.1) <= 10 && abs(Double(out.blue) - rgb.2) <= 10,
                    "pixel \(index): \(out) vs \(rgb)")
        }
    }
}
