"""Keeps the search index (``content/catalog.py``) current through the events of every change, whatever made
it (a view, ``@@transition``, a script): an added or removed resource, a modified one, a workflow transition,
a local role granted or revoked. A grant or a revocation updates the record of local roles only; a
transition re-indexes the resource and what lies below it, whose role maps may follow its state."""

from pyramid.traversal import find_root, resource_path

from content.catalog import SearchCatalog
from content.events import LocalRolesChanged, ObjectAdded, ObjectModified, ObjectRemoved
from workflows.engine import AfterTransition


def includeme(config):
    config.add_subscriber(added, ObjectAdded)
    config.add_subscriber(removed, ObjectRemoved)
    config.add_subscriber(changed, ObjectModified)
    config.add_subscriber(roles_changed, LocalRolesChanged)
    config.add_subscriber(transitioned, AfterTransition)


def catalog_of(resource):
    """The portal's search catalog, or None when ``resource`` is not in a portal that has one yet."""
    catalog = getattr(find_root(resource), "catalog", None)
    return catalog if isinstance(catalog, SearchCatalog) else None


def added(event):
    catalog = catalog_of(event.folder)
    if catalog is not None:
        catalog.index_subtree(event.object)


def removed(event):
    catalog = catalog_of(event.folder)
    if catalog is not None:
        catalog.unindex_subtree(resource_path(event.folder).rstrip("/") + "/" + event.name)


def changed(event):
    """A changed resource; for one whose fields its parts' documents repeat (a review's working language),
    everything below it too."""
    resource = event.object
    catalog = catalog_of(resource)
    if catalog is None:
        return
    if getattr(resource, "search_facets_below", False):
        catalog.index_subtree(resource)
    else:
        catalog.index(resource)


def roles_changed(event):
    catalog = catalog_of(event.object)
    if catalog is not None:
        catalog.record_roles(event.object)


def transitioned(event):
    """The resource and all below it; and its parent's subtree when the parent's role map follows its
    children's states (a document in six languages opens to the public with its first published language)."""
    resource = event.object
    catalog = catalog_of(resource)
    if catalog is None:
        return
    parent = getattr(resource, "__parent__", None)
    if getattr(parent, "rolemap_follows_children", False):
        catalog.index_subtree(parent)
    else:
        catalog.index_subtree(resource)

