"""The demo world's country reviews: checklist answers, reviewers' comments, dialogue, visits, draft
and final reports with findings (used by ``portal-demo`` and by tests that need a review in a stage)."""

from datetime import date, timedelta

from pyramid.traversal import find_root

from content.checklists import FOLLOW_UP
from portal.scripts.demo_texts import text_in
from workflows import get_workflow
from workflows.definitions.country_review import FORWARD

# UNODC's knowledge management portal (legislation and case law): where the demo's citations link to.
SHERLOC = "https://sherloc.unodc.org/"
STAGES = ("scheduled", "checklist", "desk-review", "dialogue", "drafting", "agreement", "final")


def answer_checklist(checklist, actor, sections=None):
    """Demo answers for the first ``sections`` sections of a checklist (all when None); a section
    already answered in full is left as it is."""
    answers = ("yes", "yes-in-part", "no")
    lang = _language(checklist.__parent__)
    for n, section in enumerate(checklist.sections()[:sections]):
        if checklist.progress(section)[0] == len(section.questions):
            continue
        if section.key == FOLLOW_UP:
            checklist.save_section(section.key, follow_up_answers(section, lang), actor, checklist.version(section.key))
            continue
        checklist.save_section(section.key, {
            q.id: {"answer": answers[(n + k) % 3],
                   "legislation": text_in("answer-legislation", lang, n=100 + 10 * n + k),
                   "cases": text_in("answer-cases", lang) if k % 2 == 0 else "",
                   "challenges": text_in("answer-challenges", lang) if answers[(n + k) % 3] != "yes" else "",
                   "assistance": text_in("answer-assistance", lang) if answers[(n + k) % 3] == "no" else ""}
            for k, q in enumerate(section.questions)}, actor, checklist.version(section.key))
        first = section.questions[0].id
        if not checklist.references(first):  # ¶3(c): the law cited as a structured reference, with a link
            checklist.cite(first, {"kind": "legislation", "title": text_in("answer-legislation", lang, n=100 + 10 * n),
                                   "article": str(100 + 10 * n), "day": "2019-06-01", "url": SHERLOC}, [], actor)


def follow_up_answers(section, lang):
    """Demo follow-up answers (¶41): each degree of progress in turn; assistance received for the needs."""
    progress = ("partial", "full", "none")
    answers = {}
    for k, q in enumerate(section.questions):
        received = q.kind == "ta-need" and k % 3 != 2
        answers[q.id] = {"progress": progress[k % 3], "description": text_in("follow-up-progress", lang),
                         "assistance": ("received" if k % 2 == 0 else "partly-received") if received else
                         ("not-received" if q.kind == "ta-need" else "not-requested"),
                         "provider": text_in("assistance-provider", lang) if received else "",
                         "period": text_in("follow-up-period", lang) if received else "",
                         "effect": text_in("follow-up-effect", lang) if received else ""}
    return answers


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
    good = next(f for f in report.findings() if f["kind"] == "good-practice")
    report.cite(good["id"], {"kind": "case", "title": text_in("answer-cases", lang), "article": "",
                             "day": "2021-03-15", "url": SHERLOC}, [], actor, report.current_number())


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


