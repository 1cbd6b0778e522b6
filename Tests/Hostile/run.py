#!/usr/bin/env python3
"""The hostile corpus (Tests/Hostile/Corpus) against a notes binary, and the machine checked afterwards.

    python3 Tests/Hostile/run.py --notes .build/debug/notes [--user NAME] [--keep] [--timeout SECONDS]

Copies the corpus into a fresh temporary folder as `course/Content`, fills in its `@@…@@` words, plants
canaries (files in the course, its `.git` and `.notes-cache`, the real home, /tmp and /var/tmp, an
inherited descriptor, an environment variable, a terminal, and TCP, UDP and UNIX listeners), runs
`notes verify --no-cache --junit REPORT --content Content` in the course folder (as NAME with --user,
which needs root), and then checks, printing one line per problem:

- notes ended with status 1 (snippets failed), not by a signal, and printed no crash of its own;
- the JUnit report is well-formed and lists every snippet of the corpus exactly once, and nothing else;
- every attack (an id not starting with `pass-` or `control-`) failed, with notes' one-line message
  `Content/PAGE.md:LINE: error: snippet 'ID': …` at its fence's line (or its output block's, for a diff);
  every `pass-` and `control-` snippet passed;
- every `file:line: error:` line notes printed lies inside a snippet that failed (none forged or
  moved to another page), none carries a raw terminal escape or a GitHub workflow command, and all of
  its output is UTF-8;
- the canaries are unchanged and no `notes-hostile-escape*` file appeared anywhere the attacks aim;
- the listeners, the terminal and the inherited descriptor received nothing;
- no process carrying this run's marker is left, nor any System V or POSIX IPC object of the corpus;
- no `notes-run-*`, `notes-logs-*` or `notes-build-*` folder is left in the TMPDIR notes used;
- notes' own peak memory stayed under --max-rss-mib.

It ends with `N passed, N failed` (checks) and the list of attacks that got through, each with the
output it printed (a second run of just those snippets, with their recorded output blanked, so that
notes shows the real output in a diff). Exit status 1 when any check failed.

Only the standard library; Linux only.
"""

import argparse
import ctypes
import grp
import hashlib
import os
import pwd
import re
import resource
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import termios
import threading
import time
import fcntl
import xml.etree.ElementTree as ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "Corpus")
ESCAPE_NAME = "notes-hostile-escape"
IPC_KEY = 0x4E4F5445  # "NOTE", the key of the ipc-persist snippet
POSIX_MQ = b"/notes-hostile-mq"
# Attacks whose contained outcome is a compile failure: what they attack is where notes puts the
# compiler's messages, which the diagnostics check looks at.
# What the README's threat model names as not protected, with why. Such an attack is reported as a
# known limit, not a problem; `root_only` ones are limits only without root (the harness's --user run).
# Anything not listed here that gets through fails the run.
KNOWN_LIMITS = {
    "stat-outside": ("Landlock governs opening files, not stat: a snippet can learn that a path exists, "
                     "and its size, times and owner, but not its contents", False),
    "session-secret-first": ("a session's boundaries are printed by the program itself; one that finds the "
                             "secret in its own binary or memory can move its own crash to its own next snippet", False),
    "session-secret-second": ("the other half of session-secret-first", False),
    "tsan-forged-race": ("ThreadSanitizer writes its report from inside the program, which can write one "
                         "itself, in its format, so a race-free expect=race snippet passes", False),
    "pass-tsan-overwrite": ("ThreadSanitizer writes its report from inside the program, which may write over it "
                            "in place; Landlock keeps it from removing, renaming or truncating it", False),
    "memory-bomb": ("without root there is no cgroup: memory is bounded per process (RLIMIT_AS), not per run", True),
    "udp-echo": ("without root a run shares the machine's network, and Landlock governs TCP, not UDP "
                 "(Foundation's run loop needs UDP sockets on 127.0.0.1)", True),
}

COMPILE_FAILURE_IS_CONTAINMENT = {"sourcelocation-other-page", "sourcelocation-forged-prefix", "error-directive-injection"}
# Folders the attacks try to write in (besides the course and the real home).
SHARED_FOLDERS = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock", "/"]


# --- The corpus --------------------------------------------------------------------------------------

class Snippet:
    def __init__(self, page, ident, fence, end, words, session):
        self.page = page          # "02-files.md"
        self.id = ident
        self.fence = fence        # 1-based line of the opening fence
        self.output_fence = None  # 1-based line of its ```output fence, if any
        self.end = end            # last line of the snippet, or of its output block
        self.words = words
        self.session = session

    @property
    def kind(self):
        if self.id.startswith("control-"):
            return "control"
        if self.id.startswith("pass-"):
            return "pass"
        return "attack"

    @property
    def path(self):
        return "Content/" + self.page


