"""What the parts of a country review share: their ACL follows the review's stage (``PART_ROLES`` in the
country review workflow) and the review's local roles, and nothing from above the review applies."""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from content.base import now
from content.events import modified
from workflows.registry import get_role_maps


def review_of(resource):
    """The country review that ``resource`` belongs to (itself when it is one), or None."""
    node = resource
    while node is not None and getattr(node, "type_name", None) != "CountryReview":
        node = getattr(node, "__parent__", None)
    return node


class InReview:
    """Mixin for anything inside a country review: ``review`` is that review."""

    @property
    def review(self):
        return review_of(self)


class ReviewPart(InReview):
    """Mixin for a resource directly inside a review: ``part_roles`` names its role maps (one per stage of
    the review) in the workflow registry (``workflows/definitions/country_review.py``, ``PART_ROLES``)."""

    part_roles = None
    acl_inherit = False

    @property
    def title(self):
        return self.type_title

    @property
    def role_permissions(self):
        review = self.review
        return get_role_maps(self.part_roles).get(getattr(review, "workflow_state", None), {})

    def comment(self, key, actor, state, text):
        """Add a comment on item ``key`` (a part with ``comments``: a checklist, a report)."""
        added = self.comments.add(key, actor, state, text)
        modified(self, "comments")
        return added


class Comments(PersistentMapping):
    """Comments on the items of a part (a checklist question, a report section): ``{key: [comment, ...]}``.

    Comments are kept as written: nobody, not even their author, edits or deletes one afterwards.
    """

    def add(self, key, actor, state, text):
        comment = PersistentMapping({"who": actor, "state": state, "text": text, "when": now()})
        self.setdefault(key, PersistentList()).append(comment)
        self._p_changed = True
        return comment

    def on(self, key):
        return list(self.get(key, ()))