# Information from international and regional organizations (¶26(c)): an organization the State under review
# belongs to, by its regional group; the texts in the review's working language.
DEMO_ORGANIZATIONS = {
    "African": ("African Union", "https://au.int/"),
    "Asia-Pacific": ("Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime",
                     "https://www.baliprocess.net/"),
    "Eastern European": ("Council of Europe – GRETA", "https://www.coe.int/en/web/anti-human-trafficking"),
    "Latin American and Caribbean": ("Organization of American States", "https://www.oas.org/"),
    "Western European and Others": ("Council of Europe – GRETA", "https://www.coe.int/en/web/anti-human-trafficking"),
}
# The organizations' names as a review written in each language names them (the form takes the review's language).
ORGANIZATION_NAMES = {
    "African Union": {"fr": "Union africaine", "es": "Unión Africana", "ru": "Африканский союз", "zh": "非洲联盟",
                      "ar": "الاتحاد الأفريقي"},
    "Bali Process on People Smuggling, Trafficking in Persons and Related Transnational Crime": {
        "fr": "Processus de Bali sur le trafic de migrants, la traite des personnes et la criminalité transnationale "
              "qui y est associée",
        "es": "Proceso de Bali sobre el Tráfico Ilícito de Migrantes, la Trata de Personas y los Delitos "
              "Transnacionales Conexos",
        "ru": "Балийский процесс по борьбе с незаконным ввозом людей, торговлей людьми и связанной с ними "
              "транснациональной преступностью",
        "zh": "打击偷运人口、贩运人口及相关跨国犯罪巴厘进程",
        "ar": "عملية بالي المتعلقة بتهريب الأشخاص والاتجار بالأشخاص وما يتصل بذلك من جرائم عابرة للحدود الوطنية"},
    "Council of Europe – GRETA": {"fr": "Conseil de l'Europe – GRETA", "es": "Consejo de Europa – GRETA",
                                  "ru": "Совет Европы – ГРЕТА", "zh": "欧洲委员会——打击贩运人口行动专家组",
                                  "ar": "مجلس أوروبا – فريق الخبراء المعني بمكافحة الاتجار بالبشر"},
    "Organization of American States": {"fr": "Organisation des États américains",
                                        "es": "Organización de los Estados Americanos",
                                        "ru": "Организация американских государств", "zh": "美洲国家组织",
                                        "ar": "منظمة الدول الأمريكية"},
    "FATF-style regional body": {"fr": "Organisme régional de type GAFI", "es": "Grupo regional al estilo del GAFI",
                                 "ru": "Региональная группа по типу ФАТФ", "zh": "金融行动特别工作组式区域机构",
                                 "ar": "هيئة إقليمية على غرار فرقة العمل المعنية بالإجراءات المالية"},
    "Centre for Justice and Human Rights (NGO, demo)": {
        "fr": "Centre pour la justice et les droits de l'homme (ONG, démonstration)",
        "es": "Centro para la Justicia y los Derechos Humanos (ONG, demostración)",
        "ru": "Центр по вопросам правосудия и прав человека (НПО, демонстрация)",
        "zh": "司法与人权中心（非政府组织，演示）", "ar": "مركز العدالة وحقوق الإنسان (منظمة غير حكومية، عرض توضيحي)"},
    "National University, Faculty of Law (demo)": {
        "fr": "Université nationale, faculté de droit (démonstration)",
        "es": "Universidad Nacional, Facultad de Derecho (demostración)",
        "ru": "Национальный университет, юридический факультет (демонстрация)", "zh": "国立大学法学院（演示）",
        "ar": "الجامعة الوطنية، كلية الحقوق (عرض توضيحي)"},
}


def organization_in(name, lang):
    """The demo organization ``name`` as a review in ``lang`` writes it."""
    return ORGANIZATION_NAMES.get(name, {}).get(lang, name)


