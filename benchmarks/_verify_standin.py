"""A loopback stand-in for the services verify_bench.py asks, in their real formats.

One index of works (Crossref items made from real records, some with an arXiv preprint
version) answers as:

* Crossref: ``/works/{doi}`` (work JSON, or the plain-text 404), ``/works/{doi}/agency``
  (the 404 Crossref sends for a DOI it does not know), ``/works?query.bibliographic=``
  (BM25 over title, authors, container, year, volume, issue, pages);
* doi.org: ``/doi/{doi}`` CSL-JSON for a known DOI (the published works and the arXiv
  DOIs ``10.48550/arXiv.<id>``), its HTML 404 otherwise; ``/doi/api/handles/{doi}``
  the handle API's 404 JSON;
* arXiv: ``/arxiv/query?id_list=`` an Atom feed (empty when the id is unknown);
* Semantic Scholar: ``/s2/graph/v1/paper/search/match`` (the best title hit, or 404
  ``{"error": "Title match not found"}`` when it shares fewer than 60 % of the query's
  words, an approximation of S2's own threshold), ``/s2/graph/v1/paper/search`` (up to
  ``limit`` title hits), ``/s2/graph/v1/paper/{paperId}`` (title, authors as one
  ``name`` each, year, venue, externalIds with DOI and ArXiv);
* OpenAlex: ``/openalex/works?search=`` and ``/openalex/works/doi:{doi}``.

Crossref and doi.org give a DOI's title as Crossref holds it (markup such as ``<i>`` and
character references kept); arXiv, DataCite, Semantic Scholar and OpenAlex as plain text.

Shapes follow shared/data/apis (the recorded samples and the notes beside them).
"""

from __future__ import annotations

import collections
import hashlib
import json
import math
import multiprocessing
import re
import threading
import unicodedata
from collections.abc import Sequence
from html import escape, unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_WORD = re.compile(r"\w+")
DOI_404 = (
    "<!DOCTYPE html><html><head><title>Error: DOI Not Found</title></head><body>"
    "<h1>DOI Not Found</h1><p>{doi}</p></body></html>"
)


def tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.lower())
    return [t for t in _WORD.findall(text) if len(t) > 1 or t.isdigit()]


class Bm25:
    """BM25 over one text per document."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.postings: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
        self.lengths: list[int] = []
        for i, text in enumerate(texts):
            counts = collections.Counter(tokens(text))
            self.lengths.append(sum(counts.values()))
            for token, count in counts.items():
                self.postings[token].append((i, count))
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        n = len(texts)
        self.idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()
        }

    def top(self, text: str, rows: int) -> list[tuple[int, float]]:
        scores: dict[int, float] = collections.defaultdict(float)
        for token in set(tokens(text)):
            for doc, tf in self.postings.get(token, ()):
                norm = tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * self.lengths[doc] / self.avg))
                scores[doc] += self.idf[token] * norm
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:rows]


def _paper_id(doi: str) -> str:
    return hashlib.sha1(doi.lower().encode("utf-8")).hexdigest()


def plain_title(item: dict[str, Any]) -> str:
    """The item's title as Semantic Scholar and OpenAlex show it: markup dropped and
    character references decoded (Crossref keeps ``<i>`` and ``&amp;`` in its titles)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", item.get("title", [""])[0])).split())


def _name(author: dict[str, Any]) -> str:
    return " ".join(p for p in (author.get("given"), author.get("family")) if p)


