"""Which workflow governs which resource type, and the named role maps of resources without a workflow
of their own (the parts of a review); filled by configuration (``config.attach_workflow``)."""

_WORKFLOWS = {}
_ROLE_MAPS = {}


def attach_workflow(type_name, workflow):
    """Make ``workflow`` govern resources whose ``type_name`` is ``type_name``."""
    _WORKFLOWS[type_name] = workflow


def attach_role_maps(name, maps):
    """Make ``maps`` (``{state of the governing object: role -> permissions}``) known as ``name``."""
    _ROLE_MAPS[name] = maps


def get_role_maps(name):
    """The role maps registered as ``name`` (a part of a review, a visit of a final review)."""
    return _ROLE_MAPS[name]


def get_workflow(resource):
    """The workflow attached to the resource's type, or None."""
    return _WORKFLOWS.get(getattr(resource, "type_name", None))


def workflow_of_type(type_name):
    """The workflow attached to ``type_name``, or None (to name a state of a type without an object)."""
    return _WORKFLOWS.get(type_name)