DEMO_SOURCE_TEXTS = {
    "en": ("Evaluation report on measures against trafficking in persons (demo)",
           "Gives the number of victims identified and of convictions in the last three years (demo).",
           "Mutual evaluation report: measures against money-laundering (demo)",
           "Its findings on the criminalization of money-laundering bear on article 6 of the Convention (demo).",
           "The figures of this report predate the amendments made to the penal code in 2025 (demo)."),
    "fr": ("Rapport d’évaluation sur les mesures contre la traite des personnes (démonstration)",
           "Donne le nombre de victimes identifiées et de condamnations des trois dernières années (démonstration).",
           "Rapport d’évaluation mutuelle : mesures contre le blanchiment d’argent (démonstration)",
           "Ses conclusions sur l’incrimination du blanchiment concernent l’article 6 de la Convention (démonstration).",
           "Les chiffres de ce rapport sont antérieurs aux modifications du code pénal de 2025 (démonstration)."),
    "es": ("Informe de evaluación sobre las medidas contra la trata de personas (demostración)",
           "Indica el número de víctimas identificadas y de condenas de los tres últimos años (demostración).",
           "Informe de evaluación mutua: medidas contra el blanqueo de dinero (demostración)",
           "Sus conclusiones sobre la penalización del blanqueo atañen al artículo 6 de la Convención (demostración).",
           "Las cifras de este informe son anteriores a las reformas del código penal de 2025 (demostración)."),
    "ru": ("Доклад об оценке мер по борьбе с торговлей людьми (демонстрация)",
           "Приводит число выявленных жертв и обвинительных приговоров за последние три года (демонстрация).",
           "Доклад о взаимной оценке: меры по борьбе с отмыванием денег (демонстрация)",
           "Его выводы о криминализации отмывания денег касаются статьи 6 Конвенции (демонстрация).",
           "Данные этого доклада относятся к периоду до поправок к уголовному кодексу 2025 года (демонстрация)."),
    "zh": ("关于打击贩运人口措施的评估报告（演示）",
           "列出过去三年识别的被害人人数和定罪人数（演示）。",
           "相互评估报告：打击洗钱措施（演示）",
           "其关于洗钱刑事定罪的结论涉及《公约》第6条（演示）。",
           "本报告的数字早于2025年刑法修正案（演示）。"),
    "ar": ("تقرير تقييم بشأن تدابير مكافحة الاتجار بالأشخاص (عرض توضيحي)",
           "يبين عدد الضحايا الذين حُدِّدت هويتهم وعدد الإدانات في السنوات الثلاث الأخيرة (عرض توضيحي).",
           "تقرير التقييم المتبادل: تدابير مكافحة غسل الأموال (عرض توضيحي)",
           "تتعلق استنتاجاته بشأن تجريم غسل الأموال بالمادة 6 من الاتفاقية (عرض توضيحي).",
           "أرقام هذا التقرير سابقة لتعديلات قانون العقوبات لعام 2025 (عرض توضيحي)."),
}


def add_outside_sources(review, actor):
    """Two sources of information from organizations the State under review belongs to (¶26(c)): a link added
    by a reviewing State, a document (a small text file) added by the secretariat; the State under review
    comments on the first."""
    folder = review.get("sources")
    if folder is None or len(folder):
        return
    state = find_root(review)["states"].get(review.state)
    organization, link = DEMO_ORGANIZATIONS.get(getattr(state, "regional_group", ""),
                                                DEMO_ORGANIZATIONS["Western European and Others"])
    title, note, file_title, file_note, comment = DEMO_SOURCE_TEXTS.get(_language(review), DEMO_SOURCE_TEXTS["en"])
    keys = {s.key for s in review["checklist"].sections()} if "checklist" in review else set()
    first = folder.add_source(actor, _reviewer(review), {
        "organization": organization_in(organization, _language(review)), "title": title, "date": date(2025, 6, 30),
        "link": link,
        "articles": [k for k in ("tip-5",) if k in keys], "note": note})
    folder.add_source(actor, None, {
        "organization": organization_in("FATF-style regional body", _language(review)), "title": file_title, "date": date(2024, 11, 15), "link": "",
        "articles": [k for k in ("untoc-6",) if k in keys], "note": file_note},
        ("mutual-evaluation-summary.txt", f"{file_title}\n\n{file_note}\n".encode()))
    first.comment(actor, review.state, comment)


