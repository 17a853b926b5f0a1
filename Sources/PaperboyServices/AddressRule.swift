public import PaperboyMail
public import PaperboyModel

/// The one rule for e-mail addresses people type: what the mail layer can send to
/// (``MailAddress``), checked when the address comes in, so that no row is ever stored for an
/// address a mail could not go to.
public enum AddressRule {
    /// The address in `text` (trimmed), if mail can be sent to it.
    ///
    /// - Throws: ``ServiceError`` `invalidInput` for `field`, saying what is wrong.
    public static func parse(_ text: String, field: String = "email") throws(ServiceError) -> EmailAddress {
        let address: EmailAddress
        do {
            address = try EmailAddress(parsing: text)
        } catch {
            throw ServiceError(.invalidInput, field: field, error.message)
        }
        do {
            _ = try MailAddress(address.rawValue)
        } catch {
            throw ServiceError(.invalidInput, field: field, error.message)
        }
        return address
    }
}
