public import Foundation
public import PaperboyMail
public import PaperboyModel
import PaperboySecurity
public import PaperboyStore

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

    /// The link that finishes a sign-up.
    public static func confirmSignUp(
        to signUp: PendingSignUp, link: String, settings: MailSettings, now: Date = Date()
    ) throws -> MailMessage {
        let text = """
            Someone, probably you, asked to make a \(settings.siteName) account with this address \
            (\(signUp.email.rawValue)), named "\(signUp.displayName)".

            Finish making it by following this link (it works for 48 hours; in another browser than \
            the one you signed up in, it asks for the password you chose):
            \(link)

            If you did not ask for this, ignore this mail: no account is made without it.
            """
        let html = MailLayout.page(
            title: "Finish making your account",
            body: """
                <p>Someone, probably you, asked to make a \(MailLayout.escape(settings.siteName)) account with this \
                address (\(MailLayout.escape(signUp.email.rawValue))), named \
                “\(MailLayout.escape(signUp.displayName))”.</p>
                <p>\(MailLayout.button("Finish making my account", link))</p>
                <p style="color:#666;font-size:13px">The link works for 48 hours; in another browser than the one \
                you signed up in, it asks for the password you chose. If you did not ask for this, ignore this \
                mail: no account is made without it.</p>
                """)
        return MailMessage(
            from: settings.from, to: [try MailAddress(signUp.email.rawValue)],
            subject: "Finish making your \(settings.siteName) account", text: text, html: html, date: now,
            messageID: "signup.\(signUp.id).\(SecureToken.random(bytes: 9))@\(settings.messageIDDomain)")
    }

    /// To the owner of an address someone tried to sign up with again.
    public static func signUpAttempt(
        to member: Member, settings: MailSettings, now: Date = Date()
    ) throws
        -> MailMessage
    {
        let signIn = settings.baseURL + "/signin"
        let reset = settings.baseURL + "/reset"
        let text = """
            Someone, probably you, tried to make a \(settings.siteName) account with this address, which \
            already has one. Nothing was changed.

            Sign in here: \(signIn)
            Forgot your password? Set a new one here: \(reset)
            """
        let html = MailLayout.page(
            title: "You already have an account",
            body: """
                <p>Someone, probably you, tried to make a \(MailLayout.escape(settings.siteName)) account with this \
                address, which already has one. Nothing was changed.</p>
                <p>\(MailLayout.button("Sign in", signIn))</p>
                <p style="color:#666;font-size:13px">Forgot your password? \
                <a href="\(MailLayout.escape(reset))">Set a new one</a>.</p>
                """)
        return MailMessage(
            from: settings.from, to: [try MailAddress(member.email.rawValue, displayName: member.displayName)],
            subject: "Your \(settings.siteName) account", text: text, html: html, date: now,
            messageID: "signup-again.\(member.id).\(SecureToken.random(bytes: 9))@\(settings.messageIDDomain)")
    }

    /// The link that proves the address of an account made before addresses were checked.
    public static func addressProof(
        to member: Member, link: String, settings: MailSettings, now: Date = Date()
    ) throws -> MailMessage {
        let text = """
            Someone signed in to the \(settings.siteName) account "\(member.displayName)" asked to confirm that \
            this address is theirs, so that it can get digests.

            If that is you, follow this link while signed in (it works for 48 hours):
            \(link)

            If it is not you, ignore this mail: nothing will be sent to this address.
            """
        let html = MailLayout.page(
            title: "Confirm your address",
            body: """
                <p>Someone signed in to the \(MailLayout.escape(settings.siteName)) account \
                “\(MailLayout.escape(member.displayName))” asked to confirm that this address is theirs, so that \
                it can get digests.</p>
                <p>\(MailLayout.button("This address is mine", link))</p>
                <p style="color:#666;font-size:13px">Follow the link while signed in; it works for 48 hours. If it \
                is not you, ignore this mail: nothing will be sent to this address.</p>
                """)
        return MailMessage(
            from: settings.from, to: [try MailAddress(member.email.rawValue)],
            subject: "Confirm your \(settings.siteName) address", text: text, html: html, date: now,
            messageID: "verify.\(member.id).\(SecureToken.random(bytes: 9))@\(settings.messageIDDomain)")
    }

    /// To an address that someone signed up with, whose account was made before addresses were
    /// proven (so it may not be the address owner's): setting a password through the link takes
    /// the account over, ending whoever else's sessions and tokens.
    public static func claimAccount(
        to member: Member, link: String, settings: MailSettings, now: Date = Date()
    ) throws -> MailMessage {
        let text = """
            Someone, probably you, tried to make a \(settings.siteName) account with this address. It already has \
            one, made before addresses were confirmed, so it may not be yours.

            If this address is yours, set a password for that account here (the link works for an hour); whoever \
            else was signed in to it is signed out:
            \(link)

            If you did not ask for this, ignore this mail.
            """
        let html = MailLayout.page(
            title: "An account already uses this address",
            body: """
                <p>Someone, probably you, tried to make a \(MailLayout.escape(settings.siteName)) account with this \
                address. It already has one, made before addresses were confirmed, so it may not be yours.</p>
                <p>\(MailLayout.button("Set a password and take it over", link))</p>
                <p style="color:#666;font-size:13px">The link works for an hour; whoever else was signed in to the \
                account is signed out. If you did not ask for this, ignore this mail.</p>
                """)
        return MailMessage(
            from: settings.from, to: [try MailAddress(member.email.rawValue)],
            subject: "Your \(settings.siteName) account", text: text, html: html, date: now,
            messageID: "claim.\(member.id).\(SecureToken.random(bytes: 9))@\(settings.messageIDDomain)")
    }
}
