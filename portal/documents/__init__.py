"""Documents out of the portal in the layout of a UN document (issue 22 §1): one ``Document`` made from a
resource (``sources.py``), written as PDF (``pdf.py``, WeasyPrint) or Word (``docx.py``, python-docx)."""
