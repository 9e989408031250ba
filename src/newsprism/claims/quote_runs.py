"""Quotes that run over several sentences take their speaker from the sentence that names one.

    “He was pretty shook up. He tried to provide first aid for her,” said Sgt. Marty Earley.
    Earley said: “He was pretty shook up. He tried to provide first aid for her.”

Read sentence by sentence, the first sentence above has no attribution and would count as the outlet's
own voice, so two outlets printing the same quote would look like two independent sources. The
speaker named where the quote opens or closes is the speaker of every sentence inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from newsprism.claims.clauses import LocalQuote
from newsprism.claims.model import Attribution, Claim

# A quote still open after this many sentences is more likely a stray quotation mark than a speech.
MAX_RUN_SENTENCES = 6
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})


@dataclass
class QuoteRuns:
    """Feed each sentence's quotes and new claims in order; claims are updated in place in ``claims``."""

    claims: list[Claim]
    _pending: list[int] = field(default_factory=list)  # outlet-voiced claims inside the open quote
    _speaker: Attribution | None = None  # named where the quote opened
    _open_for: int = 0  # sentences the quote has been open
    # The named speaker of the previous sentence's quote: a quotation that follows it with no speaker
    # of its own is the same speaker going on ("“I was stopped,” he said. “I don't think ...”").
    _previous: Attribution | None = None
    _run_previous: Attribution | None = None  # ``_previous`` when the open quote began

    @property
    def open(self) -> bool:
        return self._open_for > 0

    def sentence(
        self, offset: int, quotes: list[LocalQuote], first_claim: int, heard: Attribution | None = None
    ) -> None:
        """``offset``: the sentence's start in the article; ``quotes``: its quotes (local offsets);
        ``first_claim``: index in ``claims`` of its first claim; ``heard``: the speaker of a quotation
        in the sentence too short to be a claim (“Half the town is gone,” the mayor said.), who still
        speaks the quotation that follows."""
        new = range(first_claim, len(self.claims))
        speaker = next((self.claims[i].attribution for i in new if _named(self.claims[i])), None)
        if speaker is None and heard is not None and _named_attribution(heard):
            speaker = heard
        previous, self._previous = self._previous, None
        if self.open:
            cont = quotes[0] if quotes and quotes[0].start == 0 else None
            if cont is None:  # the quote did not go on: a stray mark
                self._reset()
            else:
                self._pending += [i for i in new if self._inside(i, offset, cont)]
                if cont.closed:
                    self._previous = speaker or self._speaker or self._run_previous
                    self._close(self._previous)
                elif self._open_for >= MAX_RUN_SENTENCES:
                    self._reset()
                else:
                    self._open_for += 1
                    return
        elif speaker is None and previous is not None and self._whole_quote(new, offset, quotes):
            # A sentence that is one whole quotation, right after a quote of a named speaker.
            for i in new:
                self.claims[i] = replace(self.claims[i], attribution=previous)
            self._previous = previous
        if speaker is not None and quotes:
            self._previous = speaker
        last = quotes[-1] if quotes else None
        if last is not None and not last.closed and not (self.open and last is quotes[0]):
            self._speaker = speaker
            self._run_previous = previous if speaker is None and last.start <= 1 else None
            self._pending = [i for i in new if self._inside(i, offset, last)]
            self._open_for = 1

    def _inside(self, i: int, offset: int, q: LocalQuote) -> bool:
        c = self.claims[i]
        return c.attribution.is_outlet and c.content_span.start >= offset + q.start - 1

    def _whole_quote(self, new: range, offset: int, quotes: list[LocalQuote]) -> bool:
        if not new or not quotes or quotes[0].start > 1 or not quotes[0].closed:
            return False
        q = quotes[0]
        return all(
            self._inside(i, offset, q) and self.claims[i].content_span.end <= offset + q.end + 1 for i in new
        )

    def _close(self, speaker: Attribution | None) -> None:
        if speaker is not None:
            for i in self._pending:
                self.claims[i] = replace(self.claims[i], attribution=speaker)
        self._reset()

    def _reset(self) -> None:
        self._pending, self._speaker, self._open_for, self._run_previous = [], None, 0, None


def _named(c: Claim) -> bool:
    """A speaker who can stand for the quote: a name, or a pronoun resolved to one."""
    return _named_attribution(c.attribution)


def _named_attribution(a: Attribution) -> bool:
    return not a.is_outlet and (a.person is not None or a.source.lower() not in _PRONOUNS)
