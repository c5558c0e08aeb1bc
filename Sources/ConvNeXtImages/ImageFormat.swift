/// The encoded formats the decoder reads, recognised by their signatures (never by file name).
enum ImageFormat {
    case jpeg
    case png

    /// The format whose signature `bytes` starts with, using the same prefixes as Pillow.
    init?(signature bytes: UnsafeRawBufferPointer) {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else {
            return nil
        }
    }
}
