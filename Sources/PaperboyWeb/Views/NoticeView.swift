/// A page that says one thing (`notice.mustache`): "Check your inbox", an expired link.
struct NoticeView {
    var heading: String
    var message: String?
    var error: String?
    var linkURL: String?
    var linkLabel: String?
}
