"""Workflows as data (states, transitions, per-state role -> permission maps) and the engine that runs them."""

from workflows.engine import (  # noqa: F401
    Workflow,
    WorkflowError,
    InvalidTransition,
    TransitionForbidden,
    GuardRejected,
)
from workflows.registry import attach_role_maps, attach_workflow, get_role_maps, get_workflow  # noqa: F401
from workflows.definitions.access_request import ACCESS_REQUEST
from workflows.definitions.country_review import COUNTRY_REVIEW, PART_ROLES
from workflows.definitions.cycle import CYCLE
from workflows.definitions.draw_request import DRAW_REQUEST
from workflows.definitions.recommendation import RECOMMENDATION
from workflows.definitions.report_part import REPORT_PART
from workflows.definitions.stakeholder_invitation import STAKEHOLDER_INVITATION
from workflows.definitions.threads import ASSISTANCE_REQUEST, QUESTION, TRANSLATION_REQUEST
from workflows.definitions.translation import TRANSLATION
from workflows.definitions.user_account import USER_ACCOUNT
from workflows.definitions.visit import FINAL_REVIEW_ROLES, VISIT


def includeme(config):
    """Attach the portal's workflows to their resource types (configuration, not code in the classes)."""

    config.add_directive("attach_workflow", _attach_directive)
    for name, maps in PART_ROLES.items():
        attach_role_maps(name, maps)
    attach_role_maps("final-review-visit", {"final": FINAL_REVIEW_ROLES})
    config.attach_workflow("User", USER_ACCOUNT)
    config.attach_workflow("Cycle", CYCLE)
    config.attach_workflow("DrawRequest", DRAW_REQUEST)
    config.attach_workflow("CountryReview", COUNTRY_REVIEW)
    config.attach_workflow("Question", QUESTION)
    config.attach_workflow("AssistanceRequest", ASSISTANCE_REQUEST)
    config.attach_workflow("Visit", VISIT)
    config.attach_workflow("ReportPart", REPORT_PART)
    config.attach_workflow("AccessRequest", ACCESS_REQUEST)
    config.attach_workflow("Translation", TRANSLATION)
    config.attach_workflow("TranslationRequest", TRANSLATION_REQUEST)
    config.attach_workflow("Recommendation", RECOMMENDATION)
    config.attach_workflow("StakeholderInvitation", STAKEHOLDER_INVITATION)


def _attach_directive(config, type_name, workflow):
    """``config.attach_workflow(type_name, workflow)``: register ``workflow`` for resources of that type."""
    attach_workflow(type_name, workflow)
