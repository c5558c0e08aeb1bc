/// A zlib stream (RFC 1950) holding one DEFLATE block with the fixed Huffman codes
/// (RFC 1951 §3.2.6) and greedy LZ77 matching over a 32 KiB window. Plots are mostly runs and
/// repeated rows, which this compresses well; it is not meant to compete with zlib.
enum Deflate {
    static let lengthBases: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                     35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtraBits: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                         3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBases: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                       513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtraBits: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
                                           8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// `data` compressed as a zlib stream.
    static func zlibCompress(_ data: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.bytes = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary, fastest level
        writer.write(1, count: 1)  // final block
        writer.write(1, count: 2)  // fixed Huffman codes
        let windowSize = 32768, hashSize = 1 << 15, maxChain = 48
        var head = [Int](repeating: -1, count: hashSize)
        var previous = [Int](repeating: -1, count: windowSize)
        func hash(_ i: Int) -> Int {
            (Int(data[i]) << 10 ^ Int(data[i + 1]) << 5 ^ Int(data[i + 2])) & (hashSize - 1)
        }
        func insert(_ i: Int) {
            guard i + 2 < data.count else { return }
            let h = hash(i)
            previous[i & (windowSize - 1)] = head[h]
            head[h] = i
        }
        var i = 0
        while i < data.count {
            var bestLength = 0, bestDistance = 0
            if i + 2 < data.count {
                var candidate = head[hash(i)]
                var chain = 0
                let limit = min(258, data.count - i)
                while candidate >= 0 && i - candidate <= windowSize - 1 && chain < maxChain {
                    var length = 0
                    while length < limit && data[candidate + length] == data[i + length] { length += 1 }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = i - candidate
                        if length == limit { break }
                    }
                    candidate = previous[candidate & (windowSize - 1)]
                    chain += 1
                }
            }
            if bestLength >= 3 {
                writer.writeMatch(length: bestLength, distance: bestDistance)
                for k in i..<(i + bestLength) { insert(k) }
                i += bestLength
            } else {
                writer.writeLiteral(Int(data[i]))
                insert(i)
                i += 1
            }
        }
        writer.writeLiteral(256)  // end of block
        writer.flush()
        let checksum = adler32(data)
        writer.bytes += [UInt8(checksum >> 24), UInt8(checksum >> 16 & 0xFF), UInt8(checksum >> 8 & 0xFF), UInt8(checksum & 0xFF)]
        return writer.bytes
    }

    /// zlib's Adler-32 checksum.
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        var index = 0
        while index < data.count {
            // 5552 bytes is the most that cannot overflow 32 bits before the modulo.
            let end = min(index + 5552, data.count)
            while index < end {
                a &+= UInt32(data[index])
                b &+= a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }
}

/// DEFLATE's bit order: values least significant bit first, Huffman codes most significant
/// bit first.
struct BitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var bitCount = 0

    mutating func write(_ value: Int, count: Int) {
        buffer |= UInt64(value) << UInt64(bitCount)
        bitCount += count
        while bitCount >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            bitCount -= 8
        }
    }

    mutating func writeCode(_ code: Int, length: Int) {
        var reversed = 0
        for bit in 0..<length where code & (1 << (length - 1 - bit)) != 0 { reversed |= 1 << bit }
        write(reversed, count: length)
    }

    /// A literal byte or the end-of-block symbol (256) in the fixed literal/length code.
    mutating func writeLiteral(_ symbol: Int) {
        switch symbol {
        case 0...143: writeCode(0x30 + symbol, length: 8)
        case 144...255: writeCode(0x190 + symbol - 144, length: 9)
        case 256...279: writeCode(symbol - 256, length: 7)
        default: writeCode(0xC0 + symbol - 280, length: 8)
        }
    }

    mutating func writeMatch(length: Int, distance: Int) {
        var code = Deflate.lengthBases.count - 1
        while Deflate.lengthBases[code] > length { code -= 1 }
        writeLiteral(257 + code)
        write(length - Deflate.lengthBases[code], count: Deflate.lengthExtraBits[code])
        var distanceCode = Deflate.distanceBases.count - 1
        while Deflate.distanceBases[distanceCode] > distance { distanceCode -= 1 }
        writeCode(distanceCode, length: 5)
        write(distance - Deflate.distanceBases[distanceCode], count: Deflate.distanceExtraBits[distanceCode])
    }

    mutating func flush() {
        if bitCount > 0 { write(0, count: 8 - bitCount) }
    }
}
