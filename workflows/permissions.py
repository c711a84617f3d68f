"""The permission names used in ACLs, views and workflow definitions (one place, so typos fail loudly)."""

VIEW = "view"
VIEW_HISTORY = "view-history"
EDIT = "edit"
CHANGE_PASSWORD = "change-password"
EDIT_PROFILE = "edit-profile"  # a user's own language, e-mail address and notification choice
NOMINATE = "nominate"
MANAGE_USERS = "manage-users"
MANAGE_STAFF = "manage-staff"
EDIT_STATES = "edit-states"
ADMINISTER = "administer"
MANAGE_CYCLES = "manage-cycles"  # create cycles, run draws, decide on requests (the secretariat)
REQUEST_DRAW_CHANGE = "request-draw-change"  # a focal point asks for a deferral, redraw, exemption (R3, R8-R10)
WITHDRAW = "withdraw"  # the requester takes a request back
MANAGE_REVIEWS = "manage-reviews"  # move a country review through its stages (the secretariat)
CHOOSE_REVIEW_LANGUAGE = "choose-review-language"  # the state under review chooses the working language (R25)
EDIT_CHECKLIST = "edit-checklist"  # answer the self-assessment checklist (R13)
SUBMIT_CHECKLIST = "submit-checklist"  # the focal point of the state under review submits it (R13)
VIEW_PROGRESS = "view-progress"  # see how far a checklist is answered, not the answers (R13)
NOMINATE_EXPERT = "nominate-expert"  # a focal point puts its state's governmental experts on the list (R17)
EXPORT_EXPERTS = "export-experts"  # the secretariat circulates the expert list (R17)
APPOINT_TEAM = "appoint-team"  # a state names its focal point and experts for one review (¶17, ¶21)
DASHBOARD = "dashboard"  # a signed-in user's own page of work
COMMENT_CHECKLIST = "comment-checklist"  # reviewers comment on the answers of a submitted checklist (R14)
ADD_INFORMATION = "add-information"  # the state under review gives new information after submission (¶13)
ASK_QUESTION = "ask-question"  # reviewers and the secretariat ask the state under review (R14, ¶23)
ANSWER_QUESTION = "answer-question"  # the state under review answers the dialogue's questions (R14)
REQUEST_ASSISTANCE = "request-assistance"  # the state under review and the secretariat write in assistance threads (¶16)
PROPOSE_VISIT = "propose-visit"  # reviewers or the secretariat propose a country visit or joint meeting (R15)
CONSENT_VISIT = "consent-visit"  # the state under review agrees to the visit, or declines it (R15)
PLAN_VISIT = "plan-visit"  # dates, participants, agenda and minutes of an agreed visit (R15)
EDIT_REPORT = "edit-report"  # draft the report, its sections and findings (R16)
COMMENT_REPORT = "comment-report"  # comment on the draft report (R16)
AGREE_REPORT = "agree-report"  # a focal point agrees to one version of the report for its state (R16)
PUBLISH_REPORT = "publish-report"  # the state under review publishes or withdraws parts of its final report (R19)
VIEW_AUDIT = "view-audit"  # read the audit log (the secretariat)
VIEW_DRAFTS = "view-drafts"  # a report's versions, comments and agreements: the review's own parties only
REQUEST_ACCESS = "request-access"  # a focal point of another state asks to read a final report (R20)
DECIDE_ACCESS = "decide-access"  # the state under review grants, refuses or revokes access (R20)
ACCEPT_UNDERTAKING = "accept-undertaking"  # the requesting focal point accepts the confidentiality undertaking
TRANSLATE = "translate"  # edit a draft language version of a document and mark it translated (R21, R25)
PUBLISH_TRANSLATION = "publish-translation"  # publish a translated language version, or return it for correction
REGISTER_TRAINEE = "register-trainee"  # put an expert on a training course (¶31)
REQUEST_TRANSLATION = "request-translation"  # ask for a review document in another language (¶48, ¶49)
RECORD_DECISION = "record-decision"  # only a recorded decision of the Conference approves recommendations (¶43)
ADOPT_RECOMMENDATION = "adopt-recommendation"  # record that the Group adopted a recommendation, or reopen it (¶40)
PROPOSE_SCHEDULE = "propose-schedule"  # the secretariat and the state under review's focal point propose dates (¶24)
AGREE_SCHEDULE = "agree-schedule"  # the other side agrees to the dates proposed (¶24); never one's own proposal
COMMENT_SCHEDULE = "comment-schedule"  # a reviewing state's focal point comments on the schedule (¶24 consultation)
ADD_SOURCE = "add-source"  # reviewers and the secretariat add information from an organization to a review (¶26(c))
COMMENT_SOURCE = "comment-source"  # the state under review comments on such information (¶26(c))
MANAGE_FUNDING = "manage-funding"  # record pledges, contributions and expenditures (¶49, ¶52, ¶55): the secretariat
VIEW_OWN_FUNDING = "view-own-funding"  # the list of a donor State's own funding records (its focal point)
INVITE_STAKEHOLDER = "invite-stakeholder"  # the State under review's focal point invites national stakeholders (¶27)
COMMENT_AS_STAKEHOLDER = "comment-as-stakeholder"  # an invited stakeholder comments on the sections opened to it (¶27)

ALL = frozenset(
    {VIEW, VIEW_HISTORY, EDIT, CHANGE_PASSWORD, EDIT_PROFILE, NOMINATE, MANAGE_USERS, MANAGE_STAFF, EDIT_STATES, ADMINISTER,
     MANAGE_CYCLES, REQUEST_DRAW_CHANGE, WITHDRAW, MANAGE_REVIEWS, CHOOSE_REVIEW_LANGUAGE,
     EDIT_CHECKLIST, SUBMIT_CHECKLIST, VIEW_PROGRESS, NOMINATE_EXPERT, EXPORT_EXPERTS, APPOINT_TEAM, DASHBOARD,
     COMMENT_CHECKLIST, ADD_INFORMATION, ASK_QUESTION, ANSWER_QUESTION, REQUEST_ASSISTANCE, PROPOSE_VISIT, CONSENT_VISIT, PLAN_VISIT,
     EDIT_REPORT, COMMENT_REPORT, AGREE_REPORT, PUBLISH_REPORT, VIEW_AUDIT,
     VIEW_DRAFTS, REQUEST_ACCESS, DECIDE_ACCESS, ACCEPT_UNDERTAKING, TRANSLATE, PUBLISH_TRANSLATION, REQUEST_TRANSLATION, REGISTER_TRAINEE,
     PROPOSE_SCHEDULE, AGREE_SCHEDULE, COMMENT_SCHEDULE,
     RECORD_DECISION, ADOPT_RECOMMENDATION, ADD_SOURCE, COMMENT_SOURCE,
     MANAGE_FUNDING, VIEW_OWN_FUNDING, INVITE_STAKEHOLDER, COMMENT_AS_STAKEHOLDER}
)
