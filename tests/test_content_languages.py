"""Pages in Arabic, Chinese and Russian carry no English (issue 20, acceptance): a crawl of the demo world per
role finds, in the text of every page it reaches, nothing in Latin letters but names and codes. Text marked
as written in another language (a review's working language, a document's original, the language switcher)
is that language's, not the page's; a text in six languages shown in its original for want of a version
would carry a notice, and the demo ships every version, so no page may show one."""

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from portal import main
from portal.scripts.demo import DEMO_PASSWORD, build_demo, build_demo_cycle, build_demo_experts
from tests.conftest import Portal, file_uri, make_settings, sign_in

LANGUAGES = ("ar", "zh", "ru")
START = ("/", "/states", "/states/KEN/", "/cycles", "/cycles/first-cycle/", "/cycles/pilot-cycle/", "/group",
         "/conference", "/trainings", "/experts", "/@@dashboard")
SKIP = re.compile(r"@@(logout|json|download|ics|login|forgot|export|csv)|/static/|[?&]lang=|^/deform")
PAGES_PER_CRAWL = 2000
# What may stay in Latin letters on a page in another script: codes (UNTOC, ISO3, UTC, CTOC/COP/2026/1,
# SHA-256), addresses, identifiers (portal-demo, first-cycle, finding-f5), and people's names.
CODE = re.compile(r"^[(\[«\"']*([A-Z0-9][A-Z0-9./:-]*|[a-z0-9]+([-_][a-z0-9]+)+|\S*[/@.]\S*|\S*\d\S*)[)\]»\"',.:;]*$")
# The names of the data licences in the attribution the footer must carry (a name, not translated).
LICENCES = re.compile(r"Open Database License|ODbL")
WORD = re.compile(r"[A-Za-z]{3,}")