# ¶27: a national stakeholder's comment on the State's draft answers, in the review's working language.
DEMO_STAKEHOLDER_COMMENTS = {
    "en": "Our monitoring of the courts shows that this provision is rarely applied; we can share our data (demo).",
    "fr": "Notre suivi des tribunaux montre que cette disposition est rarement appliquée ; nous pouvons partager nos "
          "données (démonstration).",
    "es": "Nuestro seguimiento de los tribunales muestra que esta disposición rara vez se aplica; podemos compartir "
          "nuestros datos (demostración).",
    "ru": "Наш мониторинг судов показывает, что это положение применяется редко; мы можем поделиться нашими данными "
          "(демонстрация).",
    "zh": "我们对法院的监测显示，这一规定很少适用；我们可以分享我们的数据（演示）。",
    "ar": "يبين رصدنا للمحاكم أن هذا الحكم نادرا ما يُطبق؛ ويمكننا تقاسم بياناتنا (عرض توضيحي).",
}
# The demo's stakeholders of each State: (login suffix, person, organization, kind). Names are not translated.
DEMO_STAKEHOLDERS = (
    ("ngo", "Grace Wanjiru", "Centre for Justice and Human Rights (NGO, demo)", "civil-society"),
    ("university", "Daniel Okafor", "National University, Faculty of Law (demo)", "academia"),
)


def invite_stakeholders(review, actor):
    """The national consultation (¶27) and meetings with stakeholders (¶29): at the checklist stage and once the
    checklist is submitted, the focal point of the State under review has invited an NGO (two sections) and a
    university (one section), and the NGO has commented on the first answer; an agreed visit of a review in the
    dialogue has a meeting with each on its programme. The stakeholders' accounts are active, with the demo
    password (``<iso3>-ngo``, ``<iso3>-university``)."""
    from content.consultation import consultation_of
    from content.users import hash_password
    from portal.scripts.demo import DEMO_PASSWORD, _add_active

    users = find_root(review)["users"]
    visit = review.get("visit")
    if review.workflow_state == "dialogue" and visit is not None and visit.workflow_state == "agreed" \
            and not visit.stakeholder_meetings:
        for k, (_suffix, person, organization, kind) in enumerate(DEMO_STAKEHOLDERS):
            visit.add_stakeholder_meeting({"date": visit.start + timedelta(days=k),
                                           "organization": organization_in(organization, _language(review)),
                                           "kind": kind, "participants": person,
                                           "topic": text_in("visit-agenda", _language(review))}, actor)
    if review.workflow_state not in ("checklist", "desk-review") or "checklist" not in review:
        return
    checklist = review["checklist"]
    if consultation_of(checklist) is not None:
        return
    consultation = consultation_of(checklist, create=True)
    keys = [s.key for s in checklist.article_sections()]
    focal_point = f"{review.state.lower()}-fp"
    shared_hash = None
    for k, (suffix, person, organization, kind) in enumerate(DEMO_STAKEHOLDERS):
        login = f"{review.state.lower()}-{suffix}"
        user = users.get(login)
        if user is None:
            shared_hash = shared_hash or hash_password(DEMO_PASSWORD)
            user = _add_active(users, login, person, "stakeholder", None, shared_hash)
            user.organization, user.organization_kind = organization_in(organization, _language(review)), kind
            user.stakeholder_of = review.state
        invitation = consultation.invite(user, keys[:2 - k], focal_point)
        if k == 0:
            first = checklist.article_sections()[0].questions[0]
            invitation.comment(first.id, login, DEMO_STAKEHOLDER_COMMENTS.get(_language(review),
                                                                              DEMO_STAKEHOLDER_COMMENTS["en"]))


# -- the schedule of a review (¶24) ---------------------------------------------------------------------------

