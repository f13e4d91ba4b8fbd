"""Search in Swedish words, the same on every database: the index page filters rows it has
already read (reports.selectors.indicator_index), so the matching is plain Python.

A text and a query are cut into words, each word casefolded, stemmed with Snowball's Swedish
stemmer and stripped of diacritics, so "Kontaktförbuden", "kontaktforbud" and "KONTAKTFÖRBUD"
are one word. A query word matches when it is found inside one of the text's words (so
"förbud" finds "kontaktförbud"), or when it is a compound whose parts each begin a word of
the text ("hedersvåld" finds "hedersrelaterat våld"). Every query word must match.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("swedish")
# A word, or a code such as "2.I5" kept whole.
_WORD = re.compile(r"\w+(?:\.\w+)*")
# Compound parts shorter than this are not searched for on their own: "dag" or "or" inside
# another word would find almost anything.
MIN_PART = 4
# A longer query word is not split (the splitting tries every cut).
MAX_SPLIT = 40
# The endings Snowball leaves on a definite noun ("våldet", "förbudets"): the query word
# still matches a text word it begins with, when no more than this is left over.
MAX_ENDING = 3


def strip_diacritics(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def normal_word(word):
    """One word as search compares it: casefolded, stemmed, without diacritics."""
    return strip_diacritics(_STEMMER.stemWord(word.casefold()))


def normal_words(text):
    return [normal_word(w) for w in _WORD.findall(text or "")]


class Haystack:
    """The normalised words of a text, for many queries."""

    def __init__(self, *texts):
        self.words = sorted({w for text in texts for w in normal_words(text)})
        self.joined = " " + " ".join(self.words)
        self._compounds = {}

    def has(self, part):
        return part in self.joined

    def begins(self, part):
        """Whether a word of the text begins with `part`."""
        return " " + part in self.joined

    def _word_matches(self, word):
        if not word:
            return False
        return self.has(word) or self._inflected(word) or (len(word) <= MAX_SPLIT and self._compound(word))

    def _inflected(self, word):
        """"våldet": a word of the text ("våld") and a short definite ending Snowball left on."""
        return any(len(w) >= MIN_PART and word.startswith(w) and len(word) - len(w) <= MAX_ENDING for w in self.words)

    def _compound(self, word):
        """Whether `word` splits into parts of at least MIN_PART letters, each beginning a word of
        the text (the last may carry a definite ending: "hedersvåldet")."""
        if word not in self._compounds:
            self._compounds[word] = any(
                self.begins(word[:cut])
                and (self.begins(word[cut:]) or self._inflected(word[cut:]) or self._compound(word[cut:]))
                for cut in range(MIN_PART, len(word) - MIN_PART + 1)
            )
        return self._compounds[word]

    def matches(self, query_words):
        return all(self._word_matches(w) for w in query_words)


def query_words(query):
    """The normalised words of a reader's query."""
    return normal_words(query)
