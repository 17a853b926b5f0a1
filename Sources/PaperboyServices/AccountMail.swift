public import Foundation
public import PaperboyMail
public import PaperboyModel
import PaperboySecurity

/// The mails of account use cases.
public enum AccountMail {
    /// The password-reset mail with its signed link.
    public static func passwordReset(
        to member: Member, link: String, settings: MailSettings, now: Date = Date()
    ) throws -> MailMessage {
        let text = """
            Someone, probably you, asked to set a new password for your \(settings.siteName) account \
            (\(member.email.rawValue)).

            Set a new password here (the link works for an hour, once):
            \(link)

            If you did not ask for this, ignore this mail: your password stays as it is.
            """
        let html = MailLayout.page(
            title: "Set a new password",
            body: """
                <p>Someone, probably you, asked to set a new password for your \(MailLayout.escape(settings.siteName)) \
                account (\(MailLayout.escape(member.email.rawValue))).</p>
                <p>\(MailLayout.button("Set a new password", link))</p>
                <p style="color:#666;font-size:13px">The link works for an hour, once. If you did not ask for this, \
                ignore this mail: your password stays as it is.</p>
                """)
        return MailMessage(
            from: settings.from, to: [try MailAddress(member.email.rawValue, displayName: member.displayName)],
            subject: "Set a new \(settings.siteName) password", text: text, html: html, date: now,
            messageID: "reset.\(member.id).\(SecureToken.random(bytes: 9))@\(settings.messageIDDomain)")
    }
}