def known_limit(ident, as_root):
    """Whether a case that got through is one the README's threat model names as not protected."""
    limit = KNOWN_LIMITS.get(ident)
    return limit is not None and not (limit[1] and as_root)


def parse_corpus(folder):
    """Every `swift run` snippet of the notes in `folder`, with its fence line and the line range of its
    code and output block (what a diagnostic of it may point at)."""
    snippets = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md"):
            continue
        lines = open(os.path.join(folder, name), encoding="utf-8").read().split("\n")
        index, count, last = 0, 0, None
        while index < len(lines):
            match = re.match(r"^```(\S*)(.*)$", lines[index])
            if not match or not match.group(1):
                index += 1
                continue
            info, words = match.group(1), match.group(2).split()
            close = index + 1
            while close < len(lines) and not lines[close].startswith("```"):
                close += 1
            if info == "swift" and "run" in words:
                count += 1
                ident = next((w[3:] for w in words if w.startswith("id=")), "%s-%d" % (name[:-3], count))
                session = next((w[8:] for w in words if w.startswith("session=")), None)
                last = Snippet(name, ident, index + 1, close + 1, words, session)
                snippets.append(last)
            elif info == "output" and last is not None and all(not l.strip() for l in lines[last.end:index]):
                last.output_fence = index + 1
                last.end = close + 1
                last = None
            else:
                last = None
            index = close + 1
    return snippets


def fill_in(folder, words):
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.endswith(".md") or name.endswith(".yaml"):
            text = open(path, encoding="utf-8").read()
            for key, value in words.items():
                text = text.replace("@@%s@@" % key, value)
            open(path, "w", encoding="utf-8").write(text)


# --- Canaries and listeners -------------------------------------------------------------------------

def fingerprint(path, times=True):
    """What an attack could change about a file or folder: content, mode, owner, times, xattrs. A home
    folder's times are left out (the toolchain may add its caches there); new files in it are looked for
    by name."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    parts = [stat.filemode(info.st_mode), str(info.st_uid), str(info.st_gid)]
    if times:
        parts += [str(info.st_mtime_ns), str(info.st_size)]
    if stat.S_ISREG(info.st_mode):
        with open(path, "rb") as handle:
            parts.append(hashlib.sha256(handle.read()).hexdigest())
    elif stat.S_ISLNK(info.st_mode):
        parts.append(os.readlink(path))
    try:
        parts += sorted("%s=%r" % (name, os.getxattr(path, name, follow_symlinks=False)) for name in os.listxattr(path, follow_symlinks=False))
    except OSError:
        pass
    return " ".join(parts)


def tree_fingerprints(root):
    result = {root: fingerprint(root)}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(folder, name)
            result[path] = fingerprint(path)
    return result


class Listeners:
    """TCP, UDP, abstract and path UNIX sockets that echo, and remember who reached them."""

    def __init__(self, marker):
        self.heard = []
        self.lock = threading.Lock()
        self.stop = False
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.abstract_name = "notes-hostile-" + marker
        self.abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.abstract.bind("\0" + self.abstract_name)
        self.abstract.listen(16)
        self.path = "/tmp/notes-hostile-%s.sock" % marker
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(self.path)
        os.chmod(self.path, 0o777)
        self.unix.listen(16)
        for listener, what in [(self.tcp, "TCP 127.0.0.1:%d" % self.tcp_port), (self.abstract, "abstract UNIX socket " + self.abstract_name),
                               (self.unix, "UNIX socket " + self.path)]:
            threading.Thread(target=self._accept, args=(listener, what), daemon=True).start()
        threading.Thread(target=self._datagrams, daemon=True).start()

    @property
    def tcp_port(self):
        return self.tcp.getsockname()[1]

    @property
    def udp_port(self):
        return self.udp.getsockname()[1]

    def _record(self, text):
        with self.lock:
            self.heard.append(text)

    def _accept(self, listener, what):
        listener.settimeout(0.5)
        while not self.stop:
            try:
                connection, peer = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                connection.settimeout(1)
                data = connection.recv(256)
                connection.sendall(b"echo: " + data)
            except OSError:
                data = b""
            finally:
                connection.close()
            self._record("%s accepted a connection%s and read %r" % (what, " from %s" % (peer,) if peer else "", data[:64]))

    def _datagrams(self):
        self.udp.settimeout(0.5)
        while not self.stop:
            try:
                data, peer = self.udp.recvfrom(512)
            except socket.timeout:
                continue
            except OSError:
                return
            self.udp.sendto(b"echo: " + data, peer)
            self._record("UDP 127.0.0.1:%d received %r from %s" % (self.udp_port, data[:64], peer))

    def close(self):
        self.stop = True
        for sock in [self.tcp, self.udp, self.abstract, self.unix]:
            sock.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass


class Terminal:
    """A pseudo-terminal for notes' stdin and controlling terminal; whatever reaches it is kept."""

    def __init__(self, owner):
        self.master, self.slave = os.openpty()
        self.name = os.ttyname(self.slave)
        if owner is not None:
            os.chown(self.name, owner[0], owner[1])
        self.received = b""
        self.stop = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while not self.stop:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.received += data

    def close(self):
        self.stop = True
        for fd in [self.slave, self.master]:
            try:
                os.close(fd)
            except OSError:
                pass


