/// The ids a page's frame gives its own elements (PageLayout). The parser names headings around them,
/// so a heading "Content" gets `content-1` and a link to `#content` still lands in the frame.
enum PageIDs {
    static let reserved = ["content", "lesson-list", "search-input", "search-status", "search-results"]
}
