import ArgumentParser

/// The `paperboy` command: the service and its tools in one binary.
@main
struct Paperboy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperboy",
        abstract: "A self-hosted research-paper discovery service.",
        subcommands: [
            ServeCommand.self, IngestCommand.self, SearchCommand.self, IndexCommand.self, EvalCommand.self,
            BenchCommand.self, MemberCommand.self, DigestCommand.self, BackupCommand.self,
            ModelCommand.self, EmbedCommand.self, SimilarCommand.self, MigrateCommand.self,
        ],
        defaultSubcommand: nil
    )
}
