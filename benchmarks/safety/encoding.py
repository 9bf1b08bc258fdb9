"""Encoding (issue 27): untrusted text stays inside the field, link or line it is written in.

Each case meets the attack as a user would: the CLI in a child process (its working
folder, HOME, cache and config all inside the case's tmp folder), with a loopback HTTP
server standing in for the services where they are involved.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.safety.case import Case, Result
from tests.resolve.fakes import local_http_server, send, service_urls

_PAYLOAD_TEX = r"\immediate\write18{rm -rf /}\input{/etc/passwd}"
_CROSSREF_WORK = Path(
    "/work/shared/data/apis/samples/crossref_work_10.1371_journal.pone.0033693.json"
)
_DOI = "10.1371/journal.pone.0033693"
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _env(tmp: Path, **settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(tmp / "home"),
        XDG_CACHE_HOME=str(tmp / "cache"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        MESOREFS_CONFIG=os.devnull,
        MESOREFS_CACHE_DIR=str(tmp / "cache" / "mesorefs"),
    )
    env.update({"MESOREFS_" + name.upper(): value for name, value in settings.items()})
    return env


def _mesorefs(
    tmp: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mesorefs.cli", *args],
        cwd=tmp,
        env=env or _env(tmp),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _read_bib(text: str) -> Any:
    from mesorefs.bibtex.codec import read_bibtex

    return read_bibtex(text)


def _one_clean_entry(bib: str) -> tuple[bool, str]:
    """The written .bib holds exactly one entry and nothing else (no @preamble, no second entry)."""
    document = _read_bib(bib)
    references = [i for i in document.items if not hasattr(i, "raw")]
    others = [i for i in document.items if hasattr(i, "raw")]
    ats = len(re.findall(r"^\s*@", bib, re.M))
    ok = len(references) == 1 and not others and not document.problems and ats == 1
    return ok, f"{len(references)} entries, {len(others)} other blocks, {ats} '@' lines"


# -- BibTeX keys and values ------------------------------------------------------------


def csl_id_injection(tmp: Path) -> Result:
    """A CSL-JSON id with '}', a line break and @preamble is not written as a key."""
    item = {
        "id": 'x}\n@preamble{"\\immediate\\write18{touch pwned}"}\n@misc{y,',
        "type": "article-journal",
        "title": "Ordinary title } with a stray brace",
    }
    (tmp / "refs.json").write_text(json.dumps([item]), encoding="utf-8")
    run = _mesorefs(tmp, "resolve", "refs.json", "--offline", "-o", "out.bib")
    bib = (tmp / "out.bib").read_text(encoding="utf-8") if (tmp / "out.bib").exists() else ""
    ok, detail = _one_clean_entry(bib)
    title = _read_bib(bib).items[0].title if ok else None
    ok = ok and "@preamble" not in bib.lower() and title == item["title"]
    return Result(ok, f"{detail}; title read back {title!r}; exit {run.returncode}")


def ris_do_injection(tmp: Path) -> Result:
    """A RIS ID and DO holding '}' and a field of their own stay inside their key and field."""
    ris = (
        "TY  - JOUR\nID  - a},note={pwned-id\nTI  - Real\n"
        "DO  - 10.1000/x}, note={pwned-do\nER  - \n"
    )
    (tmp / "refs.ris").write_text(ris, encoding="utf-8")
    run = _mesorefs(tmp, "resolve", "refs.ris", "--offline", "-o", "out.bib")
    bib = (tmp / "out.bib").read_text(encoding="utf-8") if (tmp / "out.bib").exists() else ""
    ok, detail = _one_clean_entry(bib)
    reference = _read_bib(bib).items[0] if ok else None
    ok = (
        ok
        and reference is not None
        and "note" not in (reference.extra or {})
        and not reference.note
    )
    return Result(ok, f"{detail}; exit {run.returncode}")


def service_latex_write18(tmp: Path) -> Result:
    """A Crossref record with \\immediate\\write18 in publisher is written as text, not LaTeX."""
    work = json.loads(_CROSSREF_WORK.read_text(encoding="utf-8"))
    work["message"]["publisher"] = _PAYLOAD_TEX
    (tmp / "refs.bib").write_text(f"@article{{a,\n  doi = {{{_DOI}}}\n}}\n", encoding="utf-8")
    with local_http_server() as server:
        server.routes["/works/"] = lambda r: send(r, 200, json.dumps(work).encode())
        run = _mesorefs(
            tmp, "resolve", "refs.bib", "-o", "out.bib", env=_env(tmp, **service_urls(server))
        )
    bib = (tmp / "out.bib").read_text(encoding="utf-8") if (tmp / "out.bib").exists() else ""
    ok, detail = _one_clean_entry(bib)
    publisher = _read_bib(bib).items[0].publisher if ok else None
    live = re.findall(r"(?<![{\w])\\(immediate|write18|input)\b", bib)
    ok = ok and publisher == _PAYLOAD_TEX and not live
    return Result(
        ok,
        f"{detail}; publisher read back {publisher!r}; live commands {live}; exit {run.returncode}",
    )


# -- request paths --------------------------------------------------------------------


_ROUTES = {
    "crossref_url": ("works/",),
    "doi_url": ("10.",),
    "datacite_url": ("dois/",),
    "pubmed_url": ("esearch.fcgi", "efetch.fcgi"),
    "openalex_url": ("works",),
    "arxiv_url": ("query",),
}


def doi_path_traversal(tmp: Path) -> Result:
    """A DOI with /../ and ?# reaches each service under its own route, never above it."""
    dois = ["10.1000/../../admin", "10.1000/x/../../../admin", "10.1000/x?admin=1#frag"]
    entries = "".join(f"@article{{k{i},\n  doi = {{{d}}}\n}}\n" for i, d in enumerate(dois))
    (tmp / "refs.bib").write_text(entries, encoding="utf-8")
    with local_http_server() as server:
        urls = {name: f"{server.url}/svc/{name}" for name in _ROUTES}
        _mesorefs(tmp, "resolve", "refs.bib", "--dry-run", env=_env(tmp, **urls))
        hits = list(server.hits)
    bad = []
    for hit in hits:
        path, _, query = hit.partition("?")
        name, _, rest = path.removeprefix("/svc/").partition("/")
        routes = _ROUTES.get(name, ())
        segments = path.split("/")
        if (
            not path.startswith("/svc/")
            or not rest.startswith(routes)
            or ".." in segments
            or "." in segments
            or "admin=1" in query
        ):
            bad.append(hit)
    return Result(bool(hits) and not bad, f"{len(hits)} requests; outside their route: {bad[:3]}")


