import ConvNeXtImages

/// An RGB color.
struct PlotColor: Equatable {
    var red: UInt8
    var green: UInt8
    var blue: UInt8

    static let white = PlotColor(red: 255, green: 255, blue: 255)
    static let black = PlotColor(red: 0, green: 0, blue: 0)
    static let grid = PlotColor(red: 225, green: 225, blue: 225)
}

/// A mutable RGB raster with the few drawing primitives a line plot needs. Drawing outside
/// the raster is clipped.
struct Canvas {
    let width: Int
    let height: Int
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, background: PlotColor = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fill(x: 0, y: 0, width: width, height: height, color: background)
    }

    var image: RGBImage { RGBImage(width: width, height: height, pixels: pixels) }

    mutating func set(_ x: Int, _ y: Int, _ color: PlotColor) {
        guard x >= 0 && x < width && y >= 0 && y < height else { return }
        let offset = (y * width + x) * 3
        pixels[offset] = color.red
        pixels[offset + 1] = color.green
        pixels[offset + 2] = color.blue
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: PlotColor) {
        for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
            for column in max(0, x)..<max(max(0, x), min(width, x + w)) { set(column, row, color) }
        }
    }

    /// A line `thickness` pixels wide (Bresenham with a square brush).
    mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), color: PlotColor, thickness: Int = 1) {
        var (x, y) = start
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let sx = x < end.x ? 1 : -1, sy = y < end.y ? 1 : -1
        var error = dx + dy
        let offset = (thickness - 1) / 2
        while true {
            fill(x: x - offset, y: y - offset, width: thickness, height: thickness, color: color)
            if x == end.x && y == end.y { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += sx }
            if doubled <= dx { error += dx; y += sy }
        }
    }

    /// `text` in the bitmap font with its top-left corner at (`x`, `y`), each font pixel
    /// drawn as a `scale` x `scale` square.
    mutating func text(_ text: String, x: Int, y: Int, color: PlotColor = .black, scale: Int = 1) {
        for (index, character) in text.enumerated() {
            let left = x + index * BitmapFont.advance * scale
            for (row, bits) in BitmapFont.rows(for: character).enumerated() {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x10 >> UInt8(column)) != 0 {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
        }
    }

    /// The width `text` takes at `scale`.
    static func textWidth(_ text: String, scale: Int = 1) -> Int {
        text.isEmpty ? 0 : (text.count * BitmapFont.advance - 1) * scale
    }
}
