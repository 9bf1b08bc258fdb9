"""arXiv export API (Atom): records by id.

A record's ``doi`` is always the DataCite DOI arXiv registers for the preprint
(``10.48550/arXiv.<id>``): the preprint's own identity.  A journal DOI the authors gave
(``<arxiv:doi>``) names another work, the published version, so it goes to
``hints["published-doi"]`` and never to ``doi``; ``<arxiv:journal_ref>`` goes to
``hints["journal-ref"]``.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from mesorefs.errors import InvalidIdentifier, NotFound, ServiceError
from mesorefs.identifiers import arxiv_base, normalize_doi
from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve._common import record_parser
from mesorefs.resolve.http import HttpClient

__all__ = ["PUBLISHED_DOI", "arxiv_doi", "fetch", "parse_feed", "query_url"]

SERVICE = "arxiv"
PUBLISHED_DOI = "published-doi"
"""The hint that holds the journal DOI an arXiv record lists for its published version."""
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def query_url(base: str, ids: Sequence[str]) -> str:
    """``{base}/query?id_list=...``."""
    clean = [i.strip() for i in ids if i.strip()]
    if not clean:
        raise ValueError("no arXiv ids")
    return f"{base.rstrip('/')}/query?{urlencode({'id_list': ','.join(clean)})}"


def arxiv_doi(arxiv_id: str) -> str:
    """The DataCite DOI arXiv registers for a preprint (no version): ``10.48550/arXiv.<id>``."""
    return f"10.48550/arXiv.{arxiv_base(arxiv_id)}"


def _text(node: ET.Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    return " ".join(node.text.split()) or None


@record_parser(SERVICE)
def parse_feed(text: str) -> list[Reference]:
    """The entries of an arXiv Atom feed; an error entry (sent with 200) raises ServiceError."""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise ServiceError("malformed arXiv feed", SERVICE) from exc
    out: list[Reference] = []
    for entry in root.findall("a:entry", _NS):
        entry_id = _text(entry.find("a:id", _NS)) or ""
        title = _text(entry.find("a:title", _NS))
        if title == "Error" or "/api/errors" in entry_id:
            raise ServiceError(_text(entry.find("a:summary", _NS)) or "arXiv error", SERVICE)
        try:
            base_id = arxiv_base(entry_id.rsplit("/abs/", 1)[-1])
        except InvalidIdentifier as exc:
            raise ServiceError(
                f"an arXiv entry without a usable id: {entry_id!r}", SERVICE
            ) from exc
        fields: dict[str, Any] = {"type": "article", "title": title, "arxiv": base_id}
        authors = []
        for author in entry.findall("a:author", _NS):
            name = _text(author.find("a:name", _NS))
            if name:
                parts = name.split()
                authors.append(Person(family=parts[-1], given=" ".join(parts[:-1]) or None))
        fields["authors"] = authors
        published = _text(entry.find("a:published", _NS)) or ""
        if published[:4].isdigit():
            fields["issued"] = PartialDate(
                year=int(published[:4]),
                month=int(published[5:7]) if published[5:7].isdigit() else None,
                day=int(published[8:10]) if published[8:10].isdigit() else None,
            )
        fields["abstract"] = _text(entry.find("a:summary", _NS))
        fields["doi"] = arxiv_doi(base_id)
        hints: dict[str, str] = {}
        journal_doi = _text(entry.find("arxiv:doi", _NS))
        if journal_doi:
            # Authors' free text: a value that is no DOI is dropped, the record kept.
            with contextlib.suppress(InvalidIdentifier):
                hints[PUBLISHED_DOI] = normalize_doi(journal_doi)
        journal_ref = _text(entry.find("arxiv:journal_ref", _NS))
        if journal_ref:
            hints["journal-ref"] = journal_ref
        fields["hints"] = hints
        fields["url"] = f"https://arxiv.org/abs/{base_id}"
        out.append(Reference.model_validate({k: v for k, v in fields.items() if v}))
    return out


def fetch(client: HttpClient, ids: Sequence[str]) -> list[Reference]:
    """arXiv records for ``ids`` (NotFound when the feed is empty)."""
    url = query_url(client.settings.base_url("arxiv"), ids)
    records = parse_feed(client.get(SERVICE, url, identifier=",".join(ids)).text)
    if not records:
        raise NotFound("no such arXiv id", SERVICE, ",".join(ids))
    return records
