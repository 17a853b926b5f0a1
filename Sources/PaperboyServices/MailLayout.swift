/// The HTML frame of every mail: one centred column of tables with inline styles, which is what
/// mail programs (Gmail, Outlook, Apple Mail) render alike; no scripts, no external styles.
enum MailLayout {
    /// A whole HTML document with a title bar and `body`, and `footer` in small print.
    static func page(title: String, body: String, footer: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark"><title>\(Self.escape(title))</title></head>
        <body style="margin:0;padding:0;background:#f4f4f5;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5;">
        <tr><td align="center" style="padding:24px 12px;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;\
        border-radius:8px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
        color:#18181b;">
        <tr><td style="padding:20px 24px;border-bottom:1px solid #e4e4e7;">
        <div style="font-size:13px;color:#71717a;letter-spacing:.04em;text-transform:uppercase;">Paperboy</div>
        <h1 style="margin:4px 0 0;font-size:22px;line-height:1.3;">\(Self.escape(title))</h1></td></tr>
        <tr><td style="padding:8px 24px 16px;font-size:15px;line-height:1.5;">
        \(body)
        </td></tr>
        \(footer.isEmpty ? "" : "<tr><td style=\"padding:16px 24px;border-top:1px solid #e4e4e7;font-size:12px;color:#71717a;line-height:1.5;\">\(footer)</td></tr>")
        </table></td></tr></table></body></html>
        """
    }

    /// A link styled as a button.
    static func button(_ label: String, _ url: String) -> String {
        "<a href=\"\(Self.escape(url))\" style=\"display:inline-block;background:#2563eb;color:#ffffff;"
            + "padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600;\">\(Self.escape(label))</a>"
    }

    /// Text made safe for HTML text and attribute values.
    static func escape(_ text: String) -> String {
        let special: (UInt8) -> Bool = { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }
        guard text.utf8.contains(where: special) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 38: out += Array("&amp;".utf8)
            case 60: out += Array("&lt;".utf8)
            case 62: out += Array("&gt;".utf8)
            case 34: out += Array("&quot;".utf8)
            case 39: out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