class PageText(HTMLParser):
    """The page's own text (in its language), with the texts marked as another language left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page_lang = None
        self.stack = []  # (tag, language) of open elements
        self.skip = 0
        self.texts, self.links, self.notices = [], [], 0

    @property
    def lang(self):
        return self.stack[-1][1] if self.stack else self.page_lang

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.page_lang = a.get("lang")
        lang = a.get("lang") or self.lang
        if "untranslated" in (a.get("class") or "").split():
            self.notices += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if lang == self.page_lang:
            self.texts += [a[k] for k in ("title", "placeholder", "aria-label", "alt") if a.get(k)]
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.texts.append(a["value"])
        # Code is in no language (identifiers, paths, versions); the document's title repeats its heading,
        # which is read with its own language.
        if tag in ("script", "style", "code", "title"):
            self.skip += 1
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "title"):
            self.skip -= 1
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        if not self.skip and data.strip() and self.lang == self.page_lang:
            self.texts.append(data)


# Runs of Latin letters with what codes and names hold (digits, dots, slashes...): Chinese writes no spaces
# between its words and a code ("下载CSV文件"), so words are cut where the Latin script stops.
LATIN_RUN = re.compile(r"[\x21-\x7e\u00c0-\u024f\u0300-\u036f’]+")


def english_in(text, names):
    """The English words of ``text`` once codes, addresses, identifiers and names are left out."""
    words = []
    for token in LATIN_RUN.findall(LICENCES.sub(" ", unicodedata.normalize("NFC", text))):
        if CODE.match(token) or token.strip("()[],.:;«»\"'") in names:
            continue
        words += WORD.findall(token)
    return words


def pattern(path):
    """Pages of one kind count once: codes and numbers in the address are placeholders."""
    path = re.sub(r"/[A-Z]{3}(?=/|$)", "/ISO", path)
    return re.sub(r"/\d+(?=/|$)", "/N", path)


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-languages")
    portal = Portal(main({}, **make_settings(**{"zodbconn.uri": file_uri(folder)})))
    with portal.root() as root:
        build_demo(root)
        build_demo_experts(root)
        build_demo_cycle(root)
        reviews = list(root["cycles"]["first-cycle"]["reviews"].values())
        final = next(r for r in reviews if r.workflow_state == "final")
        dialogue = next(r for r in reviews if r.workflow_state == "dialogue")
        people = {login: user.fullname for login, user in root["users"].items()}
        people.update({e.__name__: e.name for e in root["experts"].values()})
        # A further language (ToR ¶49) is named as the State typed it: the demo's is "Português".
        people["further-language"] = "Português"
        # A donor that is not a State (¶52) is named as the secretariat typed it, like a person: the demo's foundation.
        people.update({f"donor-{r.__name__}": r.donor_name for r in root["funding"].records() if r.donor_name})
        # States' names in Latin letters are names too (a list of versions, an example in a form's help).
        people.update({f"{s.iso3}-{lang}": s.name(lang) for s in root["states"].values() for lang in ("en", "fr", "es")})
        roles = {"anonymous": None, "secretariat": "secretariat", "admin": "admin", "observer": "observer",
                 "state-under-review": f"{final.state.lower()}-fp",
                 "reviewing-expert": f"{dialogue.reviewing_states()[0].lower()}-expert"}
        starts = (f"/cycles/first-cycle/reviews/{dialogue.state}/checklist/",
                  f"/cycles/first-cycle/reviews/{dialogue.state}/dialogue/",
                  f"/cycles/first-cycle/reviews/{final.state}/report/")
    names = {word for name in people.values() for word in name.split()} | set(people)
    yield portal, roles, starts, names
    indexer = getattr(portal.registry, "text_indexer", None)
    if indexer is not None:
        indexer.stop()
    portal.db.close()


def crawl(client, lang, starts, names):
    """``({path: [English words]}, {path: notices}, pages read)`` of a crawl from ``starts``."""
    client.get(f"/?lang={lang}")
    queue, seen, kinds = list(START) + list(starts), set(), set()
    english, notices, read = {}, {}, 0
    while queue and read < PAGES_PER_CRAWL:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or SKIP.search(url) or url in seen:
            continue
        seen.add(url)
        kind = pattern(parts.path)
        if kind in kinds:
            continue
        kinds.add(kind)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""), expect_errors=True)
        if response.status_int != 200 or "html" not in response.content_type:
            continue
        read += 1
        page = PageText()
        page.feed(response.text)
        assert page.page_lang == lang, url
        found = [w for text in page.texts for w in english_in(text, names)]
        if found:
            english[parts.path] = found[:12]
        if page.notices:
            notices[parts.path] = page.notices
        queue += [href for href in page.links if href.startswith(("/", "http://localhost/"))]
    return english, notices, read


@pytest.mark.parametrize("role", ["anonymous", "secretariat", "admin", "observer", "state-under-review",
                                  "reviewing-expert"])
def test_arabic_chinese_and_russian_pages_show_no_english_for_each_role(demo_world, role):
    portal, roles, starts, names = demo_world
    client = portal.client()
    if roles[role]:
        sign_in(client, roles[role], password=DEMO_PASSWORD)
    for lang in LANGUAGES:
        english, notices, read = crawl(client, lang, starts, names)
        assert read >= 15, (lang, read)
        assert not english, (lang, english)
        assert not notices, (lang, notices)


def test_the_check_sees_english_where_there_is_some():
    """The page reader is not blind: unmarked English is found, marked or coded text is not."""
    page = PageText()
    page.feed('<html lang="ar"><body><p>مرحبا Review of Kenya</p><p lang="en">Shown as written</p>'
              '<p>UNTOC CTOC/COP/2026/1 portal-demo https://example.org a@b.c SHA-256 Amina</p><code>summary</code>'
              '<small class="untranslated">x</small></body></html>')
    found = [w for text in page.texts for w in english_in(text, {"Amina"})]
    assert found == ["Review", "Kenya"] and page.notices == 1


def test_forms_inside_a_review_mark_their_text_fields_with_its_working_language(portal, clients, review_parties):
    """A visit's details or a checklist answer are written in the review's working language (R25): their
    fields say so, whatever the page's language (the crawl above found French in an Arabic visit form)."""
    from portal.scripts.demo_reviews import agree_visit
    from tests.cycle_fixtures import CYCLE, set_stage

    sur = review_parties[0]
    set_stage(portal, sur, "checklist")
    with portal.root() as root:
        root["cycles"]["first-cycle"]["reviews"][sur].language = "fr"
    key = clients["sur-fp"].get(f"{CYCLE}reviews/{sur}/checklist/").html.select_one("section.checklist-section")["id"]
    page = clients["sur-fp"].get(f"{CYCLE}reviews/{sur}/checklist/@@answer", {"section": key, "lang": "ar"})
    assert {(t.get("lang"), t.get("dir")) for t in page.html.select("textarea")} == {("fr", "ltr")}
    set_stage(portal, sur, "dialogue")
    with portal.root() as root:
        agree_visit(root["cycles"]["first-cycle"]["reviews"][sur], "test")
    page = clients["secretariat"].get(f"{CYCLE}reviews/{sur}/visit/@@edit", {"lang": "ar"})
    fields = {f.get("name"): f.get("lang") for f in page.html.select("form textarea, form input[type=text]")}
    assert fields["participants"] == fields["agenda"] == fields["place"] == "fr"
    assert page.html.select_one("select[name=kind]").get("lang") is None  # choices are the interface's
