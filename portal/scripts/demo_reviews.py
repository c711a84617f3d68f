"""The demo world's country reviews: checklist answers, reviewers' comments, dialogue, visits, draft
and final reports with findings (used by ``portal-demo`` and by tests that need a review in a stage)."""

from datetime import date, timedelta

from pyramid.traversal import find_root

from portal.scripts.demo_texts import text_in
from workflows import get_workflow
from workflows.definitions.country_review import FORWARD

STAGES = ("scheduled", "checklist", "desk-review", "dialogue", "drafting", "agreement", "final")


def answer_checklist(checklist, actor, sections=None):
    """Demo answers for the first ``sections`` sections of a checklist (all when None); a section
    already answered in full is left as it is."""
    answers = ("yes", "yes-in-part", "no")
    lang = _language(checklist.__parent__)
    for n, section in enumerate(checklist.sections()[:sections]):
        if checklist.progress(section)[0] == len(section.questions):
            continue
        checklist.save_section(section.key, {
            q.id: {"answer": answers[(n + k) % 3],
                   "legislation": text_in("answer-legislation", lang, n=100 + 10 * n + k),
                   "cases": text_in("answer-cases", lang) if k % 2 == 0 else "",
                   "challenges": text_in("answer-challenges", lang) if answers[(n + k) % 3] != "yes" else "",
                   "assistance": text_in("answer-assistance", lang) if answers[(n + k) % 3] == "no" else ""}
            for k, q in enumerate(section.questions)}, actor, checklist.version(section.key))


def _reviewer(review):
    return review.reviewing_states()[0]


def _language(review):
    """The review's working language: the parties write in it (R25)."""
    return getattr(review, "language", None) or "en"


def comment_checklist(review, actor):
    """A reviewing state's comment on the first answer of the checklist (R14)."""
    checklist = review["checklist"]
    first = checklist.sections()[0].questions[0]
    if not checklist.comments.on(first.id):
        checklist.comment(first.id, actor, _reviewer(review), text_in("comment-provision", _language(review)))


def inform_checklist(review, actor):
    """A file attached to the first answer, and new information given on it after submission (¶13)."""
    checklist = review["checklist"]
    first = checklist.sections()[0].questions[0]
    lang = _language(review)
    if not checklist.attachments(first.id):
        checklist.attach(first.id, [("penal-code.txt", text_in("answer-legislation", lang, n=100).encode())], actor)
    if not checklist.information(first.id):
        checklist.add_information(first.id, actor, review.state, text_in("new-information", lang), [])


def hold_dialogue(review, actor, answered=True):
    """Two questions from a reviewing state; the first answered by the state under review when ``answered``."""
    from content.threads import Question

    dialogue = review["dialogue"]
    if len(dialogue):
        return
    workflow = get_workflow(Question("", None, date.today()))
    lang = _language(review)
    for k, (title, text) in enumerate(
            (text_in(f"question-{key}-title", lang), text_in(f"question-{key}-text", lang))
            for key in ("statistics", "legal-persons")):
        question = dialogue.add(dialogue.next_number(),
                                Question(title, _reviewer(review), date.today() + timedelta(days=14 * (k + 1))))
        workflow.initialize(question, actor)
        question.post(actor, _reviewer(review), text)
        if answered and k == 0:
            question.post(actor, review.state, text_in("answer-statistics", lang))
            workflow.fire(question, None, "answer", check_permission=False, actor=actor)


def agree_visit(review, actor, held=False):
    """A country visit proposed by a reviewing state, agreed by the state under review, held when ``held``."""
    from content.visit import Visit

    if "visit" in review:
        return
    start = date.today() + timedelta(days=30)
    lang = _language(review)
    visit = review.add("visit", Visit({"kind": "country-visit", "start": start, "end": start + timedelta(days=2),
                                       "place": text_in("visit-place", lang),
                                       "participants": text_in("visit-participants", lang),
                                       "agenda": text_in("visit-agenda", lang)},
                                      _reviewer(review), actor))
    workflow = get_workflow(visit)
    workflow.initialize(visit, actor)
    workflow.fire(visit, None, "agree", check_permission=False, actor=actor)
    if held:
        visit.record_minutes(text_in("visit-minutes", lang), actor)
        workflow.fire(visit, None, "record-held", check_permission=False, actor=actor)


# The demo executive summary in each working language (R21): the original is written in the review's
# language, the secretariat's translations give the others.
DEMO_SUMMARIES = {
    "en": "The legislation covers most of the offences established by the Convention and its Protocols; collecting "
          "statistics and training practitioners remain challenges, and technical assistance is requested for both "
          "(demo).",
    "fr": "La législation couvre la plupart des infractions établies par la Convention et ses Protocoles ; la collecte "
          "de statistiques et la formation des praticiens restent des défis, et une assistance technique est demandée "
          "pour les deux (démonstration).",
    "es": "La legislación abarca la mayoría de los delitos tipificados en la Convención y sus Protocolos; la "
          "recopilación de estadísticas y la capacitación de los profesionales siguen siendo retos, y se solicita "
          "asistencia técnica para ambas (demostración).",
    "ru": "Законодательство охватывает большинство преступлений, признанных таковыми в соответствии с Конвенцией и "
          "протоколами к ней; сбор статистических данных и подготовка специалистов-практиков остаются проблемами, и "
          "для решения обеих запрошена техническая помощь (демонстрация).",
    "zh": "立法涵盖了根据《公约》及其议定书确立的大多数犯罪；统计数据的收集和从业人员的培训仍然是挑战，"
          "并请求为这两方面提供技术援助（演示）。",
    "ar": "تشمل التشريعات معظم الجرائم المقررة وفقا للاتفاقية وبروتوكولاتها؛ ولا يزال جمع الإحصاءات وتدريب الممارسين "
          "من التحديات، ويُطلب تقديم المساعدة التقنية في كلا المجالين (عرض توضيحي).",
}


