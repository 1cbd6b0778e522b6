"""Browser tests: the built course in a real headless Chromium, opened from disk and through `notes serve`.

Run by Tests/Browser/run.sh, which builds `notes` and the course and sets:
  NOTES_BIN          the notes executable
  NOTES_CONTENT      the course's Markdown folder (the tests read it to know what the site must show)
  NOTES_SITE         the site built from it
  NOTES_SCREENSHOTS  where screenshots go
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import unittest
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

ENV = os.environ
NOTES_BIN = ENV.get("NOTES_BIN", "notes")
CONTENT = Path(ENV.get("NOTES_CONTENT", "Content")).resolve()
SITE = Path(ENV.get("NOTES_SITE", "Site")).resolve()
SCREENSHOTS = Path(ENV.get("NOTES_SCREENSHOTS", ".browser-screenshots")).resolve()
WAIT = 10  # seconds for the page to react; generous for a loaded CI machine


# ---------------------------------------------------------------- the course, read from its Markdown

FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")


class Note:
    """What the tests need from one Markdown note: its page, title, prose and code blocks."""

    def __init__(self, path: Path):
        self.source = path.name
        self.page = path.stem + ".html"
        text = path.read_text(encoding="utf-8")
        front = {}
        if text.startswith("---\n"):
            head, _, text = text[4:].partition("\n---\n")
            for line in head.splitlines():
                key, _, value = line.partition(":")
                front[key.strip()] = value.strip()
        self.order = int(front["order"]) if front.get("order", "").lstrip("-").isdigit() else None
        self.prose = []   # lines outside code blocks
        self.blocks = []  # (info string, code, nearest heading above at level 1-3 or None)
        heading, fence, info, code = None, None, "", []
        for line in text.splitlines():
            match = FENCE.match(line)
            if fence is None and match:
                fence, info, code = match.group(1), match.group(2).strip(), []
            elif fence is not None and line.strip() == fence:
                self.blocks.append((info, "\n".join(code) + "\n", heading))
                fence = None
            elif fence is not None:
                code.append(line)
            else:
                self.prose.append(line)
                h = re.match(r"^(#{1,3})\s+(.*?)\s*#*$", line)
                if h:
                    heading = plain(h.group(2))
        first_h1 = next((plain(l[2:]) for l in self.prose if l.startswith("# ")), None)
        self.title = front.get("title") or first_h1 or path.stem

    def visible_code(self, info, code):
        """The code a reader sees: Swift's `// snippet.hide` … `// snippet.show` lines left out."""
        if info.split(" ")[0] != "swift":
            return code
        shown, hidden = [], False
        for line in code.split("\n"):
            if line.strip() == "// snippet.hide":
                hidden = True
            elif line.strip() == "// snippet.show":
                hidden = False
            elif not hidden:
                shown.append(line)
        return "\n".join(shown).rstrip("\n") + "\n"


def plain(markdown):
    """Heading Markdown as the page shows it (good enough for headings: code spans and emphasis)."""
    return re.sub(r"[`*_]", "", markdown).strip()


def course():
    """Home page (index.md) first, then lessons by `order`, then by file name, as `notes` orders them."""
    notes = [Note(p) for p in sorted(CONTENT.glob("*.md"))]
    home = [n for n in notes if n.source == "index.md"]
    lessons = sorted((n for n in notes if n.source != "index.md"),
                     key=lambda n: (n.order if n.order is not None else 1 << 62, n.source))
    return home, lessons


def word_only_in_one_lessons_code(lessons, home):
    """A word in exactly one code block of the course and nowhere else: not in prose, titles or output.
    Search matches substrings, so "nowhere else" is checked as a substring, ignoring case."""
    everything = {}
    for note in home + lessons:
        shown_code = [(note.visible_code(i, c), h) for i, c, h in note.blocks if i.split(" ")[:1] != ["output"]]
        outputs = [c for i, c, _ in note.blocks if i.split(" ")[:1] == ["output"]]
        everything[note] = shown_code, "\n".join(note.prose + outputs + [note.title]).lower()
    for note in lessons:
        blocks, _ = everything[note]
        for number, (code, heading) in enumerate(blocks):
            for word in sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]{7,}", code)), key=lambda w: (-len(w), w)):
                low = word.lower()
                elsewhere = any(low in text for _, text in everything.values())
                elsewhere |= any(low in other.lower() for n, (bs, _) in everything.items()
                                 for k, (other, _) in enumerate(bs) if (n, k) != (note, number))
                if not elsewhere:
                    return word, note, heading
    raise AssertionError("no word appears in only one code block of the course")


