"""Search at scale (issue 18, docs/search.md): an index of N documents (100,000 by default) in the six
languages, with the access tokens of the real mix, in a FileStorage; then query and update times.

    .venv/bin/python benchmarks/bench_search.py [--documents 100000] [--queries 300] [--seed 1]

It prints the build time, the index's size on disk and the process's peak memory; the median and 95th
percentile of one-word, two-word and faceted queries as the public, a focal point and the secretariat
(catalog search with facets and the first page, warm caches, as a portal process answers after its first
requests); and the time of an incremental update of one document, alone and with its commit.
Targets: median under 20 ms and p95 under 100 ms for every query kind; an update under 10 ms.
"""

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content.catalog import SearchCatalog  # noqa: E402
from content.search_documents import Document  # noqa: E402

EVERYONE, AUTHENTICATED = "system.Everyone", "system.Authenticated"
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
ALPHABETS = {
    "en": "abcdefghijklmnoprstuvwy", "fr": "abcdeéèfghilmnoprstuvàç", "es": "abcdefghilmnñoprstuvóáí",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщыэюя", "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآ",
}
# Common ideographs for Chinese text (a contiguous block is enough for the analysis: pairs of characters).
CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)]
KINDS_INSIDE = ["checklist"] * 40 + ["question"] * 15 + ["report"] * 15 + ["attachment"] * 6 + [
    "assistance"] * 3 + ["visit"] * 2 + ["report-comments"] * 3 + ["access-request"] * 2
KINDS_PUBLIC = ["report-part"] * 8 + ["summary"] * 6 + ["meeting", "decision", "recommendation", "state"]
INSTRUMENTS = ("UNTOC", "TIP", "SOM", "FIR")


def vocabulary(rng, lang, size=6000):
    """``size`` made-up words of the language's script (Chinese: of two to four ideographs), to be drawn
    with a Zipf-like law."""
    words = set()
    while len(words) < size:
        if lang == "zh":
            words.add("".join(rng.choice(CJK) for _ in range(rng.choice((2, 2, 2, 3, 4)))))
        else:
            letters = ALPHABETS[lang]
            words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 11))))
    return sorted(words)


class Corpus:
    def __init__(self, rng):
        self.rng = rng
        self.words = {lang: vocabulary(rng, lang) for lang in LANGUAGES}
        # Zipf-like weights: rank r has weight 1 / (r + 10)
        self.cumulative = {}
        for lang, words in self.words.items():
            total, cumulative = 0.0, []
            for rank in range(len(words)):
                total += 1.0 / (rank + 10)
                cumulative.append(total)
            self.cumulative[lang] = cumulative

    def word(self, lang):
        return self.rng.choices(self.words[lang], cum_weights=self.cumulative[lang])[0]

    def text(self, lang, words):
        if lang == "zh":  # no spaces; a comma now and then
            return "".join(self.word(lang) + ("，" if self.rng.random() < 0.1 else "") for _ in range(words))
        return " ".join(self.word(lang) for _ in range(words))


def make_world(rng, states=190, years=5):
    """The reviews of one cycle: for each State under review, two reviewing States (R7 is not needed here)."""
    codes = [f"S{n:03d}" for n in range(states)]
    reviews = []
    for i, code in enumerate(codes):
        reviewers = rng.sample([c for c in codes if c != code], 2)
        reviews.append({"state": code, "reviewers": reviewers, "year": 2027 + i % years,
                        "path": f"/cycles/c1/reviews/{code}", "language": rng.choice(LANGUAGES)})
    return codes, reviews


def review_tokens(review, kind):
    path = review["path"]
    parties = ["ReviewedFocalPoint", "ReviewedExpert", "ReviewerFocalPoint", "ReviewerExpert"]
    if kind == "report-comments":
        return frozenset({"group:secretariat", *(f"{r}@{path}" for r in parties)})
    tokens = {"group:secretariat", *(f"{r}@{path}" for r in parties)}
    if kind == "report":
        tokens.add(f"Grantee@{path}/report")
    return frozenset(tokens)


def build(catalog, count, corpus, rng, reviews, commit_every=5000):
    """``count`` documents: about a quarter public, the rest inside reviews, with the tokens of the real mix."""
    keys = []
    began = time.perf_counter()
    for n in range(count):
        review = rng.choice(reviews)
        public = rng.random() < 0.25
        kind = rng.choice(KINDS_PUBLIC if public else KINDS_INSIDE)
        lang = review["language"] if not public or kind == "report-part" else rng.choice(LANGUAGES)
        length = rng.randint(40, 400) if kind != "state" else 12
        doc = Document(kind, corpus.text(lang, length), part=str(n), language=lang,
                       when=None, state=review["state"], cycle="c1", year=review["year"],
                       instrument=rng.choice(INSTRUMENTS), article=str(rng.randint(2, 34)),
                       stage=rng.choice(("checklist", "dialogue", "drafting", "final")))
        doc.when = None
        tokens = frozenset({EVERYONE}) if public else review_tokens(review, kind)
        key = f"{review['path']}/{kind}/{n}"
        catalog.store(key, f"{review['path']}/{kind}/{n}", doc, tokens)
        keys.append((key, doc, tokens))
        if (n + 1) % commit_every == 0:
            transaction.commit()
            print(f"  {n + 1} documents, {time.perf_counter() - began:.0f} s", flush=True)
    transaction.commit()
    return keys, time.perf_counter() - began