class Works:
    """The works behind every service: Crossref items plus arXiv versions by id."""

    def __init__(self, items: list[dict[str, Any]], preprints: dict[str, dict[str, Any]]) -> None:
        self.items = items
        self.preprints = preprints  # arXiv id -> {"item": published item, "year": int}
        self.by_doi = {i["DOI"].lower(): i for i in items}
        self.arxiv_of = {p["item"]["DOI"].lower(): a for a, p in preprints.items()}
        self.by_arxiv_doi = {f"10.48550/arxiv.{a}": a for a in preprints}
        self.by_paper = {_paper_id(i["DOI"]): i for i in items}
        self.full = Bm25([_item_text(i) for i in items])
        self.titles = Bm25([" ".join(i.get("title", [""])) for i in items])

    # -- Crossref -----------------------------------------------------------------------

    def crossref(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
        if path == "/works":
            text = query.get("query.bibliographic", [""])[0]
            rows = int(query.get("rows", ["5"])[0])
            found = [{**self.items[d], "score": round(s, 3)} for d, s in self.full.top(text, rows)]
            message = {"total-results": len(found), "items": found, "items-per-page": rows}
            body = {"status": "ok", "message-type": "work-list", "message": message}
            return 200, json.dumps(body), "application/json"
        if path.startswith("/works/"):
            doi = unquote(path[len("/works/") :])
            if doi.endswith("/agency"):
                doi = doi[: -len("/agency")]
                if doi.lower() in self.by_doi:
                    agency = {"DOI": doi, "agency": {"id": "crossref", "label": "Crossref"}}
                    body = {"status": "ok", "message-type": "work-agency", "message": agency}
                    return 200, json.dumps(body), "application/json"
                return 404, "Resource not found.", "text/plain"
            item = self.by_doi.get(doi.lower())
            if item is not None:
                body = {"status": "ok", "message-type": "work", "message": item}
                return 200, json.dumps(body), "application/json"
        return 404, "Resource not found.", "text/plain"

    # -- doi.org ------------------------------------------------------------------------

    def csl(self, doi: str) -> dict[str, Any] | None:
        item = self.by_doi.get(doi.lower())
        arxiv_id = self.by_arxiv_doi.get(doi.lower())
        if item is None and arxiv_id is not None:
            item = self.preprints[arxiv_id]["item"]
            year = self.preprints[arxiv_id]["year"]
            return {
                "type": "article",
                "DOI": doi,
                "title": plain_title(item),
                "author": item.get("author", []),
                "issued": {"date-parts": [[year]]},
                "publisher": "arXiv",
            }
        if item is None:
            return None
        csl: dict[str, Any] = {"type": "article-journal", "DOI": item["DOI"]}
        csl["title"] = item.get("title", [""])[0]
        csl["author"] = item.get("author", [])
        csl["container-title"] = (item.get("container-title") or [""])[0]
        if "issued" in item:
            csl["issued"] = item["issued"]
        for name in ("volume", "issue", "page"):
            if name in item:
                csl[name] = item[name]
        return csl

    def doiorg(self, path: str) -> tuple[int, str, str]:
        if path.startswith("/api/handles/"):
            doi = unquote(path[len("/api/handles/") :])
            if self.csl(doi) is None:
                return 404, json.dumps({"responseCode": 100, "handle": doi}), "application/json"
            return 200, json.dumps({"responseCode": 1, "handle": doi}), "application/json"
        doi = unquote(path.lstrip("/"))
        csl = self.csl(doi)
        if csl is None:
            return 404, DOI_404.format(doi=escape(doi)), "text/html; charset=utf-8"
        return 200, json.dumps(csl), "application/vnd.citationstyles.csl+json"

    # -- arXiv --------------------------------------------------------------------------

    def arxiv(self, query: dict[str, list[str]]) -> tuple[int, str, str]:
        entries = []
        for wanted in query.get("id_list", [""])[0].split(","):
            base = re.sub(r"v\d+$", "", wanted.strip())
            found = self.preprints.get(base)
            if found is None:
                continue
            item, year = found["item"], found["year"]
            authors = "".join(
                f"<author><name>{escape(_name(a))}</name></author>" for a in item.get("author", [])
            )
            entries.append(
                f"<entry><id>http://arxiv.org/abs/{base}v1</id>"
                f"<published>{year}-03-01T00:00:00Z</published>"
                f"<updated>{year}-03-01T00:00:00Z</updated>"
                f"<title>{escape(plain_title(item))}</title><summary>-</summary>{authors}"
                f"<arxiv:doi>{escape(item['DOI'])}</arxiv:doi>"
                f'<link href="http://arxiv.org/abs/{base}v1" rel="alternate" type="text/html"/>'
                "</entry>"
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom"><id>https://arxiv.org/api/q</id>'
            f"<title>arXiv Query</title>{''.join(entries)}</feed>\n"
        )
        return 200, feed, "application/atom+xml; charset=UTF-8"

    # -- Semantic Scholar ---------------------------------------------------------------

    def _paper(self, item: dict[str, Any]) -> dict[str, Any]:
        ids: dict[str, Any] = {"DOI": item["DOI"]}
        arxiv_id = self.arxiv_of.get(item["DOI"].lower())
        if arxiv_id:
            ids["ArXiv"] = arxiv_id
        year = item.get("issued", {}).get("date-parts", [[None]])[0][0]
        return {
            "paperId": _paper_id(item["DOI"]),
            "externalIds": ids,
            "title": plain_title(item),
            "venue": (item.get("container-title") or [""])[0],
            "year": year,
            "authors": [
                {"authorId": str(i), "name": _name(a)} for i, a in enumerate(item.get("author", []))
            ],
        }

    def s2(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
        text = query.get("query", [""])[0]
        if path == "/graph/v1/paper/search/match":
            hits = self.titles.top(text, 1)
            if hits:
                item = self.items[hits[0][0]]
                words = set(tokens(text))
                shared = words & set(tokens(plain_title(item)))
                if words and len(shared) >= 0.6 * len(words):
                    paper = {
                        "paperId": _paper_id(item["DOI"]),
                        "title": plain_title(item),
                        "matchScore": round(hits[0][1] * 10, 3),
                    }
                    return 200, json.dumps({"data": [paper]}), "application/json"
            return 404, json.dumps({"error": "Title match not found"}), "application/json"
        if path == "/graph/v1/paper/search":
            limit = int(query.get("limit", ["10"])[0])
            data = [
                {"paperId": _paper_id(self.items[d]["DOI"]), "title": plain_title(self.items[d])}
                for d, _ in self.titles.top(text, limit)
            ]
            return (
                200,
                json.dumps({"total": len(data), "offset": 0, "data": data}),
                "application/json",
            )
        if path.startswith("/graph/v1/paper/"):
            item = self.by_paper.get(path[len("/graph/v1/paper/") :])
            if item is not None:
                return 200, json.dumps(self._paper(item)), "application/json"
        body = {"error": f"Paper with id {path.rsplit('/', 1)[-1]} not found"}
        return 404, json.dumps(body), "application/json"

    # -- OpenAlex -----------------------------------------------------------------------

    def _work(self, item: dict[str, Any]) -> dict[str, Any]:
        year = item.get("issued", {}).get("date-parts", [[None]])[0][0]
        return {
            "id": f"https://openalex.org/W{int(_paper_id(item['DOI'])[:12], 16)}",
            "doi": f"https://doi.org/{item['DOI']}",
            "display_name": plain_title(item),
            "title": plain_title(item),
            "publication_year": year,
            "type": "article",
            "authorships": [
                {"author_position": "middle", "author": {"display_name": _name(a)}}
                for a in item.get("author", [])
            ],
            "primary_location": {
                "source": {"display_name": (item.get("container-title") or [""])[0]}
            },
            "biblio": {
                "volume": item.get("volume"),
                "issue": item.get("issue"),
                "first_page": (item.get("page") or "").split("-")[0] or None,
                "last_page": None,
            },
        }

    def preprint_work(self, arxiv_id: str) -> dict[str, Any]:
        """OpenAlex's work of an arXiv preprint (its DataCite DOI ``10.48550/arXiv.<id>``)."""
        found = self.preprints[arxiv_id]
        work = self._work(found["item"])
        work["id"] = f"https://openalex.org/W{int(_paper_id(arxiv_id)[:12], 16)}"
        work["doi"] = f"https://doi.org/10.48550/arxiv.{arxiv_id}"
        work["publication_year"] = found["year"]
        work["type"] = "preprint"
        work["primary_location"] = {"source": {"display_name": "arXiv (Cornell University)"}}
        work["biblio"] = {"volume": None, "issue": None, "first_page": None, "last_page": None}
        return work

    def openalex(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
        if path.startswith("/works/doi:"):
            item = self.by_doi.get(unquote(path[len("/works/doi:") :]).lower())
            if item is None:
                return 404, json.dumps({"error": "Not Found"}), "application/json"
            return 200, json.dumps(self._work(item)), "application/json"
        if path == "/works":
            text = query.get("search", [""])[0]
            rows = int(query.get("per-page", query.get("per_page", ["5"]))[0])
            results = [self._work(self.items[d]) for d, _ in self.full.top(text, rows)]
            body = {"meta": {"count": len(results), "page": 1}, "results": results}
            return 200, json.dumps(body), "application/json"
        return 404, json.dumps({"error": "Not Found"}), "application/json"

    def answer(self, raw_path: str) -> tuple[int, str, str]:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query)
        path = parts.path
        for prefix, handler in (
            ("/doi", lambda p: self.doiorg(p)),
            ("/arxiv", lambda p: self.arxiv(query)),
            ("/s2", lambda p: self.s2(p, query)),
            ("/openalex", lambda p: self.openalex(p, query)),
        ):
            if path.startswith(prefix + "/"):
                return handler(path[len(prefix) :])
        return self.crossref(path, query)


def _item_text(item: dict[str, Any]) -> str:
    return " ".join(
        [
            " ".join(item.get("title", [])),
            " ".join(item.get("container-title", [])),
            " ".join(_name(a) for a in item.get("author", [])),
            str(item.get("issued", {}).get("date-parts", [[""]])[0][0]),
            item.get("volume", ""),
            item.get("issue", ""),
            item.get("page", "").replace("-", " "),
        ]
    )


def serve(works: Works, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            status, body, kind = works.answer(self.path)
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_in_child(works: Works) -> tuple[Any, str]:
    """The stand-in in a forked process, so its CPU time is not the clients'."""
    probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = probe.server_address[1]
    probe.server_close()
    ready = multiprocessing.get_context("fork").Event()

    def run() -> None:
        serve(works, port)
        ready.set()
        threading.Event().wait()

    child = multiprocessing.get_context("fork").Process(target=run, daemon=True)
    child.start()
    if not ready.wait(30):
        raise RuntimeError("the stand-in did not start")
    return child, f"http://127.0.0.1:{port}"