# --- Running notes ----------------------------------------------------------------------------------

class Run:
    def __init__(self, returncode, stdout, stderr, seconds, peak_kib, timed_out):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr
        self.seconds, self.peak_kib, self.timed_out = seconds, peak_kib, timed_out


def vm_hwm_kib(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_notes(command, cwd, env, user, timeout, out_folder, name, stdin_fd=None, pass_fds=()):
    """Runs notes (through setpriv as `user`), polling its own peak memory; returns a Run."""
    if user is not None:
        command = ["setpriv", "--reuid=%d" % user[0], "--regid=%d" % user[1], "--clear-groups", "--"] + command
    stdout_path, stderr_path = os.path.join(out_folder, name + ".stdout"), os.path.join(out_folder, name + ".stderr")

    def session_with_terminal():
        os.setsid()
        if stdin_fd is not None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    start = time.monotonic()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=stdin_fd if stdin_fd is not None else subprocess.DEVNULL,
                                   stdout=out, stderr=err, preexec_fn=session_with_terminal, pass_fds=pass_fds)
        peak, timed_out = 0, False
        while process.poll() is None:
            peak = max(peak, vm_hwm_kib(process.pid))
            if time.monotonic() - start > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                break
            time.sleep(0.1)
    seconds = time.monotonic() - start
    return Run(process.returncode, open(stdout_path, "rb").read(), open(stderr_path, "rb").read(), seconds, peak, timed_out)


def read_junit(path):
    """{name: [(file, line, outcome, message, details)]} and an error text (None when well-formed)."""
    cases = {}
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as error:
        return cases, str(error)
    for case in root.iter("testcase"):
        failure, skipped = case.find("failure"), case.find("skipped")
        outcome = "failed" if failure is not None else "skipped" if skipped is not None else "passed"
        cases.setdefault(case.get("name"), []).append(
            (case.get("file"), case.get("line"), outcome, failure.get("message") if failure is not None else "",
             (failure.text or "") if failure is not None else ""))
    return cases, None


# --- Checks -----------------------------------------------------------------------------------------

class Checks:
    def __init__(self):
        self.passed = 0
        self.problems = []

    def check(self, ok, problem):
        if ok:
            self.passed += 1
        else:
            self.problems.append(problem)
            print("PROBLEM: " + problem, flush=True)
        return ok


DIFF_LINE = re.compile(r"^(  |- |\+ |--- |\+\+\+ )")
DIAGNOSTIC = re.compile(r"^(\S[^\n]*?\.md):(\d+):(?:\d+:)? (error|warning|note): ")


def notes_crash_lines(stderr_text):
    """Lines of notes' own that say it crashed; a snippet's output appears only in diff lines."""
    found = []
    for line in stderr_text.split("\n"):
        if DIFF_LINE.match(line):
            continue
        if "Fatal error" in line or "Stack dump" in line or "Current stack trace" in line or "Segmentation fault" in line:
            found.append(line)
    return found


def misplaced_diagnostics(stderr_text, snippets, failed_ids):
    """`file:line: error:` lines of notes that do not lie inside a snippet that failed."""
    ranges = {}
    for snippet in snippets:
        if snippet.id in failed_ids:
            ranges.setdefault(snippet.path, []).append((snippet.fence, snippet.end))
    wrong = []
    for line in stderr_text.split("\n"):
        if DIFF_LINE.match(line):
            continue
        match = DIAGNOSTIC.match(line)
        if not match:
            if re.search(r"\.md:\d+.*(error|warning):", line) and not line.startswith("notes:"):
                wrong.append(line)  # a diagnostic-looking line with something before it
            continue
        file, number = match.group(1), int(match.group(2))
        if not any(first <= number <= last for first, last in ranges.get(file, [])):
            wrong.append(line)
    return wrong


def workflow_commands(text):
    """Lines GitHub's runner would take as commands: `::name…` after spaces, outside a
    `::stop-commands::TOKEN` … `::TOKEN::` region, and not one of notes' own annotations
    (`::error file=…`), which it prints for each diagnostic with newlines escaped."""
    found, stop = [], None
    for line in text.split("\n"):
        command = line.lstrip()
        if stop is not None:
            if command == "::%s::" % stop:
                stop = None
            continue
        if command.startswith("::stop-commands::"):
            stop = command[len("::stop-commands::"):]
        elif command.startswith("::") and not line.startswith(("::error file=", "::warning file=", "::notice file=")):
            found.append(line)
    return found


