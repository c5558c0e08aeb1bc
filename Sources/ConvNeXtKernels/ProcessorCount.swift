#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How many CPUs this process may use: the online processors, narrowed on Linux by the
/// calling thread's affinity mask (`taskset`, container cpusets) and by a cgroup CPU quota
/// (`docker --cpus`, Kubernetes limits), rounded up.
enum ProcessorCount {
    static let available: Int = {
        var count = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #if os(Linux)
        if let allowed = affinityCount() { count = min(count, allowed) }
        if let quota = cgroupQuota() { count = min(count, quota) }
        #endif
        return max(1, count)
    }()

    #if os(Linux)
    /// `CPU_COUNT` of `sched_getaffinity(0)`. Glibc's Swift module hides the call (it needs
    /// `_GNU_SOURCE`), so it is looked up by name with its C signature.
    static func affinityCount() -> Int? {
        typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
        guard let symbol = dlsym(nil, "sched_getaffinity") else { return nil }
        let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
        var mask = [UInt64](repeating: 0, count: 1024)  // room for 65,536 CPUs
        let result = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
        guard result == 0 else { return nil }
        let count = mask.reduce(0) { $0 + $1.nonzeroBitCount }
        return count > 0 ? count : nil
    }

    /// The tightest CPU quota of this process's cgroup and its ancestors, in whole CPUs:
    /// `cpu.max` (cgroup v2) or `cpu.cfs_quota_us` / `cpu.cfs_period_us` (v1).
    static func cgroupQuota() -> Int? {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        var best: Double?
        func consider(_ quota: Double?) {
            if let quota, quota > 0 { best = min(best ?? quota, quota) }
        }
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                for directory in ancestors(of: "/sys/fs/cgroup" + path, root: "/sys/fs/cgroup") {
                    consider(readV2Quota(directory + "/cpu.max"))
                }
            } else if fields[1].split(separator: ",").contains("cpu") {
                for root in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
                    for directory in ancestors(of: root + path, root: root) {
                        consider(readV1Quota(directory))
                    }
                }
            }
        }
        return best.map { max(1, Int($0.rounded(.up))) }
    }

    /// `path` and its parents up to and including `root`.
    static func ancestors(of path: String, root: String) -> [String] {
        var result: [String] = []
        var current = path.hasSuffix("/") ? String(path.dropLast()) : path
        while current.count >= root.count {
            result.append(current)
            guard let slash = current.lastIndex(of: "/") else { break }
            current = String(current[..<slash])
        }
        return result
    }

    static func readV2Quota(_ file: String) -> Double? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else { return nil }
        return quota / period  // "max" does not parse: no limit
    }

    static func readV1Quota(_ directory: String) -> Double? {
        func number(_ name: String) -> Double? {
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8) else { return nil }
            return Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let quota = number("cpu.cfs_quota_us"), quota > 0, let period = number("cpu.cfs_period_us"), period > 0 else { return nil }
        return quota / period
    }
    #endif
}
