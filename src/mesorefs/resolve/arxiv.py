"""arXiv export API (Atom): records by id."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from mesorefs.errors import NotFound, ServiceError
from mesorefs.models import PartialDate, Person, Reference
from mesorefs.resolve.http import HttpClient

__all__ = ["fetch", "parse_feed", "query_url"]

SERVICE = "arxiv"
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def query_url(base: str, ids: Sequence[str]) -> str:
    """``{base}/query?id_list=...``."""
    clean = [i.strip() for i in ids if i.strip()]
    if not clean:
        raise ValueError("no arXiv ids")
    return f"{base.rstrip('/')}/query?{urlencode({'id_list': ','.join(clean)})}"


def _text(node: ET.Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    return " ".join(node.text.split()) or None


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
        arxiv_id = entry_id.rsplit("/abs/", 1)[-1]
        base_id = arxiv_id.rsplit("v", 1)[0] if "v" in arxiv_id[-4:] else arxiv_id
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
        doi = _text(entry.find("arxiv:doi", _NS))
        fields["doi"] = doi or f"10.48550/arXiv.{base_id}"
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
