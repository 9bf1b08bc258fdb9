"""LaTeX <-> Unicode for BibTeX field values: tables, round trips, robustness."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesorefs.bibtex.latex import latex_to_unicode, unicode_to_latex
from mesorefs.bibtex.latex import read as latex

NBSP = "\u00a0"

# (id, LaTeX as found in a .bib field, Unicode we must read)
READ_CASES: list[tuple[str, str, str]] = [
    # the many spellings of one accented letter all read the same
    ("acute-dotless-i-braced", r"{\'\i}", "í"),
    ("acute-i-arg-braced", r"\'{i}", "í"),
    ("acute-i-outer-braces", r"{\'i}", "í"),
    ("acute-i-bare", r"\'i", "í"),
    ("acute-dotless-i-arg", r"\'{\i}", "í"),
    ("umlaut-a-braced", r"{\"a}", "ä"),
    ("umlaut-a-arg-braced", r"\"{a}", "ä"),
    ("umlaut-a-bare", r"\"a", "ä"),
    ("umlaut-a-double-braced", r"{\"{a}}", "ä"),
    ("umlaut-in-word", r"M{\"u}nchen", "München"),
    ("acute-in-word-bare", r"Mesoth\'erapie", "Mesothérapie"),
    ("acute-in-word-braced", r"Mesoth{\'e}rapie", "Mesothérapie"),
    ("acute-in-word-arg", r"Mesoth\'{e}rapie", "Mesothérapie"),
    ("grave", r"\`e", "è"),
    ("circumflex", r"\^o", "ô"),
    ("tilde-accent", r"\~n", "ñ"),
    ("tilde-accent-word", r"Espa{\~n}a", "España"),
    ("macron", r"\=a", "ā"),
    ("dot-above", r"\.z", "ż"),
    ("cedilla", r"\c{c}", "ç"),
    ("cedilla-space-arg", r"Fran\c cois", "François"),
    ("cedilla-braced", r"Fran{\c{c}}ois", "François"),
    ("caron", r"\v{s}", "š"),
    ("caron-bare-arg", r"\v s", "š"),
    ("caron-word", r"Dvo\v{r}\'ak", "Dvořák"),
    ("breve", r"\u{a}", "ă"),
    ("double-acute", r"Erd\H{o}s", "Erdős"),
    ("ogonek", r"\k{a}", "ą"),
    ("ring", r"\r{a}", "å"),
    ("dotless-i", r"\i", "ı"),
    ("dotless-j", r"\j", "ȷ"),
    ("caron-dotless-i", r"\v{\i}", "ǐ"),
    # special letters
    ("eszett", r"\ss", "ß"),
    ("eszett-braced", r"{\ss}", "ß"),
    ("eszett-eats-space", r"Stra\ss e", "Straße"),
    ("eszett-empty-group", r"Stra\ss{}e", "Straße"),
    ("o-slash", r"\o", "ø"),
    ("O-slash", r"{\O}", "Ø"),
    ("a-ring", r"\aa", "å"),
    ("A-ring", r"{\AA}ngstr{\"o}m", "Ångström"),
    ("ae", r"\ae", "æ"),
    ("AE", r"{\AE}", "Æ"),
    ("oe", r"\oe", "œ"),
    ("OE", r"{\OE}", "Œ"),
    ("l-stroke", r"\l", "ł"),
    ("L-stroke-word", r"{\L}{\'o}d{\'z}", "Łódź"),
    # ligatures and escaped specials
    ("en-dash", "465--480", "465–480"),
    ("em-dash", "word---word", "word—word"),
    ("tie", r"Fig.~1", f"Fig.{NBSP}1"),
    ("quotes", "``quoted''", "“quoted”"),
    ("inverted-marks", "!`Hola! ?`Qu\\'e?", "¡Hola! ¿Qué?"),
    ("split-ligature", "-{}-", "--"),
    ("ampersand", r"R\&D", "R&D"),
    ("percent", r"50\%", "50%"),
    ("underscore", r"a\_b", "a_b"),
    ("hash", r"\#1", "#1"),
    ("dollar", r"\$5", "$5"),
    ("textendash", r"1990\textendash 1995", "1990–1995"),
    ("textemdash", r"a\textemdash b", "a—b"),
    ("textasciitilde", r"\textasciitilde", "~"),
    ("textasciicircum", r"\textasciicircum", "^"),
    ("textbackslash", r"\textbackslash", "\\"),
    ("escaped-braces", r"\{x\}", "{x}"),
    ("ldots", r"Wait\ldots", "Wait…"),
    ("dots", r"\dots", "…"),
    # symbols
    ("registered", r"Botox\textregistered", "Botox®"),
    ("trademark", r"\texttrademark", "™"),
    ("copyright", r"\copyright", "©"),
    ("textcopyright", r"\textcopyright", "©"),
    ("section", r"\S 3", "§3"),
    ("pilcrow", r"\P", "¶"),
    ("pounds", r"\pounds", "£"),
    ("textdegree", r"37\textdegree C", "37°C"),
    ("euro", r"\texteuro", "€"),
    # math stays math, byte for byte
    ("math-alpha-helix", r"$\alpha$-helix", r"$\alpha$-helix"),
    ("math-water", r"$H_2O$", r"$H_2O$"),
    ("math-isotope", r"$^{13}$C", r"$^{13}$C"),
    ("math-degree", r"37$^\circ$C", r"37$^\circ$C"),
    ("math-inner-spaces", "$a  +\n b$", "$a  +\n b$"),
    ("math-paren", r"\(x^2\)", r"\(x^2\)"),
    ("math-display", r"$$E=mc^2$$", r"$$E=mc^2$$"),
    ("math-escaped-dollar", r"$\$5$", r"$\$5$"),
    ("math-in-argument", r"\emph{$p<0.05$ -- significant}", "$p<0.05$ – significant"),
    (
        "environment-kept",
        r"\begin{equation}a  b\end{equation}.",
        r"\begin{equation}a  b\end{equation}.",
    ),
    ("lone-dollar", "costs $5", "costs $5"),
    # grouping braces go
    ("braced-acronym", "{DNA}", "DNA"),
    ("nested-braces", "{{Mesotherapy}}", "Mesotherapy"),
    ("braced-letter", r"{M}esoth{\'e}rapie", "Mesothérapie"),
    ("unbalanced-open", "{a", "a"),
    ("unbalanced-close", "a}", "a"),
    # unknown macros stay as written
    ("unknown-with-arg", r"\foo{bar}", r"\foo{bar}"),
    ("unknown-then-text", r"\foo bar", r"\foo bar"),
    ("unknown-greek", r"\textalpha", r"\textalpha"),
    ("cite-kept", r"see \cite{key}", r"see \cite{key}"),
    ("noopsort-kept", r"{\noopsort{a}}b", r"\noopsort{a}b"),
    ("today-kept", r"\today", r"\today"),
    # known formatting is dropped, its text kept
    ("emph", r"\emph{in vivo}", "in vivo"),
    ("textit", r"\textit{et al.}", "et al."),
    ("em-declaration", r"{\em in vitro}", "in vitro"),
    ("textbf-nested", r"\textbf{\'Etude}", "Étude"),
    ("mbox", r"\mbox{X-ray}", "X-ray"),
    ("url-as-written", r"\url{http://x.org/~a%20b}", "http://x.org/~a%20b"),
    ("latex-logo", r"\LaTeX{} tools", "LaTeX tools"),
    ("soft-hyphen", r"meso\-therapy", "mesotherapy"),
    ("thin-space", r"10\,mg", "10 mg"),
    # whitespace, percent, backslash
    ("collapse-spaces", "  A \n\t  trial  ", "A trial"),
    ("space-between-groups", "{DNA} {RNA}", "DNA RNA"),
    ("literal-percent", "50% of cases", "50% of cases"),
    ("trailing-backslash", "a\\", "a\\"),
]

# (id, Unicode, canonical LaTeX written with ascii_only=True)
WRITE_CASES: list[tuple[str, str, str]] = [
    ("acute", "café", r"caf{\'e}"),
    ("umlaut", "Müller", r"M{\"u}ller"),
    ("dotless-i-acute", "Martín", r"Mart{\'\i}n"),
    ("dotless-i-umlaut", "naïve", r"na{\"\i}ve"),
    ("eszett", "Straße", r"Stra{\ss}e"),
    ("o-slash", "Søren", r"S{\o}ren"),
    ("a-ring", "Ångström", r"{\AA}ngstr{\"o}m"),
    ("ae", "Cæsar", r"C{\ae}sar"),
    ("l-stroke", "Łódź", r"{\L}{\'o}d{\'z}"),
    ("cedilla", "François", r"Fran{\c{c}}ois"),
    ("caron", "Dvořák", r"Dvo{\v{r}}{\'a}k"),
    ("double-acute", "Erdős", r"Erd{\H{o}}s"),
    ("ogonek", "Łąka", r"{\L}{\k{a}}ka"),
    ("macron", "Tōkyō", r"T{\=o}ky{\=o}"),
    ("tilde", "España", r"Espa{\~n}a"),
    ("en-dash", "465–480", "465--480"),
    ("em-dash", "word—word", "word---word"),
    ("nbsp", f"Fig.{NBSP}1", "Fig.~1"),
    ("ellipsis", "Wait…", r"Wait{\ldots}"),
    ("curly-quotes", "“quoted”", "``quoted''"),
    ("ascii-specials", "R&D 50% #1 a_b", r"R\&D 50\% \#1 a\_b"),
    ("braces", "{x}", r"{\textbraceleft}x{\textbraceright}"),
    ("tilde-caret-backslash", "~^\\", r"{\textasciitilde}{\textasciicircum}{\textbackslash}"),
    ("lone-dollar", "costs $5", r"costs \$5"),
    ("math-kept", r"$\alpha$-helix of $H_2O$", r"$\alpha$-helix of $H_2O$"),
    ("unbalanced-math-escaped", "$a{$", r"\$a{\textbraceleft}\$"),
    ("unknown-macro-kept", r"\foo{bar} and \foo baz", r"\foo{bar} and \foo baz"),
    ("known-macro-is-text", r"\alpha", r"{\textbackslash}alpha"),
    ("no-argument-for-unknown", r"\foo é", r"\foo \'e"),
    ("hyphens-split", "a--b", "a-{}-b"),
    ("hyphen-then-en-dash", "-–", "-{}--"),
    ("apostrophes-split", "''", "'{}'"),
    ("no-macro-kept", "中文 ✓", "中文 ✓"),
    ("greek", "α", r"{\ensuremath{\alpha}}"),
    ("whitespace", "  a \n  b  ", "a b"),
    ("decomposed-accent", "e\u0301cole", r"{\'e}cole"),
]

# (id, Unicode, LaTeX written with ascii_only=False)
WRITE_UNICODE_CASES: list[tuple[str, str, str]] = [
    ("letters-stay", "Müller café Łódź", "Müller café Łódź"),
    ("dashes", "465–480 a—b", "465--480 a---b"),
    ("nbsp", f"Fig.{NBSP}1", "Fig.~1"),
    ("quotes-stay", "“quoted” …", "“quoted” …"),
    ("specials", "R&D 50% #1 a_b $5", r"R\&D 50\% \#1 a\_b \$5"),
]


def _ids(cases: list[tuple[str, str, str]]) -> list[str]:
    return [case[0] for case in cases]


@pytest.mark.parametrize(("case_id", "source", "expected"), READ_CASES, ids=_ids(READ_CASES))
def test_read_table(case_id: str, source: str, expected: str) -> None:
    """Each LaTeX spelling reads to exactly the Unicode in the table."""
    assert latex_to_unicode(source) == expected


@pytest.mark.parametrize(("case_id", "text", "expected"), WRITE_CASES, ids=_ids(WRITE_CASES))
def test_write_table(case_id: str, text: str, expected: str) -> None:
    """ascii_only output is the documented canonical form and reads back."""
    assert unicode_to_latex(text) == expected
    assert unicode_to_latex(latex_to_unicode(expected)) == expected


@pytest.mark.parametrize(
    ("case_id", "text", "expected"), WRITE_UNICODE_CASES, ids=_ids(WRITE_UNICODE_CASES)
)
def test_write_unicode_table(case_id: str, text: str, expected: str) -> None:
    """ascii_only=False escapes specials and dashes/nbsp only; letters stay Unicode."""
    assert unicode_to_latex(text, ascii_only=False) == expected
    assert latex_to_unicode(expected) == text


def test_tables_are_large_enough() -> None:
    """The tables cover what the brief asks for (60 reads, 20 writes, unique ids)."""
    assert len(READ_CASES) >= 60
    assert len(WRITE_CASES) >= 20
    for table in (READ_CASES, WRITE_CASES, WRITE_UNICODE_CASES):
        assert len(set(_ids(table))) == len(table)


# -- generated text ------------------------------------------------------------

ASCII_WORD_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()[]/'\"-+=*@<>|&%#_`~^{}"
)
# Letters and symbols with a macro, plus a few with none (kept as Unicode).
NON_ASCII = (
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ"
    "ĀāĂăĄąĆćČčĎďĒēĘęĚěĞğĪīıŁłŃńŇňŌōŐőŒœŘřŚśŞşŠšŢţŤťŪūŮůŰűŹźŻżŽžßȷǐ"
    "–—\u00a0…“”‘’«»¡¿§¶©®™°£€·×÷±µ²½αβΣΩ中✓"
)
words = st.text(alphabet=ASCII_WORD_CHARS + NON_ASCII, min_size=1, max_size=8)
math_spans = st.sampled_from(
    [r"$\alpha$", "$H_2O$", "$^{13}$", r"$x \leq y$", r"\(a+b\)", r"$$\sum_i x_i$$", "$a--b''$"]
)
# Single spaces, no leading or trailing space: what a read always gives back.
texts = st.lists(st.one_of(words, words, words, math_spans), max_size=12).map(" ".join)
# Also commands that only pass through, and lone dollars and backslashes.
unknown_commands = st.sampled_from([r"\foo", r"\foo{bar}", r"\mesorefsX{a}{b}", r"\1"])
broad_texts = st.lists(
    st.one_of(words, math_spans, unknown_commands, st.sampled_from(["$", "\\", "$5 $6"])),
    max_size=12,
).map(" ".join)

# Broken LaTeX: stray braces, dollars, backslashes, percent signs.
LATEX_NOISE = st.text(alphabet="\\{}$%~-'`^_&#[]*() \n\tabcé\u00a0")

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(st.one_of(texts, broad_texts), st.booleans())
def test_round_trip(text: str, ascii_only: bool) -> None:
    """Reading what we wrote gives the text back."""
    assert latex_to_unicode(unicode_to_latex(text, ascii_only=ascii_only)) == text


@PROPERTY_SETTINGS
@given(st.one_of(texts, broad_texts, st.text(), LATEX_NOISE), st.booleans())
def test_writing_is_canonical(text: str, ascii_only: bool) -> None:
    """Writing, reading and writing again gives the same LaTeX."""
    once = unicode_to_latex(text, ascii_only=ascii_only)
    assert unicode_to_latex(latex_to_unicode(once), ascii_only=ascii_only) == once


@PROPERTY_SETTINGS
@given(st.one_of(st.text(), broad_texts), st.booleans())
def test_written_braces_balance(text: str, ascii_only: bool) -> None:
    """Any text is written with balanced braces, so the .bib file stays valid."""
    depth = 0
    for char in unicode_to_latex(text, ascii_only=ascii_only):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


@PROPERTY_SETTINGS
@given(st.text(alphabet=NON_ASCII[:-2] + "abc -"))
def test_ascii_only_writes_ascii(text: str) -> None:
    """Every supported non-ASCII character gets a macro under ascii_only."""
    assert unicode_to_latex(text).isascii()


@PROPERTY_SETTINGS
@given(st.one_of(st.text(), LATEX_NOISE))
def test_never_raises(text: str) -> None:
    """Both directions accept any string, broken LaTeX included, and return a string."""
    read = latex_to_unicode(text)
    assert isinstance(read, str)
    assert read == read.strip(" ")
    assert isinstance(unicode_to_latex(text), str)
    assert isinstance(unicode_to_latex(text, ascii_only=False), str)


# Well-formed LaTeX pieces, glued with or without a space.
latex_pieces = st.sampled_from(
    [
        "word", "W", "{\\'e}", "\\'e", '\\"{u}', "\\ss", "\\ss{}", "{DNA}", "--", "---", "~",
        "``", "''", "-", "\\foo{bar}", "\\foo", "\\textit{x y}", "\\emph{$x$}", "$a_1$",
        "\\&", "50%", "\\c c", "\\v{s}", "{\\em x}", "\\url{a~b}", "\\\\", "\\,", "\\textendash",
        "\\frac{1}{2}", "\\cite[p.~3]{k}", "\\'{\\i}", "{\\o}", "\\(x\\)", "$$y$$", "!`", "[a]",
        '{\\"u}', "{\\'\\i}", "{\\'{\\i}}", "{\\v{s}}", "{\\c c}", "{\\ss}", "{\\AA}", "{\\relax}",
    ]
)  # fmt: skip
latex_fields = st.lists(st.tuples(latex_pieces, st.sampled_from(["", " ", "\n"]))).map(
    lambda pairs: "".join(piece + glue for piece, glue in pairs)
)


@PROPERTY_SETTINGS
@given(latex_fields)
def test_fast_scanner_agrees_with_pylatexenc(source: str) -> None:
    """Splitting a field before pylatexenc changes nothing for well-formed LaTeX."""
    whole = latex._assemble(latex._pylatexenc_parts(source))
    assert latex_to_unicode(source) == whole


accent_fields = st.lists(
    st.tuples(
        st.sampled_from(
            [
                '{\\"u}', "{\\'\\i}", "{\\'{\\i}}", "{\\v{s}}", "{\\c c}", "{\\ss}", "{\\AA}",
                "{\\L}", "{\\relax}", "{\\em x}", "{\\'e", "\\&", "\\%", "\\foo", "\\textit",
                "\\\\", "$", "$x$", "-", "--", "~", "{", "}", "M", "ller", "%",
            ]
        ),
        st.sampled_from(["", " ", "\n"]),
    )
).map(lambda pairs: "".join(piece + glue for piece, glue in pairs))  # fmt: skip


@PROPERTY_SETTINGS
@given(accent_fields)
def test_accent_groups_read_alike_swapped_or_scanned(source: str) -> None:
    """Swapping braced accents for letters up front reads the same as scanning them."""
    assert latex_to_unicode(source) == latex._assemble(latex._read_parts(source))


def test_plain_fields_never_reach_pylatexenc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text without macros (braces and ligatures included) is read without pylatexenc."""

    def fail(src: str) -> tuple[tuple[str, bool], ...]:
        raise AssertionError(f"pylatexenc called for {src!r}")

    monkeypatch.setattr(latex, "_macro_parts", fail)
    assert latex_to_unicode("  The {RNA}  world, 465--480 ``ok'' $x$ ") == (
        "The RNA world, 465–480 “ok” $x$"
    )
    assert latex_to_unicode("Plain title") == "Plain title"


BIG_INPUTS = {
    "realistic": (r"Mesoth{\'e}rapie in M{\"u}nchen: $\alpha$-helix, 465--480 \foo{x}. ") * 1700,
    "open-braces": "{" * 100_000,
    "unclosed-arguments": "\\textit{" * 12_500,
    "unclosed-unknown": "\\foo{" * 20_000,
    "unmatched-dollars": "$a{" * 33_000,
    "unmatched-parens": "\\({" * 33_000,
    "accents": "\\'e" * 33_000,
}


@pytest.mark.parametrize("name", list(BIG_INPUTS))
def test_big_inputs_complete(name: str) -> None:
    """A 100 KB field, sane or hostile, is handled (linear time, no recursion error)."""
    text = BIG_INPUTS[name]
    assert len(text) >= 99_000
    assert isinstance(latex_to_unicode(text), str)
    assert isinstance(unicode_to_latex(text), str)