def request_translations(review, actor):
    """The secretariat has the report draft translated into French (delivered, ¶48); the State under review
    asks for its checklist answers in Portuguese, a further language (¶49, still awaited)."""
    from content.translation_requests import TranslationRequest

    folder = review["translation-requests"]
    if len(folder):
        return
    language = "fr" if review.language != "fr" else "es"
    delivered = folder.add(folder.next_number(), TranslationRequest("report", language,
                                                                    review["report"].current_number(), actor, None))
    workflow = get_workflow(delivered)
    workflow.initialize(delivered, actor)
    delivered.post(actor, None, text_in("translation-delivered", _language(review)),
                   [("report-draft-translation.txt", "Projet de rapport (démonstration).".encode())])
    workflow.fire(delivered, None, "deliver", check_permission=False, actor=actor)
    further = folder.add(folder.next_number(), TranslationRequest("checklist", "Português", None, actor, review.state))
    get_workflow(further).initialize(further, actor)
    further.post(actor, review.state, text_in("translation-further", _language(review)))


def translate_summary(review, actor, languages=None, publish=True):
    """The secretariat translates the executive summary of a final report into ``languages`` (all when None),
    marks each translated and, with ``publish``, publishes the original and those translations (R21)."""
    group = review["report"].get("summary")
    if group is None:
        return
    for version in group.in_order():
        workflow = get_workflow(version)
        if not version.is_original and (languages is None or version.language in languages):
            if version.workflow_state == "draft":
                version.save(DEMO_SUMMARIES[version.language], actor, version.revision)
                workflow.fire(version, None, "mark-translated", check_permission=False, actor=actor)
        if publish and version.workflow_state == "translated" and (version.is_original or languages is None
                                                                   or version.language in languages):
            workflow.fire(version, None, "publish", check_permission=False, actor=actor)


def draft_report(review, actor):
    """A draft of every section and one finding of each kind (R16), unless the report has a draft already."""
    from content.report import BLUEPRINT, KINDS

    report = review["report"]
    if report.current() is not None:
        return
    lang = _language(review)
    state = find_root(review)["states"][review.state].name_value()
    texts = {"introduction": text_in("report-introduction", lang, state=state, year=review.year),
             "process": text_in("report-process", lang),
             "summary": DEMO_SUMMARIES.get(lang, DEMO_SUMMARIES["en"])}
    for key in list(BLUEPRINT) + [a[0] for a in report.articles()]:
        report.save_section(key, texts.get(key, text_in("report-article", lang, article=key.upper())), actor,
                            report.current_number())
    article = report.articles()[0][0]
    for kind in KINDS:
        report.save_finding(None, article, kind, text_in(f"finding-{kind}", lang, article=article.upper()),
                            actor, report.current_number())


def agree_report(review, actor):
    """Every party agrees to the current version (R16)."""
    report = review["report"]
    for iso3 in review.parties():
        if not report.agreed(iso3):
            report.agree(iso3, report.current_number(), actor)


def bring_to_stage(review, stage, actor):
    """Walk ``review`` forward to ``stage``, doing on the way what each stage needs (answers, dialogue, a
    draft report, the agreements), as the secretariat and the parties would."""
    review.language = review.language or "en"
    workflow = get_workflow(review)
    target = STAGES.index(stage)
    while STAGES.index(review.workflow_state) < target:
        current = review.workflow_state
        if current == "checklist":
            answer_checklist(review["checklist"], actor)
        elif current == "dialogue":
            hold_dialogue(review, actor)
        elif current == "drafting":
            draft_report(review, actor)
        elif current == "agreement":
            agree_report(review, actor)
        workflow.fire(review, None, FORWARD[STAGES.index(current)], check_permission=False, actor=actor)
    assert review.workflow_state == stage


def publish_parts(review, actor, names=None):
    """The state under review publishes ``names`` (part names; all when None) of its final report (R19);
    each move is in the part's history and, by its subscriber, in the audit log."""
    parts = review["report"]["parts"]
    for part in [p for p in parts.ordered() if (names is None or p.__name__ in names) and not p.published]:
        get_workflow(part).fire(part, None, "publish", check_permission=False, actor=actor)


def demo_access_requests(review, requesters, actor):
    """Requests by other states to read a final report, one in each state of their workflow (R20):
    requested, granted (undertaking accepted), refused, withdrawn, revoked; each in the audit log (written
    by the subscribers of filing and of each move)."""
    from content.access_requests import AccessRequest

    folder = review["access-requests"]
    if len(folder):
        return
    plan = (("requested", ()), ("granted", ("grant", "accept")), ("refused", ("refuse",)),
            ("withdrawn", ("withdraw",)), ("revoked", ("grant", "accept", "revoke")))
    for iso3, (_state, moves) in zip(requesters, plan):
        access = folder.add(folder.next_number(), AccessRequest(
            iso3, f"{iso3.lower()}-fp", text_in("access-reason", _language(review)), "whole", ""))
        workflow = get_workflow(access)
        workflow.initialize(access, actor)
        for move in moves:
            by_owner = move in ("grant", "refuse", "revoke")
            who = f"{review.state.lower()}-fp" if by_owner else f"{iso3.lower()}-fp"
            workflow.fire(access, None, move, check_permission=False, actor=who)
