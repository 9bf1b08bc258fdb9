"""Resolve references online: Crossref, DataCite, doi.org, PubMed, OpenAlex, arXiv.

:meth:`Resolver.resolve <mesorefs.resolve.resolver.Resolver.resolve>` runs, for one
reference:

1. **Find.**  By the first identifier the entry has:

   * a DOI: Crossref's work; for a DOI Crossref does not hold, the registration agency
     decides: DataCite's API for DataCite DOIs, doi.org content negotiation otherwise;
   * else a PMID: PubMed's record;
   * else an arXiv id: arXiv's record of that id;
   * else a search: Crossref's ``query.bibliographic`` with what the entry says
     (:func:`~mesorefs.resolve.results.bibliographic_query`), and, with
     ``search_openalex`` on and no Crossref candidate at the threshold, OpenAlex's search.

2. **Validate.**  The record of the entry's own identifier must agree with the entry's
   title and authors (:func:`~mesorefs.resolve.decide.mismatch_reason`), else the result
   is ``mismatch`` and nothing is merged.  Search candidates are scored and one is
   accepted only at or above the threshold and clear of any rival
   (:func:`~mesorefs.resolve.decide.choose`), else ``abstained``: a wrong DOI is worse
   than none.

3. **Merge** (:func:`~mesorefs.resolve.merge.merge`): missing fields filled with
   provenance, the entry's own values kept and disagreements reported as conflicts.
   An arXiv record brings the preprint's DataCite DOI (``10.48550/arXiv.<id>``) only
   once it has validated, and only when the entry does not name another venue; a
   journal DOI the record lists becomes ``hints["published-doi"]``, never the entry's
   DOI.

4. **Enrich** a match that has a DOI, each step optional and unable to fail the resolve
   (what happened goes to ``notes``; what went wrong to ``reason`` as well):

   * PubMed (``enrich_pubmed``): the DOI's single PubMed record adds PMID, PMCID,
     abstract, publication types and retraction notices when it agrees with the match
     (:meth:`~mesorefs.resolve.resolver.Resolver.enrich_pubmed`);
   * OpenAlex (``enrich_openalex``): when there is still no abstract, OpenAlex's work
     of the DOI adds the abstract rebuilt from its inverted index, PMID and PMCID when
     they are missing and consistent with ours, and a retraction flag, provided the
     work carries exactly our DOI and a title that agrees
     (:meth:`~mesorefs.resolve.resolver.Resolver.enrich_openalex`).

With ``snapshot_dir`` set, records and searches come from a local metadata snapshot
(:mod:`mesorefs.snapshot`) instead: the same parsers, scoring, validation and abstain
rules, so the same candidates give the same answers.  Without ``online_fallback`` no
service is asked at all (PubMed enrichment and PMID / arXiv lookups are left out and
said so in ``notes`` / ``reason``); with it, the services are asked for what the snapshot
lacks: a DOI it does not hold, a search it finds no match for.

Services are asked through one :class:`~mesorefs.resolve.http.HttpClient`: per-service
rate limits and concurrency, retries, a persistent cache and offline mode.  After
OpenAlex rate-limits us, the resolver stops asking it for the rest of its life instead
of waiting out a daily budget reference by reference.
"""

from mesorefs.resolve.merge import Change, Conflict, MergeResult
from mesorefs.resolve.resolver import Candidate, Resolver, ResolveResult
from mesorefs.resolve.scoring import MatchScore

__all__ = [
    "Candidate",
    "Change",
    "Conflict",
    "MatchScore",
    "MergeResult",
    "ResolveResult",
    "Resolver",
]
