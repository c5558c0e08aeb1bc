import SafeTensors

extension CheckpointWeights: TensorSource {
    public func shape(of name: String) -> [Int]? { info(name)?.shape }
    public func tensor(named name: String) throws -> Tensor { try tensor(name) }
}
