"""Claims extraction: documents in, sourced claims out (DESIGN.md, "The flow of data").

from sitroom.extract import get_extractor
claims = get_extractor().extract(doc)          # the default, deterministic "rules.v1"
"""

from sitroom.extract.base import Extractor, available_extractors, claim_id, get_extractor, register_extractor
from sitroom.extract.lexicon import Lexicons, actors, default_lexicons, load_lexicons

__all__ = [
    "Extractor",
    "Lexicons",
    "actors",
    "available_extractors",
    "claim_id",
    "default_lexicons",
    "get_extractor",
    "load_lexicons",
    "register_extractor",
]
