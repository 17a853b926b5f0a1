import CBLAS
import Foundation

/// OpenBLAS set up for the encoder: single-threaded (parallelism comes from batches), and with
/// kernels fit for the CPU. OpenBLAS picks its kernels by CPU model name; on a CPU it does not know
/// by name (a virtual machine's "Intel(R) Xeon(R) Processor", as on the machines this was built
/// on) it falls back to its Prescott (SSE3) kernels, which run `sgemm` five to six times slower
/// than the AVX-512 ones the same CPU can run (17 against 98 GFLOP/s measured). When that happens,
/// and the user has not chosen with `OPENBLAS_CORETYPE`, the kernels are chosen again from the
/// CPU's feature flags, through the same `OPENBLAS_CORETYPE` path OpenBLAS offers, before any
/// product runs.
enum OpenBLASKernels {
    /// The kernel family in use (`SkylakeX`, `Haswell`, …), set up once.
    static let coreName: String = Self.setUp()

    /// Kernel families that use AVX2 or better: never replaced.
    static let modern: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    private static func setUp() -> String {
        openblas_set_num_threads(1)
        let detected = String(cString: openblas_get_corename())
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
            !Self.modern.contains(detected.lowercased()), let wanted = Self.bestCore(flags: Self.cpuFlags()),
            let initialize = Self.symbol("gotoblas_dynamic_init"), let quit = Self.symbol("gotoblas_dynamic_quit")
        else { return detected }
        setenv("OPENBLAS_CORETYPE", wanted, 1)
        quit()
        initialize()
        unsetenv("OPENBLAS_CORETYPE")
        openblas_set_num_threads(1)
        return String(cString: openblas_get_corename())
    }

    /// The best OpenBLAS kernel family the CPU's flags allow, or nil to leave OpenBLAS's choice.
    static func bestCore(flags: Set<String>) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The CPU's feature flags from `/proc/cpuinfo` (empty elsewhere).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// A function of OpenBLAS's dynamic-architecture builds, when this build has it.
    private static func symbol(_ name: String) -> (@convention(c) () -> Void)? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: (@convention(c) () -> Void).self)
    }
}
