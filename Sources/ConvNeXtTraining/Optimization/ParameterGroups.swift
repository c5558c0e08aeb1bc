/// A partition of a model's parameters into ``ParameterGroup``s: what an optimizer updates.
public struct ParameterGroups: Sendable, Equatable {
    /// The groups in order of first appearance.
    public let groups: [ParameterGroup]
    private let indexByParameter: [String: Int]

    /// Groups `groups`, which must not share a parameter.
    ///
    /// - Throws: ``OptimizationError/duplicateParameter(name:)``.
    public init(_ groups: [ParameterGroup]) throws {
        var index: [String: Int] = [:]
        for (position, group) in groups.enumerated() {
            for name in group.parameterNames {
                guard index.updateValue(position, forKey: name) == nil else { throw OptimizationError.duplicateParameter(name: name) }
            }
        }
        self.groups = groups
        indexByParameter = index
    }

    /// Groups already known to share no parameter.
    init(validated groups: [ParameterGroup]) {
        self.groups = groups
        var index: [String: Int] = [:]
        for (position, group) in groups.enumerated() {
            for name in group.parameterNames { index[name] = position }
        }
        indexByParameter = index
    }

    /// One group holding every name in `names` (repeats dropped) with the same settings: every
    /// parameter decays, the plain `torch.optim` usage.
    public init(single names: [String], learningRateScale: Double = 1, weightDecay: Double = 0) {
        var seen = Set<String>()
        let unique = names.filter { seen.insert($0).inserted }
        self.init(validated: [ParameterGroup(name: weightDecay > 0 ? "decay" : "no_decay", parameterNames: unique,
                                             learningRateScale: learningRateScale, weightDecay: weightDecay)])
    }

    /// The group holding the parameter `name`, or nil if none does.
    public subscript(_ name: String) -> ParameterGroup? {
        indexByParameter[name].map { groups[$0] }
    }

    /// Every parameter name, group by group.
    public var parameterNames: [String] { groups.flatMap(\.parameterNames) }

    /// Whether some group holds `name`.
    public func contains(_ name: String) -> Bool { indexByParameter[name] != nil }
}