# -- Markdown --------------------------------------------------------------------------

_REFS_BIB = r"""@article{doe2020,
  author = {Doe, Jane},
  title = {Mesotherapy and <script>alert(1)</script> fat},
  journal = {J},
  year = {2020},
  abstract = {Mesotherapy injections reduced localized fat deposits in most patients
    <img src=x onerror=alert(2)> <script>alert(3)</script>. A second sentence about fat.},
  note = {<script>alert(4)</script>}
}
"""
_DOC = "Mesotherapy injections reduce localized fat deposits in most patients [@doe2020].\n"
_RAW_HTML = re.compile(r"(?<!\\)<(script|img)\b", re.I)


def annotate_script(tmp: Path) -> Result:
    """`check --annotate` writes a reference's <script>/<img onerror> as text in the notes."""
    (tmp / "refs.bib").write_text(_REFS_BIB, encoding="utf-8")
    (tmp / "doc.md").write_text(_DOC, encoding="utf-8")
    run = _mesorefs(
        tmp, "check", "doc.md", "-b", "refs.bib", "--annotate", "ann.md", "--markdown", "rep.md"
    )
    annotated = (tmp / "ann.md").read_text(encoding="utf-8") if (tmp / "ann.md").exists() else ""
    report = (tmp / "rep.md").read_text(encoding="utf-8") if (tmp / "rep.md").exists() else ""
    quoted = "onerror" in annotated
    raw = _RAW_HTML.findall(annotated) + _RAW_HTML.findall(report)
    return Result(
        quoted and not raw, f"evidence quoted: {quoted}; raw tags: {raw}; exit {run.returncode}"
    )


def _link_targets(markdown: str) -> list[str]:
    return re.findall(r"(?<!\\)\]\(([^)\s]*)", markdown) + re.findall(
        r"<([a-zA-Z][\w+.-]*:[^>\s]*)>", markdown
    )


