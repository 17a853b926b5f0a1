/// A view model of a page with forms: ``Site/page(_:_:request:status:)`` puts the visitor's CSRF
/// token into it.
protocol PageWithForms {
    /// The token every form of the page carries.
    var csrf: String { get set }
}
