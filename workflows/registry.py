"""Which workflow governs which resource type; filled by configuration (``config.attach_workflow``)."""

_WORKFLOWS = {}


def attach_workflow(type_name, workflow):
    """Make ``workflow`` govern resources whose ``type_name`` is ``type_name``."""
    _WORKFLOWS[type_name] = workflow


def get_workflow(resource):
    """The workflow attached to the resource's type, or None."""
    return _WORKFLOWS.get(getattr(resource, "type_name", None))
