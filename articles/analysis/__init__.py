"""Text in, plain data out: sentences, entities and attributions of an article.

The public edge of the NLP package::

    from articles import analysis

    result = analysis.analyse_text(body, known=names)  # an analysis.Analysis
    for result in analysis.analyse_texts(bodies, known=names): ...

Results are plain ``TypedDict`` data (:mod:`articles.analysis.types`) with
character offsets into the analysed text. Only :mod:`articles.analysis.pipeline`
touches spaCy (a text over its ``max_length`` goes through in ``chunks``); the
rules live in ``entities``, ``quotes``, ``cues``, ``speakers``, ``coref``,
``content``, ``rules`` and ``flags``, their word lists in ``lexicon/``.
``PIPELINE_VERSION`` names the rules' behaviour: stored analyses are keyed by
it (and the model), so it changes whenever an analysis of the same text may.
"""

from __future__ import annotations

from articles.analysis.pipeline import analyse_text, analyse_texts, model_name
from articles.analysis.types import (
    Analysis,
    Attribution,
    AttributionKind,
    Entity,
    KnownName,
    Sentence,
    Span,
)

PIPELINE_VERSION = "5"

__all__ = [
    "PIPELINE_VERSION",
    "Analysis",
    "Attribution",
    "AttributionKind",
    "Entity",
    "KnownName",
    "Sentence",
    "Span",
    "analyse_text",
    "analyse_texts",
    "model_name",
]
