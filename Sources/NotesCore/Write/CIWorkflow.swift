import Foundation

/// The GitHub Actions workflow `notes init --github-workflow` writes into a course repository: notes
/// is built once per version and cached; the snippets are verified in parallel shards, each restoring its
/// own `.notes-cache`; the shards' JUnit reports are merged into one, which fails if any shard failed; and
/// the site is published to GitHub Pages from the main branch.
public enum CIWorkflow {
    public static let path = ".github/workflows/notes.yml"

    /// `content` is the course folder as the repository names it; `shards` how many runners verify it.
    public static func yaml(content: String, shards: Int = 4) -> String {
        let shardList = (1...shards).map(String.init).joined(separator: ", ")
        return """
        # Written by `notes init --github-workflow` (notes \(NotesVersion.current)).
        # Set the repository variable NOTES_GIT_URL to a clone URL of the notes repository; NOTES_VERSION
        # is the tag (v…) that is built. Pages: Settings → Pages → Source: GitHub Actions.
        name: notes

        on:
          push:
          pull_request:
          workflow_dispatch:

        env:
          NOTES_VERSION: "\(NotesVersion.current)"
          NOTES_CONTENT: "\(content)"
          NOTES_SHARDS: "\(shards)"

        jobs:
          install:
            runs-on: ubuntu-24.04
            container: swift:6.3
            steps:
              - name: Cached build of notes
                id: cache
                uses: actions/cache@v4
                with:
                  path: notes-install
                  key: notes-${{ env.NOTES_VERSION }}
              - name: Build notes
                if: steps.cache.outputs.cache-hit != 'true'
                env:
                  NOTES_GIT_URL: ${{ vars.NOTES_GIT_URL }}
                run: |
                  git clone --depth 1 --branch "v$NOTES_VERSION" "$NOTES_GIT_URL" /tmp/notes-source
                  /tmp/notes-source/install.sh "$PWD/notes-install"
              - uses: actions/upload-artifact@v4
                with:
                  name: notes
                  path: notes-install

          verify:
            needs: install
            runs-on: ubuntu-24.04
            container: swift:6.3
            strategy:
              fail-fast: false
              matrix:
                shard: [\(shardList)]
            steps:
              - uses: actions/checkout@v4
              - uses: actions/download-artifact@v4
                with:
                  name: notes
                  path: notes-install
              - name: Install notes
                run: |
                  chmod +x notes-install/lib/notes/notes
                  echo "$PWD/notes-install/bin" >> "$GITHUB_PATH"
                  apt-get update -qq && apt-get install -y -qq libcmark-gfm-dev libcmark-gfm-extensions-dev gdb
              - name: Results of earlier runs
                uses: actions/cache@v4
                with:
                  path: .notes-cache
                  key: notes-${{ env.NOTES_VERSION }}-shard-${{ matrix.shard }}-${{ hashFiles(format('{0}/**', env.NOTES_CONTENT)) }}
                  restore-keys: notes-${{ env.NOTES_VERSION }}-shard-${{ matrix.shard }}-
              - name: Verify shard ${{ matrix.shard }}
                run: notes verify --content "$NOTES_CONTENT" --shard "${{ matrix.shard }}/$NOTES_SHARDS" --junit "junit-${{ matrix.shard }}.xml"
              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: junit-${{ matrix.shard }}
                  path: junit-${{ matrix.shard }}.xml

          report:
            needs: [install, verify]
            if: always()
            runs-on: ubuntu-24.04
            container: swift:6.3
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: notes
                  path: notes-install
              - uses: actions/download-artifact@v4
                with:
                  pattern: junit-*
                  merge-multiple: true
              - name: One report for the course
                run: |
                  chmod +x notes-install/lib/notes/notes
                  notes-install/bin/notes report merge junit-*.xml -o junit.xml
              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: junit
                  path: junit.xml
              - name: Every shard finished
                if: needs.verify.result != 'success'
                run: exit 1

          pages:
            needs: report
            if: github.ref == 'refs/heads/main' && github.event_name == 'push'
            runs-on: ubuntu-24.04
            container: swift:6.3
            permissions:
              pages: write
              id-token: write
            environment:
              name: github-pages
              url: ${{ steps.deploy.outputs.page_url }}
            steps:
              - uses: actions/checkout@v4
              - uses: actions/download-artifact@v4
                with:
                  name: notes
                  path: notes-install
              - name: Build the site
                run: |
                  chmod +x notes-install/lib/notes/notes
                  apt-get update -qq && apt-get install -y -qq libcmark-gfm-dev libcmark-gfm-extensions-dev gdb
                  notes-install/bin/notes build --content "$NOTES_CONTENT" --output Site
              - uses: actions/upload-pages-artifact@v3
                with:
                  path: Site
              - id: deploy
                uses: actions/deploy-pages@v4

        """
    }

    /// Writes the workflow under `repository`; an existing one is left alone (that is an error).
    public static func write(content: String, in repository: URL) throws {
        let file = repository.appendingPathComponent(path)
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw Diagnostic(file: path, "already exists; not overwritten")
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(yaml(content: content).utf8), to: file)
    }
}
