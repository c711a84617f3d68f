"""The search index, kept in ZODB beside the tree (``root.catalog``): hypatia's text, keyword and field indexes
over the documents of ``content/search_documents.py``, each with the access tokens of
``content/search_access.py``; and the query that finds, filters by the reader's tokens, counts facets and
pages. Being in ZODB, it changes in the same transaction as what it describes, and every process of a
RelStorage deployment sees a change on its next transaction (docs/search.md).

The text index, the costly part of a change, may lag: a document whose words are not indexed yet is
``stale``, and the query reads a stale document's own text instead of the index, so what is found never
lags. ``drain`` brings the text index up to date (``portal/search_index.py`` runs it after the commit)."""

import heapq
import random
from collections import Counter
from itertools import islice
from operator import itemgetter

import BTrees
from BTrees.Length import Length
from hypatia.field import FieldIndex
from hypatia.keyword import KeywordIndex
from hypatia.text.lexicon import Lexicon
from hypatia.text.okapiindex import OkapiIndex
from hypatia.text.setops import mass_weightedIntersection
from persistent import Persistent
from pyramid.authorization import Everyone
from pyramid.traversal import resource_path

from content.search_access import document_tokens, held_tokens
from content.search_documents import FACETS, documents
from language.analysis import terms

FAMILY = BTrees.family64
MAX_RESULTS_PAGE = 100


class Analyzer:
    """hypatia's lexicon pipeline element: the six-language analysis of ``language/analysis.py``."""

    def process(self, texts):
        return [term for text in texts for term in terms(text)]

    processGlob = process


class FacetValues:
    """The discriminator of the facets' index: ``name=value`` for each facet the entry has a value of (one
    index for all facets: a new document writes a few buckets, not two per facet)."""

    def __call__(self, entry, default):
        values = [f"{name}={value}" for name, value in entry.facets.items() if value]
        return values or default