def grant_roles(catalog, reviews):
    """The record of local roles a deployment has: each State's users on its own review and those it reviews."""
    for review in reviews:
        held = {f"state:{review['state']}:focal-point": {f"ReviewedFocalPoint@{review['path']}"},
                f"state:{review['state']}:expert": {f"ReviewedExpert@{review['path']}"}}
        for reviewer in review["reviewers"]:
            held.setdefault(f"state:{reviewer}:focal-point", set()).add(f"ReviewerFocalPoint@{review['path']}")
            held.setdefault(f"state:{reviewer}:expert", set()).add(f"ReviewerExpert@{review['path']}")
        catalog._set_roles(review["path"], held)
    transaction.commit()


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(catalog, corpus, rng, readers, queries):
    rows = []
    for kind in ("one word", "two words", "faceted"):
        for who, principals in readers.items():
            times = []
            for _ in range(queries):
                lang = rng.choice(LANGUAGES)
                if kind == "one word":
                    query, filters = corpus.word(lang), None
                elif kind == "two words":
                    query, filters = f"{corpus.word(lang)} {corpus.word(lang)}", None
                else:
                    query = corpus.word(lang)
                    filters = rng.choice([{"kind": "checklist"}, {"instrument": "SOM", "article": "6"},
                                          {"language": lang}, {"year": "2028", "kind": "report-part"}])
                began = time.perf_counter()
                catalog.search(query, principals, filters)
                times.append((time.perf_counter() - began) * 1000)
            rows.append((kind, who, statistics.median(times), percentile(times, 95)))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    db = DB(FileStorage(str(folder / "Data.fs")), cache_size=400_000)
    try:
        connection = db.open()
        root = connection.root()
        root["catalog"] = catalog = SearchCatalog()
        transaction.commit()
        corpus = Corpus(rng)
        codes, reviews = make_world(rng)
        grant_roles(catalog, reviews)
        print(f"building an index of {args.documents} documents in six languages ...", flush=True)
        keys, built = build(catalog, args.documents, corpus, rng, reviews)
        size = (folder / "Data.fs").stat().st_size
        db.pack()
        packed = (folder / "Data.fs").stat().st_size
        focal_point = codes[7]
        readers = {
            "public": [EVERYONE],
            "focal point": [EVERYONE, AUTHENTICATED, f"user:{focal_point.lower()}-fp", f"state:{focal_point}",
                            f"state:{focal_point}:focal-point", "group:focal-points"],
            "secretariat": [EVERYONE, AUTHENTICATED, "user:sec", "group:secretariat"],
        }
        print(f"built in {built:.0f} s ({built / args.documents * 1000:.2f} ms per document); "
              f"{len(catalog)} documents, {catalog.lexicon.word_count()} distinct terms")
        print(f"database: {size / 2**20:.0f} MB, {packed / 2**20:.0f} MB packed; "
              f"peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        measure(catalog, corpus, rng, readers, 20)  # warm the caches
        rows = measure(catalog, corpus, rng, readers, args.queries)
        print(f"\n{'query':<10} {'reader':<12} {'median ms':>10} {'p95 ms':>8}")
        for kind, who, median, p95 in rows:
            verdict = "" if median < 20 and p95 < 100 else "  BELOW TARGET"
            print(f"{kind:<10} {who:<12} {median:>10.1f} {p95:>8.1f}{verdict}")
        # Incremental updates, as a portal process makes them: one document per transaction; the words either
        # in the request (search.defer_text = false) or left to the process's text indexer (true, the default
        # of the shipped configurations), whose own cost per document is measured too.
        print()
        for defer in (False, True):
            updates = {"an edit (a sentence added)": [], "a new text": [], "a new document": []}
            for n, (key, doc, tokens) in enumerate(rng.sample(keys, 300)):
                kind = list(updates)[n % 3]
                if kind == "an edit (a sentence added)":
                    doc.text += " " + corpus.text(doc.language, 15)
                elif kind == "a new text":
                    doc.text = corpus.text(doc.language, rng.randint(40, 400))
                else:
                    key = f"{key}/new{int(defer)}"
                began = time.perf_counter()
                catalog.store(key, key, doc, tokens, defer=defer)
                middle = time.perf_counter()
                transaction.commit()
                updates[kind].append(((middle - began) * 1000, (time.perf_counter() - began) * 1000))
            mode = "words left to the text indexer" if defer else "words indexed in the request"
            for kind, times in updates.items():
                alone, committed = [t[0] for t in times], [t[1] for t in times]
                print(f"update ({mode}), {kind}: index {statistics.median(alone):.1f} ms median, "
                      f"{percentile(alone, 95):.1f} ms p95; with the commit {statistics.median(committed):.1f} ms "
                      f"median, {percentile(committed, 95):.1f} ms p95")
        stale = len(catalog.stale)
        rows = measure(catalog, corpus, rng, readers, args.queries // 3)
        worst = max(p95 for *_rest, p95 in rows)
        print(f"queries with {stale} stale documents: worst median "
              f"{max(median for *_r, median, _p in rows):.1f} ms, worst p95 {worst:.1f} ms")
        began = time.perf_counter()
        while catalog.drain(50):
            transaction.commit()
        transaction.commit()
        print(f"the text indexer: {(time.perf_counter() - began) / stale * 1000:.1f} ms per document, commits included")
        print(f"peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        db.close()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
