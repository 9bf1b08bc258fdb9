"""The statement a sentence makes, without the frame that attributes it.

"Studies show that X", "It has been reported that X" and "Early reports suggested that
X" all ask the reader to check X: the frame names who said it (the citation's job) or
how sure they were, not what to find in a reference.  The judgement reads X; the report
keeps the writer's whole sentence.
"""

from __future__ import annotations

import re

__all__ = ["statement_core"]

# A frame of at most twelve words ending in a verb of reporting or knowing and "that".
_FRAME = re.compile(
    r"^\s*(?:[^;:!?]{0,80}?\s)??"
    r"(?:(?:has|have|had)\s+been\s+|(?:is|are|was|were)\s+(?:(?:now|widely|well|generally|"
    r"commonly)\s+)?)?"
    r"(?:show|suggest|indicate|report|find|found|demonstrate|reveal|confirm|prove|establish|"
    r"know|known|believe|think|thought|argue|claim|state|note|conclude|propose|hypothesi[sz]e)"
    r"\w*\s+that\s+(?=\S)",
    re.IGNORECASE,
)


def statement_core(text: str) -> str:
    """``text`` without a leading frame of attribution ("Studies show that ..."), with the
    first letter of what remains upper-cased; ``text`` itself when it has no frame or when
    too little would remain to be a statement."""
    found = _FRAME.match(text)
    if found is None or len(found.group(0).split()) > 14:
        return text
    rest = text[found.end() :]
    if len(rest.split()) < 3:
        return text
    return rest[0].upper() + rest[1:]