# ---------------------------------------------------------------- the browser

def chromium():
    options = webdriver.ChromeOptions()
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if os.path.exists(path):
            options.binary_location = path
            break
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")  # CI runs as root, where Chromium's sandbox cannot start
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=1280,900")
    options.add_argument("--force-color-profile=srgb")
    options.add_argument("--hide-scrollbars")
    # No Selenium Manager download: the driver comes from apt (chromium-driver).
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    return driver


class SiteChecks:
    """The checks, run once per way of opening the site. Subclasses set `base` (ends with /)."""

    base = ""

    @classmethod
    def setUpClass(cls):
        cls.home, cls.lessons = course()
        cls.pages = cls.home + cls.lessons
        cls.driver = chromium()
        cls.size(1280, 900)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    @classmethod
    def size(cls, width, height, mobile=False):
        cls.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    # helpers

    def open(self, page, fresh=True):
        self.driver.get(self.base + page)
        if fresh:  # every test starts in the default (light, system) theme
            self.driver.execute_script("localStorage.clear()")
            self.driver.get(self.base + page)
        self.wait_for_scripts()

    def wait_for_scripts(self):
        # notes.js unhides the search box when it has run.
        WebDriverWait(self.driver, WAIT).until(
            lambda d: d.execute_script("return document.readyState === 'complete' && "
                                       "!document.querySelector('.search').hidden"))

    def page(self):
        """The current page's file name, e.g. 03-locks.html."""
        return unquote(urlsplit(self.driver.current_url).path.rsplit("/", 1)[-1])

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def wait_for_page(self, name):
        WebDriverWait(self.driver, WAIT).until(lambda d: self.page() == name,
                                               f"expected {name}, still on {self.page()}")
        self.wait_for_scripts()

    def background(self):
        return self.driver.execute_script("return getComputedStyle(document.body).backgroundColor")

    def press(self, key):
        webdriver.ActionChains(self.driver).send_keys(key).perform()

    # navigation

    def test_sidebar_lists_every_lesson_in_order_and_marks_the_current_one(self):
        expected = [n.page for n in self.lessons]
        self.open("index.html")
        links = [(a.get_attribute("href"), a.text) for a in self.css(".sidebar .lessons a")]
        self.assertEqual([unquote(h.rsplit("/", 1)[-1]) for h, _ in links], expected)
        self.assertEqual([t for _, t in links], [n.title for n in self.lessons])
        for number, lesson in enumerate(self.lessons):
            self.css(".sidebar .lessons a")[number].click()
            self.wait_for_page(lesson.page)
            current = self.css(".sidebar .lessons a[aria-current='page']")
            self.assertEqual([a.text for a in current], [lesson.title], f"sidebar mark on {lesson.page}")
            self.assertTrue(self.driver.title.startswith(lesson.title), f"{lesson.page}: title {self.driver.title!r}")

    def test_next_links_walk_the_course_and_previous_links_walk_back(self):
        self.open(self.pages[0].page)
        seen = [self.page()]
        while self.css(".pager a.next"):
            self.css(".pager a.next")[0].click()
            WebDriverWait(self.driver, WAIT).until(lambda d: self.page() != seen[-1])
            self.wait_for_scripts()
            seen.append(self.page())
        self.assertEqual(seen, [n.page for n in self.pages])
        back = [self.page()]
        while self.css(".pager a.prev"):
            self.css(".pager a.prev")[0].click()
            WebDriverWait(self.driver, WAIT).until(lambda d: self.page() != back[-1])
            self.wait_for_scripts()
            back.append(self.page())
        self.assertEqual(back, [n.page for n in reversed(self.pages)])

    def test_arrow_keys_move_between_lessons(self):
        first, second, third = (n.page for n in self.lessons[:3])
        self.open(second)
        self.press(Keys.ARROW_RIGHT)
        self.wait_for_page(third)
        self.press(Keys.ARROW_LEFT)
        self.wait_for_page(second)
        self.press(Keys.ARROW_LEFT)
        self.wait_for_page(first)

    def test_phone_folds_the_lesson_list_behind_the_menu_button(self):
        try:
            self.size(390, 844, mobile=True)
            self.open(self.lessons[0].page)
            button, lessons = self.css(".menu-toggle")[0], self.css("#lesson-list")[0]
            self.assertTrue(button.is_displayed())
            self.assertFalse(lessons.is_displayed())
            # The lesson, not the list of lessons, fills the first screen.
            top = self.driver.execute_script("return document.querySelector('article h1').getBoundingClientRect().top")
            self.assertLess(top, 844 / 3)
            button.click()
            self.assertTrue(lessons.is_displayed())
            self.assertEqual(button.get_attribute("aria-expanded"), "true")
            self.css("#lesson-list a")[1].click()
            self.wait_for_page(self.lessons[1].page)
        finally:
            self.size(1280, 900)
        self.open(self.lessons[0].page)
        self.assertFalse(self.css(".menu-toggle")[0].is_displayed())
        self.assertTrue(self.css("#lesson-list")[0].is_displayed())

    def test_code_has_room_at_1280_px_and_the_contents_get_a_column_when_wider(self):
        lesson = next(n for n in self.lessons if n.blocks)
        self.open(lesson.page)
        columns = self.driver.execute_script("""
            var pre = document.querySelector('article pre'), probe = document.createElement('span');
            probe.textContent = 'x'.repeat(100);
            pre.querySelector('code').appendChild(probe);
            var width = probe.getBoundingClientRect().width / 100;
            probe.remove();
            var style = getComputedStyle(pre);
            return (pre.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)) / width;""")
        self.assertGreaterEqual(columns, 90, "characters of code a line shows at 1280 px")
        toc_beside = "return getComputedStyle(document.querySelector('main')).display === 'grid'"
        self.assertFalse(self.driver.execute_script(toc_beside))
        try:
            self.size(1600, 900)
            self.open(lesson.page, fresh=False)
            self.assertTrue(self.driver.execute_script(toc_beside), "table of contents in its own column at 1600 px")
            self.assertTrue(self.driver.execute_script("return document.querySelector('.toc details').open"))
        finally:
            self.size(1280, 900)

    # search

    def test_search_finds_a_word_from_one_lessons_code(self):
        word, lesson, heading = word_only_in_one_lessons_code(self.lessons, self.home)
        self.open("index.html")
        box = self.css("#search-input")[0]
        box.click()
        box.send_keys(word.lower())
        WebDriverWait(self.driver, WAIT).until(lambda d: self.css("#search-results a"))
        results = self.css("#search-results a")
        self.assertEqual(len(results), 1, f"searching {word!r}: {[r.text for r in results]}")
        link = results[0]
        where = link.find_element(By.CSS_SELECTOR, ".where").text
        expected_where = lesson.title if heading in (None, lesson.title) else f"{lesson.title} › {heading}"
        self.assertEqual(where, expected_where, f"searching {word!r}")
        excerpt = link.find_element(By.CSS_SELECTOR, ".excerpt")
        self.assertIn(word, excerpt.text)
        self.assertEqual([m.text.lower() for m in excerpt.find_elements(By.TAG_NAME, "mark")][:1], [word.lower()])
        self.assertEqual(self.css("#search-status")[0].text, "1 result.")
        link.click()
        self.wait_for_page(lesson.page)
        anchor = unquote(urlsplit(self.driver.current_url).fragment)
        if heading not in (None, lesson.title):
            target = self.driver.find_element(By.ID, anchor)
            self.assertIn(heading, target.text)
        # textContent: the word may be in a folded worked solution, which the page holds but does not show.
        self.assertIn(word, self.css("article")[0].get_attribute("textContent"))

    def test_slash_and_s_focus_the_search_box(self):
        self.open(self.lessons[0].page)
        for key in ("/", "s"):
            self.driver.execute_script("document.activeElement.blur()")
            self.press(key)
            self.assertEqual(self.driver.execute_script("return document.activeElement.id"), "search-input", key)
            self.assertEqual(self.css("#search-input")[0].get_attribute("value"), "", f"{key} was typed into the box")

    # theme

    def test_theme_toggle_changes_the_background_and_is_remembered(self):
        first, second = self.lessons[0].page, self.lessons[1].page
        self.open(first)
        light = self.background()
        self.css(".theme-toggle")[0].click()
        dark = self.background()
        self.assertNotEqual(dark, light)
        self.assertEqual(self.css(".theme-toggle")[0].get_attribute("aria-pressed"), "true")
        self.driver.refresh()
        self.wait_for_scripts()
        self.assertEqual(self.background(), dark, "after reload")
        # Another page of the course: from disk Chromium gives file:// one storage origin, so this holds there too.
        self.open(second, fresh=False)
        self.assertEqual(self.background(), dark, "on another page")
        self.css(".theme-toggle")[0].click()
        self.assertEqual(self.background(), light)
        self.driver.refresh()
        self.wait_for_scripts()
        self.assertEqual(self.background(), light, "back to light after reload")

    # copy

    def copied_text(self, button):
        """Clicks a copy button and returns what reached the system clipboard (read back through it)."""
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        WebDriverWait(self.driver, WAIT).until(lambda d: button.text != "Copy")
        self.assertEqual(button.text, "Copied")
        return self.driver.execute_async_script(
            "var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });")

    def test_copy_button_puts_the_code_on_the_clipboard(self):
        lesson = next(n for n in self.lessons if any(i.startswith("swift run") for i, _, _ in n.blocks))
        info, code, _ = next(b for b in lesson.blocks if b[0].startswith("swift run"))
        self.open(lesson.page)
        # Put something else there first, so a copy that does nothing cannot pass.
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        self.driver.execute_async_script("navigator.clipboard.writeText('before').then(arguments[0], arguments[0])")
        button = self.css(".snippet .copy")[0]
        self.assertEqual(self.copied_text(button), lesson.visible_code(info, code))

    # headings and images

    def test_headings_have_unique_anchors_and_images_have_alt_text(self):
        for note in self.pages:
            self.open(note.page, fresh=False)
            ids = self.driver.execute_script("return Array.from(document.querySelectorAll('[id]'), e => e.id)")
            self.assertEqual(len(ids), len(set(ids)), f"{note.page}: duplicate ids {sorted(ids)}")
            headings = self.driver.execute_script("""
                return Array.from(document.querySelectorAll('article h2, article h3, article h4, article h5, article h6'),
                  h => [h.id, (h.querySelector('a.anchor') || {}).getAttribute ? h.querySelector('a.anchor').getAttribute('href') : null])""")
            for hid, href in headings:
                self.assertTrue(hid, f"{note.page}: a heading without an id")
                self.assertEqual(href, "#" + hid, f"{note.page}: heading {hid} has no anchor link to itself")
            # Every in-page link (anchors, table of contents) lands on an element of this page.
            targets = self.driver.execute_script(
                "return Array.from(document.querySelectorAll('a[href^=\"#\"]'), a => decodeURIComponent(a.hash.slice(1)))")
            for target in targets:
                self.assertIn(target, ids, f"{note.page}: link to #{target} goes nowhere")
            missing_alt = self.driver.execute_script(
                "return Array.from(document.querySelectorAll('img'), i => i.getAttribute('src'))"
                ".filter((s, n) => !(document.querySelectorAll('img')[n].getAttribute('alt') || '').trim())")
            self.assertEqual(missing_alt, [], f"{note.page}: images without alt text")