class Entry(Persistent):
    """What the index keeps of one document, to check a change and to show a result: the resource's path,
    the document's part, kind, permission, text, language, facets and access tokens; while its words wait
    for the text index, its terms (``pending_terms``)."""

    pending_terms = None

    def __init__(self, key, path, doc, tokens):
        self.key, self.path = key, path
        self.update(doc, tokens)

    def update(self, doc, tokens):
        self.part, self.kind, self.permission = doc.part, doc.kind, doc.permission
        self.text, self.language = doc.text, doc.language
        self.when = doc.timestamp()
        self.facets = doc.facets()
        self.tokens = tokens

    def same_as(self, doc, tokens):
        return (self.text, self.permission, self.when, self.facets, self.tokens) == (
            doc.text, doc.permission, doc.timestamp(), doc.facets(), tokens)

    # discriminators of the indexes
    @property
    def allowed(self):
        return list(self.tokens)

    @property
    def places(self):
        """The entry's path and every ancestor's, so that a subtree can be found."""
        parts = self.path.strip("/").split("/")
        return ["/"] + ["/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1) if parts[0]]


def _key(path, part):
    return f"{path}#{part}" if part else path


class SearchCatalog(Persistent):
    """Documents by number (``entries``), numbers by key (``docids``), the indexes, and the local roles held
    in the tree (``roles``: principal -> tokens; ``roles_at``: path -> {principal: tokens})."""

    def __init__(self):
        self.entries = FAMILY.IO.BTree()
        self.docids = FAMILY.OI.BTree()
        self.count = Length()
        self.lexicon = Lexicon(Analyzer())
        self.text = OkapiIndex(self.lexicon, family=FAMILY)
        self.allowed = KeywordIndex("allowed", family=FAMILY)
        self.places = KeywordIndex("places", family=FAMILY)  # every path at and above: a subtree's documents
        self.paths = FieldIndex("path", family=FAMILY)  # the resource's own path: its documents
        self.facets = KeywordIndex(FacetValues(), family=FAMILY)  # filters: "name=value"
        self.when = FieldIndex("when", family=FAMILY)
        self.rows = FAMILY.IO.BTree()  # docid -> its facet values in the order of FACETS: counted in one pass
        self.roles = FAMILY.OO.BTree()
        self.roles_at = FAMILY.OO.BTree()
        self.stale = FAMILY.IF.TreeSet()  # documents whose words the text index does not hold yet

    def __len__(self):
        return self.count()

    # -- keeping it current --------------------------------------------------------------------

    def _new_docid(self):
        # Random numbers, as hypatia's users do: two processes adding documents write to different buckets.
        while True:
            docid = random.randrange(1, FAMILY.maxint)
            if docid not in self.entries and docid not in self.stale:
                return docid

    def _index_text(self, docid, entry, defer):
        """Index the text of ``entry`` as the words of ``docid`` (no entry: it has none), now or, with ``defer``,
        when drained; meanwhile the entry keeps its terms, which the query reads instead."""
        if defer:
            self.stale.insert(docid)
            if entry is not None:
                entry.pending_terms = frozenset(terms(entry.text))
            return
        if entry is None:
            self.text.unindex_doc(docid)
        else:
            self.text.index_doc(docid, entry.text)
            entry.pending_terms = None
        if docid in self.stale:
            self.stale.remove(docid)

    def _index_entry(self, docid, entry, text_changed, defer):
        if text_changed:
            self._index_text(docid, entry, defer)
        self.allowed.index_doc(docid, entry)
        self.places.index_doc(docid, entry)
        self.paths.index_doc(docid, entry)
        self.facets.index_doc(docid, entry)
        row = tuple(entry.facets[name] for name in FACETS)
        if self.rows.get(docid) != row:
            self.rows[docid] = row
        self.when.index_doc(docid, entry)

    def _unindex(self, docid, defer=False):
        entry = self.entries.pop(docid)
        self.docids.pop(entry.key, None)
        self._index_text(docid, None, defer)
        for index in (self.allowed, self.places, self.paths, self.when, self.facets):
            index.unindex_doc(docid)
        self.rows.pop(docid, None)
        self.count.change(-1)

    def index(self, resource, defer=False):
        """Bring the documents of ``resource`` up to date: add the new, change the changed (the text index
        only when the text changed; with ``defer``, when drained), remove those it no longer has. Returns how
        many changed."""
        path = resource_path(resource)
        changed = 0
        keys = set()
        for doc in documents(resource):
            key = _key(path, doc.part)
            keys.add(key)
            changed += self.store(key, path, doc, document_tokens(resource, doc.permission), defer)
        for docid in self._docids_of(path):
            if self.entries[docid].key not in keys:
                self._unindex(docid, defer)
                changed += 1
        return changed

    def store(self, key, path, doc, tokens, defer=False):
        """Add or update one document (a ``Document`` of the resource at ``path``, with its access tokens);
        the text index is touched only when the text changed, and with ``defer`` only when drained. Returns 1
        when something changed, else 0."""
        docid = self.docids.get(key)
        if docid is None:
            docid = self._new_docid()
            entry = Entry(key, path, doc, tokens)
            self.entries[docid] = entry
            self.docids[key] = docid
            self.count.change(1)
            self._index_entry(docid, entry, True, defer)
            return 1
        entry = self.entries[docid]
        if entry.same_as(doc, tokens):
            return 0
        text_changed = entry.text != doc.text
        entry.update(doc, tokens)
        self._index_entry(docid, entry, text_changed, defer)
        return 1

    def _docids_of(self, path):
        """The numbers of the documents of the resource at ``path`` itself."""
        return list(self.paths.applyEq(path))

    def index_subtree(self, resource, defer=False):
        """``index`` for ``resource`` and everything below it (after a change of its workflow state, whose
        role map its parts may follow); also records the local roles held there."""
        changed = 0
        stack = [resource]
        while stack:
            node = stack.pop()
            changed += self.index(node, defer)
            self.record_roles(node)
            values = getattr(node, "values", None)
            if values is not None and getattr(node, "data", None) is not None:
                stack.extend(values())
            stack.extend(getattr(node, "subresources", tuple)())  # a resource's own folder (a checklist's files)
        return changed

    def unindex_subtree(self, path, defer=False):
        """Remove every document at or below ``path``, and the local roles recorded there."""
        for docid in list(self.places.applyEq(path)):
            self._unindex(docid, defer)
        prefix = path.rstrip("/") + "/"
        for place in [p for p in self.roles_at.keys(path) if p == path or p.startswith(prefix)]:
            self._set_roles(place, {})

    def clear(self):
        self.__init__()

    def drain(self, limit=50):
        """Index the words of up to ``limit`` stale documents (unindex those since removed); returns how many."""
        done = 0
        for docid in list(islice(self.stale.keys(), limit)):
            self._index_text(docid, self.entries.get(docid), False)
            done += 1
        return done

    # -- local roles -----------------------------------------------------------------------

    def record_roles(self, resource):
        """Record the local roles held on ``resource`` now (called when one is granted or revoked)."""
        if getattr(resource, "holds_local_roles", False):
            self._set_roles(resource_path(resource), held_tokens(resource))

    def _set_roles(self, path, held):
        before = self.roles_at.get(path, {})
        if before == held:
            return
        for principal, tokens in before.items():
            kept = self.roles.get(principal)
            if kept is not None:
                for token in tokens & set(kept):
                    kept.remove(token)
                if not kept:
                    del self.roles[principal]
        for principal, tokens in held.items():
            self.roles.setdefault(principal, FAMILY.OO.TreeSet()).update(tokens)
        if held:
            self.roles_at[path] = {p: frozenset(t) for p, t in held.items()}
        else:
            self.roles_at.pop(path, None)

    def reader_tokens(self, principals):
        """The tokens of a reader with ``principals``: themselves and the local roles they hold."""
        tokens = set(principals)
        for principal in principals:
            tokens.update(self.roles.get(principal, ()))
        return tokens

    # -- finding ---------------------------------------------------------------------------

    def search(self, query, principals, filters=None, sort="relevance", start=0, size=20):
        """``(total, [(entry, score)], facets)`` for ``query`` (every term must match) as a reader with
        ``principals``, within ``filters`` (facet name -> value). Facets count what the reader may find:
        ``{facet: {value: count}}``, without the facet's own filter so other values stay choosable."""
        allowed = self.allowed.applyAny(list(self.reader_tokens(principals)))
        words = list(dict.fromkeys(terms(query, query=True)))
        if words:
            scored = self._scores(words)
            stale = FAMILY.IF.intersection(self.stale, allowed) if self.stale else None
            if stale is not None:  # a stale document is judged by its own text, not by the lagging index
                scored = FAMILY.IF.difference(scored, self.stale)
            _, found = FAMILY.IF.weightedIntersection(scored, allowed, 1, 0)
            if stale:
                _, found = FAMILY.IF.weightedUnion(found, self._scan(stale, words))
                scored = found
        else:
            scored = None
            found = allowed
        filtered = {name: self.facets.applyEq(f"{name}={value}") for name, value in (filters or {}).items()
                    if name in FACETS and value}
        chosen = found
        for docs in filtered.values():
            chosen = FAMILY.IF.intersection(chosen, docs)
        facets = self._facet_counts(found, chosen, filtered)
        total = len(chosen)
        start, size = max(0, int(start)), max(1, min(int(size), MAX_RESULTS_PAGE))
        return total, self._page(chosen, scored, sort, start, size), facets

    def _scores(self, words):
        """docid -> relevance (Okapi BM25) of the documents holding every word, from the text index. A word
        the index does not know still goes through the same steps, with no posting."""
        known = self.text._wordinfo
        wids = [wid if wid in known else 0 for wid in map(self.lexicon.get_wid, words)]
        if not all(wids):
            return FAMILY.IF.Bucket()
        return mass_weightedIntersection([(self.text._search_wids([wid])[0][0], 1) for wid in wids], family=FAMILY)

    def _scan(self, docids, words):
        """docid -> a plain relevance (the number of words) of the ``docids`` whose own terms hold every word:
        the stale documents the reader may find."""
        found = FAMILY.IF.Bucket()
        wanted = set(words)
        for docid in docids:
            entry = self.entries.get(docid)
            held = getattr(entry, "pending_terms", None) if entry is not None else None
            if entry is not None and wanted <= (held if held is not None else set(terms(entry.text))):
                found[docid] = float(len(wanted))
        return found

    def _facet_counts(self, found, chosen, filtered):
        """``{facet: {value: count}}`` among the results; a filtered facet counts the results of the other
        filters only, so that its other values stay choosable. One pass over each set of results, reading each
        result's row of facet values."""
        counts = {name: {} for name in FACETS}
        passes = {}  # a set of results -> the facets counted over it
        for position, name in enumerate(FACETS):
            if name in filtered:
                docs = found
                for other, subset in filtered.items():
                    if other != name:
                        docs = FAMILY.IF.intersection(docs, subset)
                passes[name] = (docs, [(position, name)])
            else:
                passes.setdefault(None, (chosen, []))[1].append((position, name))
        for docs, facets in passes.values():
            found_rows = [row for row in map(self.rows.get, docs) if row is not None]
            for position, name in facets:
                counted = Counter(map(itemgetter(position), found_rows))
                counted.pop("", None)  # no value for that facet
                counts[name] = dict(counted)
        return counts

    def _page(self, chosen, scored, sort, start, size):
        wanted = start + size
        if sort == "relevance" and scored is not None:
            ranked = heapq.nlargest(wanted, ((scored[d], -d) for d in chosen))
            hits = [(-d, score) for score, d in ranked]
        else:
            hits = [(d, None) for d in self.when.sort(chosen, reverse=sort != "oldest", limit=wanted)]
        return [(self.entries[d], score) for d, score in hits[start:wanted]]

    def is_public(self, entry):
        return Everyone in entry.tokens


def rebuild_index(root):
    """Build the whole index afresh from the tree (``portal-reindex``; the migration that makes it).
    Returns the number of documents."""
    root.catalog = SearchCatalog()
    root.catalog.index_subtree(root)
    return len(root.catalog)
