"""The fuzz targets and their input strategies, shared by the CI tests and the long run.

Each target takes one generated input and returns normally or raises a MesorefsError;
anything else is a bug.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from mesorefs.claims.document import parse_document
from mesorefs.claims.llm import parse_answer
from mesorefs.formats.csl_json import loads_csl_json
from mesorefs.formats.ris import loads_ris
from mesorefs.library import Library
from mesorefs.models import Reference
from mesorefs.parsing import parse_block, parse_reference
from mesorefs.render import format_bibliography
from mesorefs.resolve import Resolver
from mesorefs.settings import Settings
from mesorefs.snapshot.layout import parse_manifest
from mesorefs.snapshot.sources import read_source
from mesorefs.textfile import decode_text
from resolve.fakes import LocalServer, reply

# Every code point, lone surrogates included: JSON and callers can hand those in.
ANY_CHAR = st.characters(codec=None, categories=None)
ANY_TEXT = st.text(ANY_CHAR, max_size=200)


def _pieces(*pieces: str) -> st.SearchStrategy[str]:
    """Text built from pieces of the format mixed with arbitrary characters."""
    part = st.sampled_from(pieces) | st.text(ANY_CHAR, max_size=6)
    return st.lists(part, max_size=40).map("".join)


BIBTEX = _pieces(
    "@article{",
    "@book{",
    "@string{s = ",
    "@comment{",
    "@preamble{",
    "k1,",
    "key,",
    "title = ",
    "author = ",
    "year = ",
    "month = ",
    "pages = ",
    "doi = ",
    "file = ",
    "{",
    "}",
    '"',
    "#",
    ",",
    "\n",
    " and ",
    "Doe, J.",
    "{\\'e}",
    "\\",
    "$x^2$",
    "--",
    "jan",
    "2020",
    "10.1000/x",
    "%",
)
RIS = _pieces(
    "TY  - JOUR\n",
    "ER  - \n",
    "AU  - ",
    "TI  - ",
    "PY  - ",
    "DA  - ",
    "SP  - ",
    "EP  - ",
    "DO  - ",
    "UR  - ",
    "N1  - ",
    "JO  - ",
    "VL  - ",
    "SN  - ",
    "KW  - ",
    "ID  - ",
    "\n",
    "Doe, J",
    "2020/01/02",
    "1-2",
    ",",
)
REFERENCE = _pieces(
    "Smith J",
    ", ",
    ". ",
    "(2020)",
    "2001;4:1-5",
    "doi:10.1/x",
    "J Things",
    "et al.",
    "[1] ",
    "1. ",
    "\n",
    "–",
    "…",
    "In: ",
    "pp. ",
    "Vol. ",
    "https://x.org/a",
)
DOCUMENT = _pieces(
    "Mesotherapy reduces fat. ",
    "# Heading\n",
    "- item\n",
    "1. item\n",
    "<p>",
    "</p>",
    "<a href='#r1'>",
    "[1]",
    "(Smith, 2020)",
    "[@key]",
    "\\cite{k}",
    "\n\n",
    "e.g.",
    "vs.",
    "References\n",
    "<script>",
    "**",
    "`",
    "> ",
)

JSON_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | ANY_TEXT
)
CSL_KEYS = st.sampled_from(
    [
        "id",
        "type",
        "title",
        "author",
        "editor",
        "issued",
        "date-parts",
        "family",
        "given",
        "literal",
        "DOI",
        "ISSN",
        "page",
        "volume",
        "custom",
        "mesorefs",
        "provenance",
        "raw",
        "container-title",
        "URL",
        "locked",
        "truncated",
        "hints",
        "updates",
        "kind",
    ]
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(CSL_KEYS | ANY_TEXT, children, max_size=6)
    ),
    max_leaves=40,
)


def json_text(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


CSL_JSON = JSON_VALUE.map(json_text) | st.builds(
    lambda depth, tail: "[" * depth + tail, st.integers(0, 3000), st.sampled_from(["", "]", "{"])
)
ENV_NAMES = st.sampled_from(
    ["MESOREFS_" + name.upper() for name in Settings.model_fields] + ["MESOREFS_CONFIG"]
)
SETTINGS_ENV = st.dictionaries(ENV_NAMES, ANY_TEXT.filter(lambda t: "\0" not in t), max_size=4)
TOML = _pieces(
    "mailto = ",
    "[mesorefs]\n",
    "read_timeout = ",
    '"x"',
    "3",
    "-1",
    "[",
    "]",
    "\n",
    "rate_limits = {crossref = 2}",
    "offline = maybe",
    "true",
)
RAW_BYTES = st.binary(max_size=400)


def bibtex(text: str) -> None:
    Library.from_bibtex(text, "fuzz.bib").to_bibtex()


def csl_json(text: str) -> None:
    Library(loads_csl_json(text, "fuzz.json")).to_bibtex()


def csl_item(value: Any) -> None:
    if isinstance(value, dict):
        Reference.from_csl(value).to_csl()


def ris(text: str) -> None:
    Library(loads_ris(text, "fuzz.ris")).to_bibtex()


def reference_string(text: str) -> None:
    parse_reference(text)


def reference_block(text: str) -> None:
    parse_block(text)


def document(text: str) -> None:
    parse_document(text)


def text_bytes(data: bytes) -> None:
    decode_text(data, "fuzz")


def settings(env: dict[str, str], toml: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        config.write_text(toml, encoding="utf-8", errors="surrogatepass")
        env = {k: v for k, v in env.items() if k != "MESOREFS_CONFIG"}
        Settings.load(env=env, config_file=config)


def server_payload(server: LocalServer, body: str | bytes) -> None:
    """One entry resolved against a server that answers ``body`` to everything: a result
    (perhaps an error result) must come back, never an exception."""
    server.routes["/"] = reply(200, body)
    url = server.url
    with tempfile.TemporaryDirectory() as folder:
        options = {
            f"{name}_url": f"{url}/{name}"
            for name in ("crossref", "doi", "datacite", "pubmed", "openalex", "arxiv")
        }
        config = Settings.load(
            env={},
            config_file=Path(folder) / "none.toml",
            cache=False,
            max_retries=0,
            request_deadline=5.0,
            **options,
        )
        entries = [
            Reference(title="Mesotherapy for body contouring", doi="10.1097/01.x"),
            Reference(title="Mesotherapy: what is new?", pmid="123"),
            Reference(title="Mesotherapy and phosphatidylcholine injections"),
        ]
        with Resolver(config) as resolver:
            results = resolver.resolve_many(entries, workers=1)
        assert len(results) == len(entries)
        for result in results:
            result.reference.model_dump_json()
            Library([result.reference]).to_bibtex()


SERVER_BODY = (
    JSON_VALUE.map(json_text)
    | st.builds(
        lambda items: json.dumps({"status": "ok", "message-type": "work", "message": items}),
        st.dictionaries(
            CSL_KEYS | st.sampled_from(["DOI", "published", "ISSN", "page"]), JSON_VALUE, max_size=6
        ),
    )
    | _pieces(
        "<?xml version='1.0'?>",
        "<eSearchResult>",
        "<IdList><Id>1</Id></IdList>",
        "<PubmedArticleSet>",
        "<feed>",
        "<entry>",
        "</entry>",
        "&lt;",
        "<!DOCTYPE x [",
    )
)


# -- the readers issue 27 added bounds to: snapshot sources and manifests, CSL styles, and
# the answers of an OpenAI-compatible verifier.

WORK_KEYS = st.sampled_from(
    ["DOI", "id", "title", "author", "issued", "published", "type", "update-to", "relation",
     "container-title", "publication_year", "authorships", "display_name", "doi", "items",
     "message", "family", "given", "date-parts", "updated_by", "indexed", "volume", "page"]
)  # fmt: skip
WORK_VALUE = st.recursive(
    JSON_LEAF,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(WORK_KEYS | ANY_TEXT, children, max_size=6)
    ),
    max_leaves=40,
)


def _source_bytes(shape: str, works: list[Any], raw: bytes) -> bytes:
    if shape == "items":
        return json.dumps({"items": works}, allow_nan=True).encode("utf-8", "surrogatepass")
    if shape == "lines":
        lines = (json.dumps(w, allow_nan=True) for w in works)
        return "\n".join(lines).encode("utf-8", "surrogatepass")
    return raw


SNAPSHOT_SOURCE = st.tuples(
    st.sampled_from(["items", "lines", "raw"]),
    st.lists(WORK_VALUE, max_size=4),
    RAW_BYTES,
    st.booleans(),
).map(lambda t: (_source_bytes(t[0], t[1], t[2]), t[3]))


def snapshot_source(data: tuple[bytes, bool]) -> None:
    """A source file of any content, gzipped or not: its records or why it was skipped."""
    body, zipped = data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("part.json.gz" if zipped else "part.json")
        path.write_bytes(gzip.compress(body) if zipped else body)
        result = read_source(str(path))
        assert result.error is None or not result.records


MANIFEST_KEYS = st.sampled_from(
    ["format", "partitions", "records", "indexes", "built", "crossref", "openalex"]
)
MANIFEST = st.one_of(
    st.recursive(
        JSON_LEAF | st.sampled_from(["index/crossref-20261207T070304-376e6b", "../x", "/etc"]),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(MANIFEST_KEYS | ANY_TEXT, children, max_size=6)
        ),
        max_leaves=30,
    ).map(json_text),
    _pieces('{"format": ', "1", '"partitions": ', '"indexes": {', '"crossref": ', "}", ",", "["),
)


def manifest(text: str) -> None:
    """Any manifest text: a checked manifest, or a one-line InputError."""
    parse_manifest(text, "fuzz/manifest.json")


STYLE = _pieces(
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?xml version="1.0" encoding="ISO-8859-1"?>',
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">',
    "<info><title>T</title><id>x</id></info>",
    "<citation><layout>",
    "</layout></citation>",
    "<bibliography><layout>",
    "</layout></bibliography>",
    '<text variable="title"/>',
    '<names variable="author"><name/></names>',
    '<macro name="m">',
    '<text macro="m"/>',
    "</macro>",
    "</style>",
    "<!-- c -->",
    "<!DOCTYPE x [",
    '<!ENTITY e "ee">',
    "&e;",
    "<group>",
    "</group>",
)
_STYLE_REFERENCE = Reference(key="k", title="A title", issued={"year": 2001})


def csl_style(text: str) -> None:
    """Any style file: entries, or a one-line RenderError naming the style."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csl"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        format_bibliography([_STYLE_REFERENCE], style=str(path))


ANSWER = st.one_of(
    JSON_VALUE,
    st.builds(
        lambda content: {"choices": [{"message": {"content": content}}]},
        ANY_TEXT
        | JSON_VALUE.map(json_text)
        | st.builds(
            lambda stance, quote: json.dumps({"stance": stance, "quote": quote}),
            st.sampled_from(["supports", "contradicts", "neutral", "SUPPORTS", ""]) | ANY_TEXT,
            ANY_TEXT | st.just("small doses injected into the middle layer of the skin"),
        )
        | st.builds(lambda depth: "{" * depth + "}" * depth, st.integers(0, 100_000)),
    ),
)
_PASSAGE = "Mesotherapy is small doses injected into the middle layer of the skin, it says."


def verifier_answer(value: Any) -> None:
    """Any chat answer: a judgement, or a one-line VerifierError."""
    parse_answer(value, _PASSAGE, "Mesotherapy is injected into the skin.")
