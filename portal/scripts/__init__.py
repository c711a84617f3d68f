"""Console scripts (``portal-init``, ``portal-demo``, ``portal-evolve``), each taking the ``.ini`` file."""