DEMO_SCHEDULE_COMMENTS = {  # (the State's reason for other dates, the secretariat's, a reviewing State's comment)
    "en": ("Our parliament sits until the end of the quarter; we ask for three more weeks for each stage.",
           "The Implementation Review Group meets later than planned; the later stages move accordingly.",
           "These dates suit our experts too."),
    "fr": ("Notre parlement siège jusqu'à la fin du trimestre ; nous demandons trois semaines de plus par étape.",
           "Le Groupe d'examen de l'application se réunit plus tard que prévu ; les étapes suivantes sont décalées.",
           "Ces dates conviennent aussi à nos experts."),
    "es": ("Nuestro parlamento sesiona hasta el final del trimestre; pedimos tres semanas más para cada etapa.",
           "El Grupo de Examen de la Aplicación se reúne más tarde de lo previsto; las etapas siguientes se desplazan.",
           "Estas fechas también convienen a nuestros expertos."),
    "ar": ("يجتمع برلماننا حتى نهاية الربع؛ نطلب ثلاثة أسابيع إضافية لكل مرحلة.",
           "يجتمع فريق استعراض التنفيذ في وقت لاحق عما كان مقررا؛ وتؤجل المراحل التالية تبعا لذلك.",
           "تناسب هذه المواعيد خبراءنا أيضا."),
    "ru": ("Наш парламент заседает до конца квартала; просим еще три недели на каждый этап.",
           "Группа по обзору хода осуществления соберется позже запланированного; последующие этапы переносятся.",
           "Эти сроки подходят и нашим экспертам."),
    "zh": ("我国议会会期持续到本季度末；请求每个阶段再延长三周。",
           "审议实施情况小组的会议晚于计划；后续阶段相应推迟。",
           "这些日期也适合我国专家。"),
}


def _later_dates(review, days):
    """The dates in force, those of the milestones not reached yet ``days`` later."""
    from content.milestones import is_done

    return {k: d if is_done(review, k) else d + timedelta(days=days) for k, d in review.milestones.items()}


def agree_schedule(review, actor=None):
    """The State under review's focal point (``actor``, else the demo's ``<iso3>-fp``) agrees to the secretariat's
    proposal awaiting agreement (¶24)."""
    from content.milestones import SECRETARIAT, agree, pending_proposal

    pending = pending_proposal(review)
    if pending is not None and pending["side"] == SECRETARIAT:
        agree(review, pending["number"], actor or f"{review.state.lower()}-fp", review.state)


def counter_schedule(review, actor=None, agreed_by=None):
    """The State under review proposes three more weeks for each stage not reached yet, saying why; the
    secretariat (``agreed_by``) agrees to it, else it awaits its agreement."""
    from content.milestones import agree, propose

    reason = DEMO_SCHEDULE_COMMENTS.get(_language(review), DEMO_SCHEDULE_COMMENTS["en"])[0]
    entry = propose(review, _later_dates(review, 21), actor or f"{review.state.lower()}-fp", review.state, reason)
    if agreed_by:
        agree(review, entry["number"], agreed_by, "secretariat")


def settle_schedule(review, k, actor="secretariat"):
    """The demo's schedules (``k``: the review's place in the demo): most agreed by the State under review; one
    with the State's counter-proposal awaiting the secretariat, one countered, commented on by a reviewing State
    and agreed, one with the secretariat's new proposal awaiting the State (after an agreement). The reviews the
    demo leaves without a working language keep the secretariat's first proposal, not yet agreed."""
    from content.milestones import comment_on, history, propose

    if any(e["kind"] != "proposal" or e["side"] != "secretariat" for e in history(review)):
        return  # settled already
    if k == 1:
        counter_schedule(review)
    elif k == 2:
        reviewer = _reviewer(review)
        comment_on(review, f"{reviewer.lower()}-fp", reviewer,
                   DEMO_SCHEDULE_COMMENTS.get(_language(review), DEMO_SCHEDULE_COMMENTS["en"])[2])
        counter_schedule(review, agreed_by=actor)
    else:
        agree_schedule(review)
        if k == 3:
            reason = DEMO_SCHEDULE_COMMENTS.get(_language(review), DEMO_SCHEDULE_COMMENTS["en"])[1]
            propose(review, _later_dates(review, 14), actor, "secretariat", reason)
