"""Link the claims of a document to the references that support or contradict them.

>>> report = check_claims(text, library)           # doctest: +SKIP
>>> report.to_json(); report.to_markdown(); report.to_html(); report.annotate()  # doctest: +SKIP
"""

from mesorefs.claims.check import LinkSettings, check_claims, extract_claims
from mesorefs.claims.document import Document, parse_document
from mesorefs.claims.parts import Part, split_claim
from mesorefs.claims.report import SCHEMA, ClaimReport, ClaimResult, Link, PartResult
from mesorefs.claims.retrieve import default_encoder
from mesorefs.claims.stance import StanceModel, load_stance_model
from mesorefs.claims.verify import BaselineVerifier, Judgement, Verifier

__all__ = [
    "SCHEMA",
    "BaselineVerifier",
    "ClaimReport",
    "ClaimResult",
    "Document",
    "Judgement",
    "Link",
    "LinkSettings",
    "Part",
    "PartResult",
    "StanceModel",
    "Verifier",
    "check_claims",
    "default_encoder",
    "extract_claims",
    "load_stance_model",
    "parse_document",
    "split_claim",
]
