"""`lint --online` says when no record of a work is found (MR209), through verify."""

from __future__ import annotations

from mesorefs.library import Library
from mesorefs.lint import lint
from mesorefs.resolve import Resolver
from mesorefs.settings import Settings
from resolve.fakes import LocalServer, send

from .conftest import bib

INVENTED = {
    "title": "Quantum Entanglement of Migrating Lichen Colonies",
    "author": "Nobody, Ann",
    "journal": "Journal of Improbable Botany",
    "year": 2019,
}


def test_mr209_names_a_work_no_service_knows(standin: tuple[LocalServer, Settings]) -> None:
    """An invented work is reported once, as an error on its title; offline nothing is said."""
    server, settings = standin
    server.routes["/works"] = lambda r: send(
        r, 200, '{"status":"ok","message":{"items":[],"total-results":0}}'
    )
    library = Library.loads(bib(key="ghost", **INVENTED), "bibtex", "refs.bib")
    with Resolver(settings) as resolver:
        findings = lint(library, resolver=resolver, select=["MR209"])
    (finding,) = findings
    assert (finding.check, finding.key, finding.severity) == ("MR209", "ghost", "error")
    assert "no record of this work was found" in finding.message
    assert not lint(library, select=["MR209"])