def format_markdown_link_javascript(tmp: Path) -> Result:
    """`format -f markdown --links` (and --doc) never links javascript:, never lets HTML out."""
    items = [
        {
            "id": "a",
            "type": "webpage",
            "title": "<script>alert(1)</script>",
            "URL": "javascript:alert(1)",
        },
        {"id": "b", "type": "webpage", "title": "B", "URL": "JaVaScRiPt:alert(2)"},
        {
            "id": "c",
            "type": "webpage",
            "title": "C",
            "URL": "https://example.org/a> <script>alert(3)</script>",
        },
        {
            "id": "d",
            "type": "webpage",
            "title": "D",
            "URL": "https://example.org/d) [x](javascript:alert(4)",
        },
        {
            "id": "e",
            "type": "webpage",
            "title": "<img src=x onerror=alert(5)>",
            "URL": "data:text/html,<script>alert(6)</script>",
        },
    ]
    (tmp / "refs.json").write_text(json.dumps(items), encoding="utf-8")
    (tmp / "doc.md").write_text("See [@a; @b; @c; @d; @e].\n", encoding="utf-8")
    outputs = []
    for extra in ([], ["--doc", "doc.md"]):
        for style in ("apa", "vancouver"):
            run = _mesorefs(
                tmp, "format", "refs.json", "-f", "markdown", "--links", "-s", style, *extra
            )
            outputs.append(run.stdout)
    text = "\n".join(outputs)
    targets = _link_targets(text)
    bad_targets = [t for t in targets if not re.match(r"(https?|mailto|ftp):", t, re.I)]
    raw = _RAW_HTML.findall(text)
    ok = bool(text.strip()) and not bad_targets and not raw
    return Result(ok, f"{len(targets)} links; bad targets {bad_targets[:3]}; raw tags {raw[:3]}")


# -- terminal --------------------------------------------------------------------------

