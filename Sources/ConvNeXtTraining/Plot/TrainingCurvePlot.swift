import ConvNeXtImages
import Foundation

/// Training curves as an image: a loss panel (training and validation loss per epoch) beside
/// an accuracy panel (validation top-1 in percent), with axes, tick labels and a legend in a
/// built-in bitmap font. Non-finite values (a diverged loss) are left out of lines and axis
/// ranges; an empty record list gives empty panels.
public enum TrainingCurvePlot {
    static let trainColor = PlotColor(red: 31, green: 119, blue: 180)
    static let validationColor = PlotColor(red: 255, green: 127, blue: 14)
    static let accuracyColor = PlotColor(red: 44, green: 160, blue: 44)
    /// Font pixels are drawn as 2x2 squares.
    static let textScale = 2

    /// The plot of `epochs` (in any order) as a `width` x `height` image.
    public static func render(epochs: [EpochRecord], width: Int = 1200, height: Int = 480) -> RGBImage {
        precondition(width >= 200 && height >= 120, "plot of \(width)x\(height) is too small")
        let records = epochs.sorted { $0.epoch < $1.epoch }
        var canvas = Canvas(width: width, height: height)
        let xAxis = PlotAxis.covering(records.map { Double($0.epoch) }, fallback: 0...1, integral: true)
        let loss = [
            Series(name: "train", color: trainColor, points: records.map { (Double($0.epoch), $0.trainLoss) }),
            Series(name: "val", color: validationColor,
                   points: records.compactMap { r in r.validationLoss.map { (Double(r.epoch), $0) } }),
        ].filter { !$0.points.isEmpty }
        let accuracy = [
            Series(name: "val top-1", color: accuracyColor,
                   points: records.compactMap { r in r.validationTop1.map { (Double(r.epoch), $0 * 100) } }),
        ].filter { !$0.points.isEmpty }
        let half = width / 2
        drawPanel(on: &canvas, frame: (0, 0, half, height), title: "loss", series: loss, xAxis: xAxis,
                  yAxis: PlotAxis.covering(loss.flatMap { $0.points.map(\.1) }, fallback: 0...1))
        drawPanel(on: &canvas, frame: (half, 0, width - half, height), title: "validation top-1 (%)",
                  series: accuracy, xAxis: xAxis,
                  yAxis: PlotAxis.covering(accuracy.flatMap { $0.points.map(\.1) }, fallback: 0...100, clampTo: 0...100),
                  suffix: "%", legendAtBottom: true)
        return canvas.image
    }

    /// Writes `image` as a PNG file at `url`, atomically (see ``PNGEncoder/write(_:to:)``).
    public static func writePNG(_ image: RGBImage, to url: URL) throws {
        try PNGEncoder.write(image, to: url)
    }

    struct Series {
        var name: String
        var color: PlotColor
        var points: [(Double, Double)]
    }

    private static func drawPanel(on canvas: inout Canvas, frame: (x: Int, y: Int, width: Int, height: Int),
                                  title: String, series: [Series], xAxis: PlotAxis, yAxis: PlotAxis,
                                  suffix: String = "", legendAtBottom: Bool = false) {
        let s = textScale, glyphHeight = BitmapFont.glyphHeight * textScale
        let tickLabels = yAxis.ticks.map { yAxis.label($0, suffix: suffix) }
        let labelWidth = tickLabels.map { Canvas.textWidth($0, scale: s) }.max() ?? 0
        let left = frame.x + labelWidth + 24, right = frame.x + frame.width - 20
        let top = frame.y + glyphHeight + 24, bottom = frame.y + frame.height - 2 * glyphHeight - 28
        guard right - left > 20 && bottom - top > 20 else { return }
        func px(_ x: Double) -> Int { xAxis.position(x, from: left, to: right) }
        func py(_ y: Double) -> Int { yAxis.position(y, from: bottom, to: top) }

        canvas.text(title, x: frame.x + (frame.width - Canvas.textWidth(title, scale: s)) / 2, y: frame.y + 10, scale: s)
        for (tick, label) in zip(yAxis.ticks, tickLabels) {
            let y = py(tick)
            canvas.line(from: (left, y), to: (right, y), color: .grid)
            canvas.line(from: (left - 5, y), to: (left, y), color: .black)
            canvas.text(label, x: left - 8 - Canvas.textWidth(label, scale: s), y: y - glyphHeight / 2, scale: s)
        }
        for tick in xAxis.ticks {
            let x = px(tick), label = xAxis.label(tick)
            canvas.line(from: (x, bottom), to: (x, bottom + 5), color: .black)
            canvas.text(label, x: x - Canvas.textWidth(label, scale: s) / 2, y: bottom + 9, scale: s)
        }
        canvas.text("epoch", x: (left + right - Canvas.textWidth("epoch", scale: s)) / 2, y: bottom + glyphHeight + 16, scale: s)
        canvas.line(from: (left, top), to: (left, bottom), color: .black)
        canvas.line(from: (left, bottom), to: (right, bottom), color: .black)

        for line in series {
            let points = line.points.filter { PlotAxis.isPlottable($0.0) && PlotAxis.isPlottable($0.1) }
            // A non-finite value breaks the line rather than joining its neighbours.
            for (a, b) in zip(line.points, line.points.dropFirst())
            where PlotAxis.isPlottable(a.1) && PlotAxis.isPlottable(b.1) {
                canvas.line(from: (px(a.0), py(a.1)), to: (px(b.0), py(b.1)), color: line.color, thickness: 2)
            }
            if points.count <= 60 {
                for point in points { canvas.fill(x: px(point.0) - 3, y: py(point.1) - 3, width: 7, height: 7, color: line.color) }
            }
        }
        if series.isEmpty {
            canvas.text("no data", x: (left + right - Canvas.textWidth("no data", scale: s)) / 2,
                        y: (top + bottom - glyphHeight) / 2, color: PlotColor(red: 150, green: 150, blue: 150), scale: s)
        }
        // Legend in a boxed corner: top right for losses (which fall), bottom right for
        // accuracy (which rises), where curves usually are not.
        guard !series.isEmpty else { return }
        let legendWidth = (series.map { Canvas.textWidth($0.name, scale: s) }.max() ?? 0) + 44
        let legendHeight = series.count * (glyphHeight + 8) + 8
        let boxX = right - legendWidth - 8
        let boxY = legendAtBottom ? bottom - legendHeight - 8 : top + 8
        canvas.fill(x: boxX - 1, y: boxY - 1, width: legendWidth + 2, height: legendHeight + 2, color: .grid)
        canvas.fill(x: boxX, y: boxY, width: legendWidth, height: legendHeight, color: .white)
        var y = boxY + 8
        for line in series {
            let x = boxX + 6
            canvas.fill(x: x, y: y + glyphHeight / 2 - 1, width: 24, height: 3, color: line.color)
            canvas.text(line.name, x: x + 32, y: y, scale: s)
            y += glyphHeight + 8
        }
    }
}
