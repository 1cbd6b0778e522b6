/// The version `notes --version` prints, and that the CI workflow `notes init` writes keys its cache by.
/// Raise it with every release; results and pages are keyed by the build of notes itself, not by this.
public enum NotesVersion {
    public static let current = "0.19.0"
}
