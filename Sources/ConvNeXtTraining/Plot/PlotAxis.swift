import Foundation

/// A value range with "nice" ticks (steps of 1, 2 or 5 times a power of ten).
struct PlotAxis {
    var lower: Double
    var upper: Double
    var ticks: [Double]
    var step: Double

    /// Values beyond this magnitude are treated like NaN: not plotted.
    static let largestPlotted = 1e30

    static func isPlottable(_ value: Double) -> Bool { value.isFinite && abs(value) < largestPlotted }

    /// An axis covering `values` (the plottable ones) expanded to whole steps; `fallback`
    /// when there are none. `integral` forces steps of at least 1 (epochs).
    static func covering(_ values: [Double], fallback: ClosedRange<Double>, integral: Bool = false,
                         clampTo limits: ClosedRange<Double>? = nil) -> PlotAxis {
        let plottable = values.filter(isPlottable)
        var lower = plottable.min() ?? fallback.lowerBound
        var upper = plottable.max() ?? fallback.upperBound
        if upper - lower <= max(abs(upper), abs(lower)) * 1e-9 {
            let pad = integral ? 1 : max(abs(lower) * 0.1, 0.5)
            lower -= pad
            upper += pad
        }
        var step = niceStep((upper - lower) / 5)
        if integral { step = max(step, 1) }
        if !integral {
            lower = (lower / step).rounded(.down) * step
            upper = (upper / step).rounded(.up) * step
            // Clamp to the limits only when data lie inside them (an accuracy above 100% is a
            // bug worth seeing, not hiding).
            if let limits, max(lower, limits.lowerBound) < min(upper, limits.upperBound) {
                lower = max(lower, limits.lowerBound)
                upper = min(upper, limits.upperBound)
            }
        }
        var ticks: [Double] = []
        var tick = (lower / step).rounded(.up) * step
        while tick <= upper + step * 1e-9 && ticks.count < 50 {
            ticks.append(tick)
            tick += step
        }
        return PlotAxis(lower: lower, upper: upper, ticks: ticks, step: step)
    }

    /// 1, 2 or 5 times the power of ten nearest above `raw`'s.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 && raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalized = raw / magnitude
        let factor: Double = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10
        return factor * magnitude
    }

    /// `value` with as many decimals as the step needs.
    func label(_ value: Double, suffix: String = "") -> String {
        let decimals = min(6, max(0, -Int(log10(step).rounded(.down))))
        let text = String(format: "%.\(decimals)f", value)
        return (text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text) + suffix
    }

    /// Where `value` falls between `start` (at ``lower``) and `end` (at ``upper``).
    func position(_ value: Double, from start: Int, to end: Int) -> Int {
        // Points far off the axis (a clamped range) are pinned nearby: no integer overflow,
        // and lines towards them keep their direction.
        let fraction = min(max((value - lower) / (upper - lower), -10), 10)
        return start + Int((fraction * Double(end - start)).rounded())
    }
}
