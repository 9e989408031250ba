"""ClaimsStage: articles -> ``claims`` layer (NER batched across the whole batch, then rules)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from newsprism.claims.entities import EntityTagger
from newsprism.claims.extract import ExtractOptions, extract_claims, sentence_texts
from newsprism.claims.model import ClaimsResult
from newsprism.claims.reprints import attribute_reprints
from newsprism.pipeline import Batch
from newsprism.progress import step


@dataclass
class ClaimsOptions:
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    spacy_model: str | None = None  # None: the default small English pipeline
    ner_batch_size: int = 256
    # Sentences with no capitalised word beyond an ordinary first word cannot hold a name.
    skip_uncapitalised: bool = True
    # spaCy NER worker processes: 2 ran NER 1.4x faster with a free second core, but forks the
    # process (avoid inside threaded servers), so 1 by default.
    ner_processes: int = 1


class ClaimsStage:
    name = "claims"
    requires = frozenset({"articles"})
    provides = frozenset({"claims"})

    def __init__(self, options: ClaimsOptions | None = None, *, nlp: Any):
        """``nlp``: a spaCy pipeline with NER (``Backends.nlp`` loads the one the options name)."""
        self.options = options or ClaimsOptions()
        self.tagger = EntityTagger(
            nlp, self.options.ner_batch_size, self.options.skip_uncapitalised,
            processes=self.options.ner_processes,
        )

    def run(self, batch: Batch) -> Batch:
        opts = self.options.extract
        result = ClaimsResult()
        per_article = [(a, sentence_texts(a, opts)) for a in batch.articles]
        flat = [text for _, sents in per_article for _, text in sents]
        tagger = self.tagger
        ner_before, t0 = tagger.seconds, time.perf_counter()
        tags = tagger.tag(flat)
        result.timings["ner_seconds"] = tagger.seconds - ner_before
        t1 = time.perf_counter()
        cursor = 0
        for n, (article, sents) in enumerate(per_article, 1):
            step(n, len(per_article), "articles")
            local = tags[cursor : cursor + len(sents)]
            cursor += len(sents)
            try:
                result.claims[article.id] = attribute_reprints(article, extract_claims(article, local, opts))
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
                result.errors[article.id] = f"claim extraction failed for article {article.id}: {exc!r}"
                result.claims[article.id] = []
        result.timings["rules_seconds"] = time.perf_counter() - t1
        result.timings["total_seconds"] = time.perf_counter() - t0
        result.timings["sentences"] = float(len(flat))
        result.timings["sentences_tagged"] = float(tagger.tagged)
        return batch.with_layer(self.name, result)