def processes_with(marker):
    found = []
    own = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == own:
            continue
        try:
            command = open("/proc/%s/cmdline" % entry, "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in command:
            found.append((int(entry), command.strip()))
    return found


def sysv_ipc_objects():
    found = []
    for kind in ["shm", "sem", "msg"]:
        try:
            lines = open("/proc/sysvipc/" + kind).read().split("\n")[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 1 and int(fields[0]) == IPC_KEY:
                found.append((kind, int(fields[1])))
    return found


def remove_sysv(kind, ident):
    flag = {"shm": "-m", "sem": "-s", "msg": "-q"}[kind]
    subprocess.run(["ipcrm", flag, str(ident)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def posix_mq_exists_and_remove():
    """True when the corpus's POSIX message queue exists (it is removed)."""
    try:
        librt = ctypes.CDLL("librt.so.1", use_errno=True)
    except OSError:
        return False
    return librt.mq_unlink(POSIX_MQ) == 0


def force_remove(path):
    """Removes a tree whatever its modes (a snippet may have locked parts of it)."""
    if not os.path.lexists(path):
        return
    for folder, folders, _ in os.walk(path):
        for name in folders:
            try:
                os.chmod(os.path.join(folder, name), 0o700, follow_symlinks=False)
            except OSError:
                pass
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    # Deep trees are past PATH_MAX for rmtree's paths: rm -rf walks them with descriptors.
    subprocess.run(["rm", "-rf", "--one-file-system", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.path.lexists(path):
        shutil.rmtree(path, ignore_errors=True)


def escape_files(folders):
    found = []
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found += [os.path.join(folder, name) for name in names if ESCAPE_NAME in name]
    return found


def stray_folders(tmpdir):
    try:
        names = os.listdir(tmpdir)
    except OSError:
        return []
    return sorted(os.path.join(tmpdir, name) for name in names if re.match(r"notes-(run|logs|build|swiftc)-", name))


# --- Main -------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", required=True, help="the notes binary (notes-launch must be beside it)")
    parser.add_argument("--user", help="run notes as this user (created with useradd --system if missing; needs root)")
    parser.add_argument("--timeout", type=float, default=3600, help="bound on the whole notes run, in seconds")
    parser.add_argument("--max-rss-mib", type=int, default=1024, help="bound on notes' own peak memory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-evidence", action="store_true", help="do not run the attacks that got through again for their output")
    options = parser.parse_args()
    started = time.monotonic()

    notes = os.path.abspath(options.notes)
    if not os.access(notes, os.X_OK):
        sys.exit("run.py: %s is not an executable" % notes)
    if not os.access(os.path.join(os.path.dirname(notes), "notes-launch"), os.X_OK):
        sys.exit("run.py: notes-launch is missing beside %s" % notes)
    swiftc = shutil.which("swiftc") or ("/opt/swift/usr/bin/swiftc" if os.path.exists("/opt/swift/usr/bin/swiftc") else None)
    if swiftc is None:
        sys.exit("run.py: swiftc is not on PATH")
    root = os.geteuid() == 0
    as_root = root and not options.user  # notes itself runs as root, and so gives each run a user and cgroup

    user = None  # (uid, gid, name, home)
    if options.user:
        if not root:
            sys.exit("run.py: --user needs root")
        try:
            entry = pwd.getpwnam(options.user)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", options.user], check=True)
            entry = pwd.getpwnam(options.user)
        user = (entry.pw_uid, entry.pw_gid, entry.pw_name, entry.pw_dir)
    runner = pwd.getpwuid(user[0] if user else os.geteuid())
    owner = (user[0], user[1]) if user else None

    def give(path):
        if owner is not None:
            os.chown(path, *owner, follow_symlinks=False)

    marker = "hostile" + secrets.token_hex(4)
    print("run.py: marker %s, notes %s, as %s" % (marker, notes, runner.pw_name), flush=True)

    work = tempfile.mkdtemp(prefix="notes-hostile-")
    os.chmod(work, 0o755)
    course = os.path.join(work, "course")
    content = os.path.join(course, "Content")
    tmpdir = os.path.join(work, "tmp")
    out = os.path.join(work, "out")
    shutil.copytree(CORPUS, content)
    for folder in [tmpdir, out]:
        os.mkdir(folder, 0o755)
    listeners = Listeners(marker)
    fill_in(content, {"COURSE": course, "MARKER": marker, "TCP_PORT": str(listeners.tcp_port),
                      "UDP_PORT": str(listeners.udp_port), "ABSTRACT": listeners.abstract_name, "UNIX_SOCKET": listeners.path})
    snippets = parse_corpus(content)
    by_id = {snippet.id: snippet for snippet in snippets}

    # Canaries: in the course, its repository and cache; beside the run folders; in the real home, /tmp,
    # /var/tmp; behind an inherited descriptor; in the environment.
    os.makedirs(os.path.join(course, ".git", "hooks"))
    open(os.path.join(course, ".git", "config"), "w").write("[core]\n\trepositoryformatversion = 0\n\tbare = false\n")
    cache_entry = os.path.join(course, ".notes-cache", "sandbox-0000000000000000")
    os.makedirs(cache_entry)
    open(os.path.join(cache_entry, "notes_sandbox.o"), "wb").write(b"\x7fELF planted by run.py\n")
    open(os.path.join(cache_entry, "digest"), "w").write("planted\n")
    open(os.path.join(content, "secret-answers.txt"), "w").write("the model answers, %s\n" % marker)
    planted = os.path.join(tmpdir, "hostile-planted")
    os.mkdir(planted, 0o755)
    open(os.path.join(planted, "secret.txt"), "w").write("another run's file, %s\n" % marker)
    for folder, folders, files in os.walk(course):
        for name in [folder] + [os.path.join(folder, f) for f in files]:
            give(name)
    for folder in [tmpdir, out]:
        give(folder)

    home = runner.pw_dir
    made_home = False
    if user and not os.path.isdir(home):
        os.makedirs(home, 0o700)
        give(home)
        made_home = True
    secret_name = "notes-hostile-secret-%s.txt" % marker
    canaries = [os.path.join(folder, secret_name) for folder in sorted({home, "/tmp", "/var/tmp"} | ({"/root"} if root else set()))]
    for path in canaries:
        open(path, "w").write("a canary secret, %s\n" % marker)
        os.chmod(path, 0o644)
        if not path.startswith("/root/"):
            give(path)
    inherited_path = os.path.join(work, "inherited-canary.txt")
    open(inherited_path, "w").write("behind a descriptor notes inherited\n")
    give(inherited_path)
    inherited = os.open(inherited_path, os.O_RDWR | os.O_APPEND)
    terminal = Terminal(owner)

    escape_folders = SHARED_FOLDERS + [home, "/root", course, content, tmpdir]
    stale = escape_files(escape_folders)
    for path in stale:
        print("run.py: removing a stale %s" % path)
        force_remove(path)
    for kind, ident in sysv_ipc_objects():
        remove_sysv(kind, ident)
    posix_mq_exists_and_remove()

    def snapshot():
        state = tree_fingerprints(course)
        state[home] = fingerprint(home, times=False)
        for path in canaries + [inherited_path]:
            state[path] = fingerprint(path)
        return state

    before = snapshot()
    before_shared = {folder: set(os.listdir(folder)) if os.path.isdir(folder) else set() for folder in SHARED_FOLDERS}

    env = {
        "PATH": os.path.dirname(swiftc) + ":/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": runner.pw_name, "LOGNAME": runner.pw_name,
        "TMPDIR": tmpdir, "LANG": "C.UTF-8",
        "NOTES_HOSTILE_SECRET": "a CI token, " + marker,
        # As on GitHub Actions, whose runner reads workflow commands in what notes prints.
        "GITHUB_ACTIONS": "true",
    }
    report = os.path.join(out, "junit.xml")
    command = [notes, "verify", "--no-cache", "--junit", report, "--content", "Content"]
    print("run.py: %s (in %s, TMPDIR %s)" % (" ".join(command), course, tmpdir), flush=True)
    run = run_notes(command, course, env, owner, options.timeout, out, "verify", stdin_fd=terminal.slave, pass_fds=(inherited,))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("run.py: notes ended with %s after %.0f s" % (
        "status %d" % run.returncode if run.returncode >= 0 else "signal %d" % -run.returncode, run.seconds), flush=True)
    time.sleep(2)  # let killed processes leave /proc, and late packets arrive

    checks = Checks()
    stderr_text = run.stderr.decode("utf-8", errors="replace")
    stdout_text = run.stdout.decode("utf-8", errors="replace")

    # How notes ended.
    checks.check(not run.timed_out, "notes was still running after %.0f s and was killed" % options.timeout)
    checks.check(run.returncode == 1, "notes ended with %s, not status 1 (snippets failed)" % (
        "status %d" % run.returncode if run.returncode >= 0 else "signal %d (%s)" % (-run.returncode, signal.Signals(-run.returncode).name)))
    crash = notes_crash_lines(stderr_text)
    checks.check(not crash, "notes' stderr shows a crash of its own: %s" % " | ".join(crash[:5]))
    checks.check(re.search(r"^\d+ passed, \d+ failed", stdout_text, re.M) is not None,
                 "notes printed no 'N passed, N failed' summary (stdout: %r)" % stdout_text[-200:])

    # The report.
    cases, xml_error = read_junit(report)
    checks.check(xml_error is None, "the JUnit report is missing or not well-formed: %s" % xml_error)
    failed_ids = {name for name, rows in cases.items() if any(row[2] == "failed" for row in rows)}
    recovered, recovered_stderr = {}, b""
    if run.returncode < 0 or run.timed_out or xml_error is not None:
        # One crash hides every other verdict: run each page on its own, and each snippet of a page that
        # crashes notes again, so that the rest still get theirs.
        recovered, recovered_stderr = recover_verdicts(snippets, command, course, env, owner, out)
        for name, rows in recovered.items():
            cases.setdefault(name, rows)
        failed_ids |= {name for name, rows in recovered.items() if any(row[2] == "failed" for row in rows)}

    # Its output (and that of the runs that recovered verdicts).
    all_stderr = run.stderr + recovered_stderr
    all_stderr_text = all_stderr.decode("utf-8", errors="replace")
    try:
        all_stderr.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as error:
        utf8 = str(error)
    checks.check(utf8 is True, "notes' stderr is not UTF-8: %s" % utf8)
    escapes = [m.start() for m in re.finditer(rb"\x1b|\xc2\x9b", all_stderr)]
    checks.check(not escapes, "notes' stderr holds %d raw terminal escapes (ESC or CSI), first at byte %s: %r" % (
        len(escapes), escapes[0] if escapes else "", all_stderr[max(0, escapes[0] - 60):escapes[0] + 40] if escapes else b""))
    commands = workflow_commands(all_stderr_text) + workflow_commands(stdout_text)
    checks.check(not commands, "notes printed %d line(s) GitHub's runner reads as workflow commands: %s" % (
        len(commands), " | ".join(repr(c) for c in commands[:4])))

    got_through = []
    for snippet in snippets:
        rows = cases.get(snippet.id, [])
        origin = " (verdict from a run of its page alone)" if snippet.id in recovered else ""
        if not checks.check(len(rows) == 1, "snippet '%s' (%s:%d) appears %d times in the report%s" % (
                snippet.id, snippet.path, snippet.fence, len(rows), origin)):
            continue
        file, line, outcome, message, details = rows[0]
        if snippet.kind == "attack":
            if outcome == "passed" and known_limit(snippet.id, as_root):
                print("known limit: attack '%s' passed: %s" % (snippet.id, KNOWN_LIMITS[snippet.id][0]))
                continue
            if outcome == "passed":
                got_through.append(snippet)
                checks.check(False, "GOT THROUGH: attack '%s' (%s:%d) passed%s" % (snippet.id, snippet.path, snippet.fence, origin))
                continue
            if message == "does not compile" and snippet.id not in COMPILE_FAILURE_IS_CONTAINMENT:
                checks.check(False, "BROKEN CASE: attack '%s' (%s:%d) does not compile: %s" % (
                    snippet.id, snippet.path, snippet.fence, details.strip().split("\n")[0][:300]))
                continue
            checks.check(outcome == "failed", "attack '%s' (%s:%d) was %s, not failed%s" % (snippet.id, snippet.path, snippet.fence, outcome, origin))
        elif outcome != "passed" and known_limit(snippet.id, as_root):
            print("known limit: '%s' %s: %s" % (snippet.id, message, KNOWN_LIMITS[snippet.id][0]))
            continue
        else:
            checks.check(outcome == "passed", "%s snippet '%s' (%s:%d) %s: %s%s%s" % (
                snippet.kind, snippet.id, snippet.path, snippet.fence, outcome, message,
                (" | " + " | ".join(details.strip().split("\n")[:12])) if details.strip() else "", origin))
        if outcome == "failed":
            lines = {snippet.fence} | ({snippet.output_fence} if snippet.output_fence else set())
            checks.check(file == snippet.path and line == str(snippet.fence),
                         "snippet '%s': the report places it at %s:%s, not %s:%d" % (snippet.id, file, line, snippet.path, snippet.fence))
            prefixes = ["%s:%d: error: snippet '%s': " % (snippet.path, number, snippet.id) for number in sorted(lines)]
            checks.check(any(l.startswith(tuple(prefixes)) for l in all_stderr_text.split("\n")),
                         "snippet '%s' failed without a line starting %s on stderr" % (snippet.id, " or ".join(repr(p) for p in prefixes)))
    known = set(by_id)
    extra = sorted(set(cases) - known)
    checks.check(not extra, "the report lists cases the corpus does not have (a forged or merged verdict): %s" % ", ".join(extra))

    wrong = misplaced_diagnostics(all_stderr_text, snippets, failed_ids)
    checks.check(not wrong, "notes printed %d diagnostic line(s) outside every failed snippet (forged or moved): %s" % (
        len(wrong), " | ".join(repr(w[:200]) for w in wrong[:6])))

    # The machine.
    after = snapshot()
    changed = sorted(path for path in set(before) | set(after) if before.get(path) != after.get(path))
    for path in changed:
        checks.check(False, "changed outside the run folders: %s (before: %s; after: %s)" % (path, before.get(path), after.get(path)))
    if not changed:
        checks.check(True, "")
    escaped = escape_files(escape_folders)
    for path in escaped:
        try:
            info = os.lstat(path)
            evidence = "owner %d, %d bytes" % (info.st_uid, info.st_size)
            if stat.S_ISREG(info.st_mode) and info.st_size:
                evidence += ": %r" % open(path, "rb").read(120)
        except OSError:
            evidence = "?"
        checks.check(False, "a file an attack aimed at exists: %s (%s)" % (path, evidence))
    if not escaped:
        checks.check(True, "")
    for folder in SHARED_FOLDERS:
        new = sorted((set(os.listdir(folder)) if os.path.isdir(folder) else set()) - before_shared[folder])
        new = [n for n in new if marker in n or n.startswith(("notes-hostile", "sem.notes-hostile"))]
        checks.check(not new, "new entries in %s: %s" % (folder, ", ".join(new)))
    with listeners.lock:
        heard = list(listeners.heard)
    if not as_root and known_limit("udp-echo", as_root):
        # Without root the run shares the machine's network, and UDP is a known limit (KNOWN_LIMITS).
        udp = [h for h in heard if h.startswith("UDP")]
        for h in udp:
            print("known limit: %s" % h)
        heard = [h for h in heard if h not in udp]
    checks.check(not heard, "the harness's listeners were reached: %s" % " | ".join(heard))
    checks.check(not terminal.received, "notes' terminal received %d bytes: %r" % (len(terminal.received), terminal.received[:200]))

    survivors = []
    for _ in range(30):
        survivors = processes_with(marker)
        if not survivors:
            break
        time.sleep(0.2)
    checks.check(not survivors, "%d process(es) of the run are still alive: %s" % (
        len(survivors), " | ".join("%d %s (uid %s)" % (pid, cmd, proc_uid(pid)) for pid, cmd in survivors)))
    for pid, _ in survivors:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    ipc = sysv_ipc_objects()
    checks.check(not ipc, "System V IPC objects of the corpus outlived the run: %s" % ", ".join("%s id %d" % o for o in ipc))
    for kind, ident in ipc:
        remove_sysv(kind, ident)
    checks.check(not posix_mq_exists_and_remove(), "the POSIX message queue %s outlived the run" % POSIX_MQ.decode())

    left = stray_folders(tmpdir)
    checks.check(not left, "notes left %d temporary folder(s) in %s: %s" % (len(left), tmpdir, ", ".join(describe_tree(p) for p in left[:5])))

    printed_peak = re.findall(r"peak memory (\d+) MiB", stderr_text)
    peak_mib = max([run.peak_kib // 1024] + [int(p) for p in printed_peak])
    checks.check(peak_mib < options.max_rss_mib, "notes' own peak memory was %d MiB (VmHWM polled: %d MiB; printed: %s), over %d MiB" % (
        peak_mib, run.peak_kib // 1024, ", ".join(printed_peak) or "nothing", options.max_rss_mib))

    def remove_traces():
        """What the attacks left: files where they aimed, IPC objects, processes, run folders."""
        for path in escape_files(escape_folders):
            force_remove(path)
        for kind, ident in sysv_ipc_objects():
            remove_sysv(kind, ident)
        posix_mq_exists_and_remove()
        for pid, _ in processes_with(marker):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for path in stray_folders(tmpdir):
            force_remove(path)

    # What the attacks that got through printed, each run again on a clean machine.
    remove_traces()
    evidence = {}
    if got_through and not options.no_evidence:
        evidence = gather_evidence(got_through, command, course, content, env, owner, out)
        remove_traces()

    # Clean up what the run and the attacks left.
    listeners.close()
    terminal.close()
    os.close(inherited)
    for path in canaries:
        force_remove(path)
    if made_home:
        force_remove(home)
    if options.keep:
        print("run.py: kept %s" % work)
    else:
        force_remove(work)

    print()
    print("Attacks (%d), pass- and control- snippets (%d):" % (
        sum(1 for s in snippets if s.kind == "attack"), sum(1 for s in snippets if s.kind != "attack")))
    for snippet in snippets:
        rows = cases.get(snippet.id) or [(None, None, "missing", "", "")]
        outcome, message = rows[0][2], rows[0][3]
        if snippet.kind == "attack":
            verdict = "GOT THROUGH" if outcome == "passed" else "contained" if outcome == "failed" else outcome
        else:
            verdict = "ok" if outcome == "passed" else "FAILED" if outcome == "failed" else outcome
        print("  %-30s %-12s %s" % (snippet.id, verdict, message[:110] if outcome == "failed" else ""))
    if got_through:
        print()
        print("Got through:")
        for snippet in got_through:
            print("  %s (%s:%d)" % (snippet.id, snippet.path, snippet.fence))
            for line in evidence.get(snippet.id, []):
                print("      " + line)
    print()
    print("notes: %.0f s, exit %s; its peak memory %d MiB; largest process of the run (ru_maxrss of the harness's children, "
          "snippets included) %d MiB" % (run.seconds, run.returncode, peak_mib, children.ru_maxrss // 1024))
    print("%d passed, %d failed" % (checks.passed, len(checks.problems)))
    print("wall time %.0f s" % (time.monotonic() - started))
    return 1 if checks.problems else 0


def proc_uid(pid):
    try:
        for line in open("/proc/%d/status" % pid):
            if line.startswith("Uid:"):
                return line.split()[1]
    except OSError:
        pass
    return "?"


def describe_tree(path):
    count = 0
    for _, folders, files in os.walk(path):
        count += len(folders) + len(files)
    try:
        mode = stat.filemode(os.lstat(path).st_mode)
    except OSError:
        mode = "?"
    return "%s (%s, %d entries readable by the harness)" % (path, mode, count)


def recover_verdicts(snippets, command, course, env, owner, out):
    """Verdicts from runs of one page at a time (and one snippet at a time on a page that still crashes)."""
    recovered, stderr = {}, []
    pages = sorted({snippet.page for snippet in snippets})
    for page in pages:
        rows = run_filtered(page, command, course, env, owner, out, stderr)
        if rows is None:
            print("run.py: notes crashes on %s alone; running its snippets one at a time" % page, flush=True)
            for snippet in [s for s in snippets if s.page == page]:
                if snippet.id in recovered:
                    continue
                single = run_filtered(snippet.id, command, course, env, owner, out, stderr)
                if single is None:
                    print("run.py: notes crashes on snippet %s alone" % snippet.id, flush=True)
                    continue
                for name, cases in single.items():
                    if any(case[2] != "skipped" for case in cases):
                        recovered.setdefault(name, [case for case in cases if case[2] != "skipped"])
            continue
        for name, cases in rows.items():
            if any(case[2] != "skipped" for case in cases):
                recovered.setdefault(name, [case for case in cases if case[2] != "skipped"])
    return recovered, b"\n".join(stderr)


def run_filtered(pattern, command, course, env, owner, out, stderr):
    name = "filter-" + re.sub(r"[^A-Za-z0-9.-]", "_", pattern)
    report = os.path.join(out, name + ".xml")
    filtered = [report if part.endswith("junit.xml") else part for part in command] + ["--filter", pattern]
    run = run_notes(filtered, course, env, owner, 1800, out, name)
    print("run.py: notes --filter %s ended with %s after %.0f s" % (pattern, run.returncode, run.seconds), flush=True)
    stderr.append(run.stderr)
    if run.returncode < 0 or run.timed_out:
        return None
    cases, error = read_junit(report)
    return None if error else cases


def gather_evidence(attacks, command, course, content, env, owner, out):
    """Runs each attack that passed again with its recorded output blanked, and keeps the diff's lines."""
    evidence = {}
    for snippet in attacks:
        path = os.path.join(content, snippet.page)
        original = open(path, encoding="utf-8").read()
        lines = original.split("\n")
        if snippet.output_fence:
            close = snippet.end - 1
            lines[snippet.output_fence:close] = ["(blanked by run.py to show the real output)"] + [""] * (close - snippet.output_fence - 1)
        open(path, "w", encoding="utf-8").write("\n".join(lines))
        report = os.path.join(out, "evidence-%s.xml" % snippet.id)
        rerun = [report if part.endswith("junit.xml") else part for part in command] + ["--filter", snippet.id]
        run = run_notes(rerun, course, env, owner, 600, out, "evidence-" + snippet.id)
        open(path, "w", encoding="utf-8").write(original)
        text = run.stderr.decode("utf-8", errors="replace").split("\n")
        kept = [line[2:] for line in text if line.startswith(("+ ", "  "))]
        evidence[snippet.id] = [line for line in kept if line.strip()][:25] or ["(no output shown: %s)" % " | ".join(text[-4:])]
    return evidence


if __name__ == "__main__":
    sys.exit(main())
