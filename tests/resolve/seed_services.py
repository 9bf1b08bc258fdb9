"""Local stand-ins for Crossref and PubMed loaded with the seed papers' records.

The records hold verified facts only (``data/seed_crossref_items.json`` and
``data/seed_pubmed_efetch_*.xml``, built from the seed facts file): a seed paper without
a PMID in the facts has no PubMed record, so PubMed's search finds nothing for it.

* ``/works?query.bibliographic=...``: a search that ranks the items by words shared
  with the query (Crossref's work-list JSON);
* ``/works/{doi}``: the item of a DOI (Crossref's work JSON) or Crossref's 404;
* ``/eutils/esearch.fcgi?term="{doi}"[doi]``: esearch JSON with the PMID of the DOI;
* ``/eutils/efetch.fcgi?id=...``: the PubmedArticleSet of the known PMIDs (empty for
  unknown ones, as NCBI answers).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from mesorefs.settings import Settings

from .fakes import Handler, LocalServer, send

__all__ = [
    "PUBMED_PATH",
    "SEED",
    "SEED_KEYS",
    "crossref_handler",
    "efetch_handler",
    "esearch_handler",
    "pubmed_articles",
    "seed_items",
    "serve_seed",
]

DATA = Path(__file__).parent / "data"
SEED: dict[str, Any] = json.loads((DATA / "seed_crossref_items.json").read_text(encoding="utf-8"))
SEED_KEYS: list[str] = [r["key"] for r in SEED["records"]]
PUBMED_PATH = "/eutils"
_DOI_TERM = re.compile(r'^\s*"?(?P<doi>10\.[^"\s]+?)"?\s*\[doi\]\s*$', re.IGNORECASE)


def seed_items(without: str | None = None, distractors: bool = True) -> list[dict[str, Any]]:
    """The seed papers' Crossref items (but ``without``'s), then the distractors."""
    items = [r["item"] for r in SEED["records"] if r["key"] != without]
    if distractors:
        items += [d["item"] for d in SEED["distractors"]]
    return items


def pubmed_articles() -> dict[str, ET.Element]:
    """The seed's PubmedArticle elements by PMID (from ``data/seed_pubmed_efetch_*.xml``)."""
    articles: dict[str, ET.Element] = {}
    for path in sorted(DATA.glob("seed_pubmed_efetch_*.xml")):
        root = ET.fromstring(path.read_bytes())
        for article in root.findall("PubmedArticle"):
            pmid = article.findtext("MedlineCitation/PMID")
            if pmid:
                articles[pmid.strip()] = article
    return articles


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _query(request: BaseHTTPRequestHandler) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.path).query)


def crossref_handler(items: list[dict[str, Any]]) -> Handler:
    """``/works``: a search ranking ``items`` by shared words, and works by DOI."""
    by_doi = {str(i["DOI"]).lower(): i for i in items if i.get("DOI")}

    def handle(request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        if path.startswith("/works/"):
            item = by_doi.get(unquote(path[len("/works/") :]).lower())
            if item is None:
                send(request, 404, "Resource not found.", "text/plain")
                return
            work = {"status": "ok", "message-type": "work", "message": item}
            send(request, 200, json.dumps(work))
            return
        query = _query(request)
        words = _words(query.get("query.bibliographic", [""])[0])
        rows = int(query.get("rows", ["5"])[0])

        def overlap(item: dict[str, Any]) -> int:
            text = json.dumps([item.get("title"), item.get("author"), item.get("container-title")])
            return len(words & _words(text))

        ranked = sorted(items, key=overlap, reverse=True)[:rows]
        body = {"status": "ok", "message-type": "work-list", "message": {"items": ranked}}
        send(request, 200, json.dumps(body))

    return handle


def _dois(article: ET.Element) -> set[str]:
    found = {
        (node.text or "").strip().lower()
        for node in article.iter()
        if node.tag in ("ELocationID", "ArticleId")
        and (node.get("EIdType") or node.get("IdType")) == "doi"
    }
    return found - {""}


def esearch_handler(articles: Mapping[str, ET.Element]) -> Handler:
    """``esearch.fcgi``: the PMIDs whose record carries the DOI of a ``"<doi>"[doi]`` term."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        query = _query(request)
        term = query.get("term", [""])[0]
        retmax = int(query.get("retmax", ["20"])[0])
        match = _DOI_TERM.match(term)
        if not term.strip():
            result: dict[str, Any] = {"ERROR": "Empty term and query_key - nothing todo"}
        else:
            doi = match.group("doi").lower() if match else None
            ids = [pmid for pmid, a in articles.items() if doi is not None and doi in _dois(a)]
            result = {
                "count": str(len(ids)),
                "retmax": str(min(len(ids), retmax)),
                "retstart": "0",
                "idlist": ids[:retmax],
                "translationset": [],
                "querytranslation": term,
            }
            if not ids:
                result["warninglist"] = {
                    "phrasesignored": [],
                    "quotedphrasesnotfound": [term],
                    "outputmessages": ["No items found."],
                }
        body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
        send(request, 200, json.dumps(body))

    return handle


def efetch_handler(articles: Mapping[str, ET.Element]) -> Handler:
    """``efetch.fcgi``: a PubmedArticleSet of the known PMIDs among ``id``."""

    def handle(request: BaseHTTPRequestHandler) -> None:
        ids = _query(request).get("id", [""])[0].split(",")
        body = "".join(ET.tostring(articles[i], encoding="unicode") for i in ids if i in articles)
        text = f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'
        send(request, 200, text, "text/xml; charset=UTF-8")

    return handle


def serve_seed(
    server: LocalServer,
    items: Iterable[dict[str, Any]] | None = None,
    articles: Mapping[str, ET.Element] | None = None,
    **settings: Any,
) -> Settings:
    """Route ``server`` as Crossref and PubMed with the seed records; settings that use it."""
    pubmed = pubmed_articles() if articles is None else articles
    server.routes["/works"] = crossref_handler(list(seed_items() if items is None else items))
    server.routes[f"{PUBMED_PATH}/esearch.fcgi"] = esearch_handler(pubmed)
    server.routes[f"{PUBMED_PATH}/efetch.fcgi"] = efetch_handler(pubmed)
    options: dict[str, Any] = {
        "crossref_url": server.url,
        "pubmed_url": server.url + PUBMED_PATH,
        "doi_url": server.url + "/doi",
        "datacite_url": server.url + "/datacite",
        "openalex_url": server.url + "/openalex",
        "arxiv_url": server.url + "/arxiv",
        "cache": False,
    }
    options.update(settings)
    return Settings.load(env={}, config_file=Path("/nonexistent/mesorefs.toml"), **options)
