import ArgumentParser
import PaperboyModel
import PaperboyStore

/// `paperboy member role EMAIL ROLE`: make a member a moderator, or a member again.
struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Manage members.",
        subcommands: [RoleCommand.self]
    )

    struct RoleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role",
            abstract: "Give a member a role: moderator (may hide any comment) or member."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The member's e-mail address.")
        var email: String

        @Argument(help: "moderator or member.")
        var role: String

        func run() async throws {
            guard let role = Member.Role(rawValue: self.role) else {
                throw ValidationError(
                    "role must be one of: \(Member.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let address: EmailAddress
            do {
                address = try EmailAddress(parsing: self.email)
            } catch {
                throw ValidationError(error.message)
            }
            let database = try await self.database.open()
            let store = database.storage.members
            guard let member = try await store.member(email: address) else {
                throw ValidationError("no member has the address \(address) in \(database.description)")
            }
            try await store.setRole(role, memberID: member.id)
            print("\(member.displayName) <\(address)> is now a \(role.rawValue)")
        }
    }
}
