"""LaTeX -> blocks: the document body's sectioning commands as headings, ``\\item`` as list
items, ``\\bibitem`` as bibliography entries; other markup dropped, ``\\cite`` kept."""

from __future__ import annotations

import re

from mesorefs.claims.blocks import Block, BlockKind, Builder, attach_lead_ins
from mesorefs.claims.citations import LATEX_CITE

__all__ = ["latex_blocks"]

_TEX_SECTION = re.compile(r"\\(part|chapter|section|subsection|subsubsection|paragraph)\*?\{")
_TEX_DROP_LINE = re.compile(
    r"^\s*\\(?:begin|end|label|maketitle|usepackage|documentclass|bibliographystyle|"
    r"bibliography|author|date|tableofcontents)\b"
)
_TEX_CMD = re.compile(r"\\[A-Za-z]+\*?(?:\[[^\]]{0,200}\])?\{|\\[%&$#_{}]|[{}]|\\[A-Za-z]+\*?|~")
_VERB = re.compile(r"\\verb\*?([^A-Za-z\s*])(.*?)\1")
_VERBATIM = re.compile(r"^\s*\\begin\{(verbatim|Verbatim|lstlisting|minted|comment|alltt)\*?\}")


def _tex_inline(builder: Builder, line: str, start: int) -> None:
    """Add a LaTeX line keeping text and citation commands (``\\cite``, ``\\citep``,
    ``\\parencite``, ...), dropping other markup; ``\\verb`` text is kept as code."""
    line_nc = re.sub(r"(?<!\\)%.*$", "", line)
    pos = 0
    cites = [(m.start(), m.end()) for m in LATEX_CITE.finditer(line_nc)]
    verbs = {m.start(): (m.end(), m.start(2), m.end(2)) for m in _VERB.finditer(line_nc)}
    for m in _TEX_CMD.finditer(line_nc):
        if m.start() < pos or any(a <= m.start() < b for a, b in cites):
            continue
        verb = verbs.get(m.start())
        builder.add(line_nc[pos : m.start()], start + pos)
        if verb is not None:
            builder.add(line_nc[verb[1] : verb[2]], start + verb[1], code=True)
            pos = verb[0]
            continue
        if m.group(0) == "~":
            builder.add(" ", start + m.start(), mapped=False)
        elif len(m.group(0)) == 2 and m.group(0)[0] == "\\":  # \% \& ...: the character
            builder.add(m.group(0)[1], start + m.start() + 1)
        pos = m.end()
    builder.add(line_nc[pos:], start + pos)


def latex_blocks(text: str) -> list[Block]:
    body_start = text.find("\\begin{document}")
    offset = body_start + len("\\begin{document}") if body_start >= 0 else 0
    blocks: list[Block] = []
    current: Builder | None = None
    kind: BlockKind = "paragraph"

    def flush() -> None:
        nonlocal current
        if current is not None:
            block = current.build(kind)
            if block is not None:
                blocks.append(block)
        current = None

    verbatim_end: str | None = None
    for line in text[offset:].splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        if verbatim_end is not None:  # verbatim text: code, not prose
            if verbatim_end in body:
                verbatim_end = None
            continue
        if body.strip().startswith("\\end{document}"):
            break
        env = _VERBATIM.match(body)
        if env:
            flush()
            verbatim_end = "\\end{" + env.group(1)
            if verbatim_end in body[env.end() :]:
                verbatim_end = None
            continue
        if not body.strip() or body.lstrip().startswith("%"):
            flush()
            continue
        sec = _TEX_SECTION.match(body.lstrip())
        if sec:
            flush()
            lead = len(body) - len(body.lstrip())
            close = body.rfind("}")
            level = {"part": 1, "chapter": 1, "section": 2, "subsection": 3}.get(sec.group(1), 4)
            b = Builder()
            inner_start = lead + sec.end()
            _tex_inline(b, body[inner_start:close], line_start + inner_start)
            block = b.build("heading", level)
            if block is not None:
                blocks.append(block)
            continue
        if _TEX_DROP_LINE.match(body):
            flush()
            continue
        item = re.match(r"^\s*\\(item|bibitem)(?:\[[^\]]*\])?(?:\{[^}]*\})?\s*", body)
        if item:
            flush()
            current = Builder()
            kind = "item" if item.group(1) == "item" else "bibentry"
            _tex_inline(current, body[item.end() :], line_start + item.end())
            continue
        if current is None:
            current = Builder()
            kind = "paragraph"
        else:
            current.add(" ", line_start, mapped=False)
        _tex_inline(current, body, line_start)
    flush()
    return attach_lead_ins(blocks)
