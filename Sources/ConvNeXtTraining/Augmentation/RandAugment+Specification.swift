extension RandAugment {
    /// A RandAugment from timm's configuration string, `rand-m9-mstd0.5-inc1`: sections after
    /// `rand` separated by `-`, `m` magnitude, `n` layers, `mstd` magnitude noise, `p`
    /// probability per operation, `inc1` the increasing operation set.
    ///
    /// - Throws: ``RandAugmentSpecificationError`` for a malformed string, an unknown section,
    ///   or timm options this implementation lacks (the non-increasing set, `mmax` other than
    ///   10, `w` operation weights).
    public init(timmSpecification specification: String) throws(RandAugmentSpecificationError) {
        let sections = specification.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard sections.first == "rand" else { throw .malformed(specification, reason: "must start with 'rand'") }
        var magnitude = 10.0, layers = 2, magnitudeStd = 0.0, probability = 0.5, increasing = false
        for section in sections.dropFirst() {
            let key = String(section.prefix { $0.isLetter })
            let value = String(section.dropFirst(key.count))
            guard let number = Double(value), number.isFinite else {
                throw .malformed(specification, reason: "section '\(section)' has no number")
            }
            switch key {
            case "m":
                guard (0...10).contains(number) else { throw .malformed(specification, reason: "magnitude \(value) is not in 0...10") }
                magnitude = number
            case "n":
                guard let count = Int(value), (0...16).contains(count) else { throw .malformed(specification, reason: "layer count \(value) is not an integer in 0...16") }
                layers = count
            case "mstd":
                guard number >= 0 else { throw .malformed(specification, reason: "mstd \(value) is negative") }
                magnitudeStd = number
            case "p":
                guard (0...1).contains(number) else { throw .malformed(specification, reason: "probability \(value) is not in 0...1") }
                probability = number
            case "inc": increasing = number != 0
            case "mmax":
                guard number == 10 else { throw .unsupported(specification, option: "mmax other than 10") }
            case "w": throw .unsupported(specification, option: "operation weights (w)")
            default: throw .malformed(specification, reason: "unknown section '\(section)'")
            }
        }
        guard increasing else { throw .unsupported(specification, option: "timm's non-increasing operation set (add -inc1)") }
        self.init(layers: layers, magnitude: magnitude, magnitudeStd: magnitudeStd, probability: probability)
    }
}

/// Why a timm RandAugment string was refused.
public enum RandAugmentSpecificationError: Error, Equatable, CustomStringConvertible {
    /// The string does not follow timm's grammar.
    case malformed(String, reason: String)
    /// The string asks for a timm option not implemented here.
    case unsupported(String, option: String)

    public var description: String {
        switch self {
        case let .malformed(specification, reason): "RandAugment '\(specification)': \(reason)"
        case let .unsupported(specification, option): "RandAugment '\(specification)': \(option) is not supported"
        }
    }
}