class FromDisk(SiteChecks, unittest.TestCase):
    """The site as a student opens it from a folder: file:// URLs."""

    @classmethod
    def setUpClass(cls):
        cls.base = SITE.as_uri() + "/"
        super().setUpClass()

    def test_copy_leaves_out_hidden_lines_and_prompts_and_ids_stay_unique(self):
        """A small course of its own: the main one may have no hidden lines or shell prompts."""
        with tempfile.TemporaryDirectory() as folder:
            content, site = Path(folder, "Content"), Path(folder, "Site")
            content.mkdir()
            (content / "notes.yaml").write_text("title: Copy fixture\n")
            (content / "01-copy.md").write_text(
                "---\ntitle: Copy\n---\n\n# Content\n\n## Search input\n\n"
                "```swift\n// snippet.hide\nimport Foundation\n// snippet.show\nlet greeting = \"hello\"\nprint(greeting)\n```\n\n"
                "```console\n$ swift build\nBuilding for debugging...\n$ swift run notes build\nwrote Site/\n```\n")
            subprocess.run([NOTES_BIN, "build", "--content", str(content), "--output", str(site),
                            "--cache-dir", str(Path(folder, "cache"))], check=True, capture_output=True)
            self.driver.get(site.as_uri() + "/01-copy.html")
            self.wait_for_scripts()
            # Headings named like the page's own elements get ids of their own.
            ids = self.driver.execute_script("return Array.from(document.querySelectorAll('[id]'), e => e.id)")
            self.assertEqual(len(ids), len(set(ids)), f"duplicate ids: {sorted(ids)}")
            swift, console = self.css(".code-block .copy")
            self.assertEqual(self.copied_text(swift), 'let greeting = "hello"\nprint(greeting)\n')
            self.assertEqual(self.copied_text(console), "swift build\nswift run notes build\n")

    def test_screenshots(self):
        """One lesson in light and dark at desktop and phone width, for people to look at."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lesson = self.lessons[min(2, len(self.lessons) - 1)]
        try:
            for device, (width, height, mobile) in {"desktop": (1280, 900, False), "phone": (390, 844, True)}.items():
                self.size(width, height, mobile)
                for theme in ("light", "dark"):
                    self.open(lesson.page)
                    self.driver.execute_script("localStorage.setItem('notes-theme', arguments[0])", theme)
                    self.driver.refresh()
                    self.wait_for_scripts()
                    self.assertEqual(self.driver.execute_script("return document.documentElement.dataset.theme"), theme)
                    # Nothing may stick out sideways: a phone would scroll the whole page left and right.
                    overflow = self.driver.execute_script(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                    self.assertLessEqual(overflow, 0, f"{device}: page is {overflow}px wider than the screen")
                    path = SCREENSHOTS / f"{lesson.page[:-5]}-{device}-{theme}.png"
                    self.assertTrue(self.driver.save_screenshot(str(path)))
                    # And where the first snippet shows its badge and real output (docs/lesson.png).
                    self.driver.execute_script(
                        "var s = document.querySelector('.snippet'); if (s) window.scrollTo(0, s.offsetTop - 120)")
                    self.assertTrue(self.driver.save_screenshot(str(path).replace(".png", "-snippet.png")))
        finally:
            self.driver.execute_script("localStorage.clear()")
            self.size(1280, 900)


class ServeProcess:
    """A `notes serve` child process on a free port, and the URL it printed."""

    def __init__(self, content, output, *extra):
        command = [NOTES_BIN, "serve", "--content", str(content), "--output", str(output), "--port", "0", *extra]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
        line = self.url_line(timeout=float(ENV.get("NOTES_SERVE_TIMEOUT", "900")))
        match = re.fullmatch(r"serving (http://127\.0\.0\.1:\d+/)\n", line or "")
        if not match:
            self.stop()
            raise AssertionError(f"`notes serve` printed {line!r}, not 'serving http://127.0.0.1:PORT/'")
        self.base = match.group(1)

    def url_line(self, timeout):
        """The line `serving http://…` that follows the first build's summary; every line is read,
        so a full pipe never blocks the server."""
        first, ready = [], threading.Event()

        def read():
            for line in self.process.stdout:
                if not first and line.startswith("serving "):
                    first.append(line)
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        ready.wait(timeout)
        return first[0] if first else None

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


class Served(SiteChecks, unittest.TestCase):
    """The same checks over http from `notes serve`, which builds the course into a folder of its own
    (run from the repository, it shares the build's snippet cache, .notes-cache)."""

    @classmethod
    def setUpClass(cls):
        try:
            probe = subprocess.run([NOTES_BIN, "serve", "--help"], capture_output=True, timeout=60)
        except OSError as error:
            raise unittest.SkipTest(f"cannot run {NOTES_BIN}: {error}")
        # An unknown subcommand's --help prints the root help and succeeds, so look for serve's own usage.
        if probe.returncode != 0 or b"notes serve" not in probe.stdout:
            raise unittest.SkipTest("`notes serve` is not available in this build (`notes serve --help` "
                                    "does not describe it)")
        cls.output = tempfile.mkdtemp(prefix="notes-served-")
        try:
            cls.server = ServeProcess(CONTENT, cls.output)
        except AssertionError:
            shutil.rmtree(cls.output, ignore_errors=True)
            raise
        cls.base = cls.server.base
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.server.stop()
        shutil.rmtree(cls.output, ignore_errors=True)

    def test_pages_open_in_many_tabs_load_without_waiting(self):
        """Chrome opens at most six HTTP connections to a host. Every served page keeps a live-reload
        connection open (a WebSocket, which does not count against the six); a long poll did count, and
        the seventh page waited for a poll to run out."""
        first = self.driver.current_window_handle
        try:
            for note in self.pages[:9]:
                self.driver.switch_to.new_window("tab")
                self.open(note.page, fresh=False)
                queued = self.driver.execute_script(
                    "const n = performance.getEntriesByType('navigation')[0]; return n.requestStart - n.fetchStart")
                self.assertLess(queued, WAIT * 1000 / 2, f"{note.page} waited {queued:.0f} ms for a connection")
        finally:
            for handle in self.driver.window_handles:
                if handle != first:
                    self.driver.switch_to.window(handle)
                    self.driver.close()
            self.driver.switch_to.window(first)

    def test_an_edit_reloads_the_open_page_where_it_was_scrolled_and_a_broken_one_says_why(self):
        """A course and a `notes serve` of its own: the main course is never edited."""
        with tempfile.TemporaryDirectory() as folder:
            content = Path(folder, "Content")
            content.mkdir()
            (content / "notes.yaml").write_text("title: Reload fixture\n")
            lesson = content / "01-reload.md"
            filler = "".join(f"Paragraph {n} pushes the end of the page down.\n\n" for n in range(200))
            lesson.write_text(f"---\ntitle: Reload\n---\n\n# Reload\n\n{filler}The first version.\n")
            server = ServeProcess(content, Path(folder, "Site"), "--cache-dir", str(Path(folder, "cache")))
            try:
                self.driver.get(server.base + "01-reload.html")
                self.wait_for_scripts()
                self.driver.execute_script("window.scrollTo(0, 1500)")
                self.assertEqual(self.driver.execute_script("return window.scrollY"), 1500)
                # Saved as editors save: a new file renamed over the old one.
                edited = Path(folder, "edited.md")
                edited.write_text(lesson.read_text().replace("The first version.", "The second version."))
                os.replace(edited, lesson)
                WebDriverWait(self.driver, 60).until(
                    lambda d: "The second version." in d.find_element(By.TAG_NAME, "article").text,
                    "the open page did not reload with the edit")
                self.wait_for_scripts()
                WebDriverWait(self.driver, WAIT).until(lambda d: d.execute_script("return window.scrollY") == 1500,
                                                       "the reloaded page is not where it was scrolled")
                # A note notes cannot read: no site is written, and the open page says why.
                edited.write_text(lesson.read_text() + "\n```swift run expect=nonsense\nprint(1)\n```\n")
                os.replace(edited, lesson)
                WebDriverWait(self.driver, 60).until(
                    lambda d: "expect 'nonsense'" in "".join(e.text for e in self.css(".notes-build-problems")),
                    "the page does not show why the rebuild wrote no site")
                self.assertIn("The second version.", self.driver.find_element(By.TAG_NAME, "article").text)
                edited.write_text(lesson.read_text().replace("The second version.", "The third version.")
                                  .replace("expect=nonsense", "expect=success"))
                os.replace(edited, lesson)
                WebDriverWait(self.driver, 60).until(
                    lambda d: "The third version." in d.find_element(By.TAG_NAME, "article").text,
                    "the fixed note did not reload the page")
                self.assertEqual(self.css(".notes-build-problems"), [])
            finally:
                server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
