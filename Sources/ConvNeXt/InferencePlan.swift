import ConvNeXtKernels

/// The buffers of forward passes on one input shape: every activation lives in one 64-byte
/// aligned arena (on huge pages with ``TensorMemoryCache/usesHugePages``), allocated once and
/// reused by every layer of every pass.
///
/// `@unchecked Sendable`: a plan is used by one forward pass at a time; ``PlanCache`` hands
/// it out to a single caller and takes it back when that call is done.
final class InferencePlan: @unchecked Sendable {
    /// The threads its schedules split work over.
    let threads: Int
    let batch: Int, height: Int, width: Int
    /// `(h, w)` of the stem's output and of each stage's.
    let spatial: [(height: Int, width: Int)]
    /// `batch·h·w` per stage.
    let pixels: [Int]
    /// The running activation `[N, h, w, C]`: the residual stream, updated in place.
    let x: UnsafeMutablePointer<Float>
    /// The normalized depthwise output a block's MLP reads.
    let y: UnsafeMutablePointer<Float>
    /// Gathered patches for the stem and the downsampling layers.
    let patches: UnsafeMutablePointer<Float>
    /// The MLPs' hidden activations (all rows' when `fullHidden`, for GRN), and the fused
    /// blocks' per-task scratch.
    let hidden: UnsafeMutablePointer<Float>
    /// Per stage, how its blocks run fused (depthwise through MLP in one region, the residual
    /// stream alternating between `x` and `y`), or nil where they run step by step.
    let fusedBlocks: [FusedBlockSchedule?]
    private let arena: (pointer: UnsafeMutableRawPointer, mapped: Bool), arenaBytes: Int

    init(configuration: ConvNeXtConfiguration, threads: Int, fullHidden: Bool, batch: Int, height: Int, width: Int) {
        (self.threads, self.batch, self.height, self.width) = (threads, batch, height, width)
        let sizes = configuration.hiddenSizes
        let spatial = InferencePlan.spatialSizes(configuration: configuration, height: height, width: width)
        let pixels = spatial.map { batch * $0.height * $0.width }
        self.spatial = spatial
        self.pixels = pixels

        let activations = zip(pixels, sizes).map { $0 * $1 }.max()!
        let fused = fullHidden ? sizes.map { _ in nil } : zip(spatial, sizes).map { size, channels in
            FusedBlockSchedule(batch: batch, height: size.height, width: size.width, channels: channels, hiddenCount: 4 * channels, threads: threads)
        }
        self.fusedBlocks = fused
        let hidden = zip(zip(pixels, sizes), fused).map { shape, schedule in
            let (rows, channels) = shape
            if fullHidden { return rows * 4 * channels }
            return max(PointwiseMLPSchedule(rows: rows, hiddenCount: 4 * channels, threads: threads).scratchCount, schedule?.scratchCount ?? 0)
        }.max()!
        let patches = max(pixels[0] * configuration.numChannels * configuration.patchSize * configuration.patchSize,
                          (1..<sizes.count).map { pixels[$0] * 4 * sizes[$0 - 1] }.max() ?? 0)
        // Each buffer starts on a 64-byte boundary.
        let counts = [activations, activations, patches, hidden].map { ($0 + 15) / 16 * 16 }
        arenaBytes = counts.reduce(0, +) * 4
        arena = LargeAllocation.allocate(byteCount: arenaBytes)
        let base = arena.pointer.bindMemory(to: Float.self, capacity: counts.reduce(0, +))
        x = base
        y = x + counts[0]
        self.patches = y + counts[1]
        self.hidden = self.patches + counts[2]
    }

    /// `(h, w)` of the stem's output and of each stage's for a `height × width` input.
    static func spatialSizes(configuration: ConvNeXtConfiguration, height: Int, width: Int) -> [(height: Int, width: Int)] {
        var spatial = [(height: height / configuration.patchSize, width: width / configuration.patchSize)]
        for _ in 1..<configuration.hiddenSizes.count { spatial.append((spatial[spatial.count - 1].height / 2, spatial[spatial.count - 1].width / 2)) }
        return spatial
    }

    deinit { LargeAllocation.deallocate(arena.pointer, byteCount: arenaBytes, mapped: arena.mapped) }

    func matches(threads: Int, batch: Int, height: Int, width: Int) -> Bool {
        self.threads == threads && self.batch == batch && self.height == height && self.width == width
    }
}

/// Plans not in use, by shape and thread count, so repeated calls reuse their buffers and
/// concurrent calls (or image streams) each get their own.
final class PlanCache: Sendable {
    /// More idle plans than this are dropped, oldest first.
    private let capacity: Int
    private let idle = LockedValue<[InferencePlan]>([])

    /// A cache keeping up to `capacity` idle plans: enough for one per image stream and a few
    /// shapes besides.
    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// An idle plan for the shape, or a new one; give it back with ``checkIn(_:)``.
    func checkOut(configuration: ConvNeXtConfiguration, threads: Int, fullHidden: Bool, batch: Int, height: Int, width: Int) -> InferencePlan {
        let reused = idle.withLock { plans -> InferencePlan? in
            guard let index = plans.lastIndex(where: { $0.matches(threads: threads, batch: batch, height: height, width: width) }) else { return nil }
            return plans.remove(at: index)
        }
        return reused ?? InferencePlan(configuration: configuration, threads: threads, fullHidden: fullHidden, batch: batch, height: height, width: width)
    }

    /// Returns a plan for later calls.
    func checkIn(_ plan: InferencePlan) {
        idle.withLock { plans in
            plans.append(plan)
            if plans.count > capacity { plans.removeFirst() }
        }
    }
}