_ESCAPES = (
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x1b[2J\x1b[31m\x9b31m\x07 [bold]B[/bold]"
)


def _control_report(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in _CONTROLS.findall(text)})


def terminal_escapes_format(tmp: Path) -> Result:
    """`format` text output shows a title's ESC/OSC 8/BEL/C1 characters, never sends them."""
    item = {
        "id": "a",
        "type": "book",
        "title": "Title " + _ESCAPES,
        "author": [{"family": "Doe\x1b[8m", "given": "J"}],
    }
    (tmp / "refs.json").write_text(json.dumps([item]), encoding="utf-8")
    run = _mesorefs(tmp, "format", "refs.json")
    found = _control_report(run.stdout + run.stderr)
    return Result(
        run.returncode == 0 and "Title" in run.stdout and not found,
        f"controls on the terminal: {found}",
    )


def terminal_escapes_check(tmp: Path) -> Result:
    """`check`'s table shows a reference's control characters and [bold] markup as text."""
    bib = _REFS_BIB.replace(
        "Mesotherapy injections reduced", "Mesotherapy [bold]injections[/bold] reduced"
    )
    bib = bib.replace("<img src=x onerror=alert(2)>", _ESCAPES.replace("{", "").replace("}", ""))
    (tmp / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp / "doc.md").write_text(_DOC.replace("patients", "patients \x1b[31m"), encoding="utf-8")
    run = _mesorefs(tmp, "check", "doc.md", "-b", "refs.bib", "--verbose")  # the full table
    compact = _mesorefs(tmp, "check", "doc.md", "-b", "refs.bib")  # and the default view
    found = _control_report(run.stdout + run.stderr + compact.stdout + compact.stderr)
    markup_as_text = "[bold]injections[/bold]" in run.stdout
    return Result(
        not found and markup_as_text,
        f"controls: {found}; [bold] shown as text: {markup_as_text}",
    )


def terminal_escapes_lint_resolve(tmp: Path) -> Result:
    """`lint` messages and `resolve` reasons show control characters, never send them."""
    bib = (
        "@article{a,\n  title = {Bad \x1b[2J\x1b]8;;x\x07 title},\n"
        "  doi = {10.1000/x\x1b[31m},\n  year = {20\x9b20}\n}\n"
    )
    (tmp / "refs.bib").write_text(bib, encoding="utf-8")
    runs = [
        _mesorefs(tmp, "lint", "refs.bib"),
        _mesorefs(tmp, "resolve", "refs.bib", "--offline", "--dry-run"),
        _mesorefs(tmp, "tidy", "refs.bib", "--check"),
    ]
    found = _control_report("".join(r.stdout + r.stderr for r in runs))
    return Result(not found, f"controls on the terminal: {found}")


# -- full text --------------------------------------------------------------------------

_SECRET = "MESOREFS-SECRET-7f3a9c"


def _check_full_text(tmp: Path, home: Path, file_field: str) -> subprocess.CompletedProcess[str]:
    bib = (
        "@article{doe2020,\n  author = {Doe, Jane},\n  title = {Fat injections},\n"
        "  journal = {J},\n"
        f"  year = {{2020}},\n  file = {{{file_field}}}\n}}\n"
    )
    (home / "refs.bib").write_text(bib, encoding="utf-8")
    (home / "doc.md").write_text(_DOC, encoding="utf-8")
    return _mesorefs(home, "check", "doc.md", "-b", "refs.bib", "--json", env=_env(tmp))


def fulltext_outside_folder(tmp: Path) -> Result:
    """A `file` naming a hidden file, one above the .bib's folder or an id_rsa is never quoted."""
    home = tmp / "home"
    (home / ".ssh").mkdir(parents=True)
    secret = f"Mesotherapy injections reduce localized fat deposits in {_SECRET} patients.\n"
    (home / ".ssh" / "id_rsa").write_text(secret, encoding="utf-8")
    (home / "id_rsa").write_text(secret, encoding="utf-8")
    (home / ".hidden.txt").write_text(secret, encoding="utf-8")
    (tmp / "shadow").write_text(secret, encoding="utf-8")
    (home / "link.txt").symlink_to(tmp / "shadow")
    leaks = []
    for field in (
        ".ssh/id_rsa",
        "id_rsa",
        ".hidden.txt",
        "../shadow",
        "link.txt",
        str(home / ".ssh" / "id_rsa"),
    ):
        run = _check_full_text(tmp, home, field)
        if _SECRET in run.stdout + run.stderr:
            leaks.append(field)
    # the rule still reads a document the user put beside the .bib
    (home / "paper.txt").write_text(secret, encoding="utf-8")
    allowed = _SECRET in _check_full_text(tmp, home, "paper.txt").stdout
    return Result(
        not leaks and allowed, f"quoted from: {leaks}; paper.txt beside the .bib read: {allowed}"
    )


def fulltext_3gib(tmp: Path) -> Result:
    """A 3 GiB (sparse) full-text file is read up to a cap while reading, within 500 MB."""
    home = tmp / "home"
    home.mkdir()
    with (home / "big.txt").open("wb") as handle:
        handle.write(b"Mesotherapy injections reduce localized fat deposits in most patients.\n\n")
        handle.truncate(3 * 1024**3)
    run = _check_full_text(tmp, home, "big.txt")
    return Result(run.returncode in (0, 1), f"exit {run.returncode}: {run.stderr.strip()[-120:]}")


CASES = [
    Case(
        "encoding-csl-id-injection",
        "CSL-JSON id with '}' and @preamble becomes entries",
        csl_id_injection,
    ),
    Case("encoding-ris-do-injection", "RIS ID/DO with '}' add fields", ris_do_injection),
    Case(
        "encoding-service-latex-write18",
        "service text written as live LaTeX",
        service_latex_write18,
    ),
    Case("encoding-doi-path-traversal", "DOI /../ escapes the request path", doi_path_traversal),
    Case(
        "encoding-annotate-script",
        "<script> copied raw into --annotate notes",
        annotate_script,
        seconds=120,
    ),
    Case(
        "encoding-format-markdown-link-javascript",
        "javascript: links and raw HTML in Markdown output",
        format_markdown_link_javascript,
        seconds=120,
    ),
    Case(
        "encoding-terminal-escapes-format",
        "ESC/OSC 8 reach the terminal from format",
        terminal_escapes_format,
    ),
    Case(
        "encoding-terminal-escapes-check",
        "ESC reaches the terminal from check",
        terminal_escapes_check,
        seconds=120,
    ),
    Case(
        "encoding-terminal-escapes-lint-resolve",
        "ESC reaches the terminal from lint, resolve, tidy",
        terminal_escapes_lint_resolve,
        seconds=120,
    ),
    Case(
        "encoding-fulltext-outside-folder",
        "file field reads hidden or outside files",
        fulltext_outside_folder,
        seconds=180,
    ),
    Case(
        "encoding-fulltext-3gib",
        "a 3 GiB file field read whole",
        fulltext_3gib,
        seconds=120,
        megabytes=500,
    ),
]
