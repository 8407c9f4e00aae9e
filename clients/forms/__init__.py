"""Forms of the clients app, one module per noun (``clients.forms.notes``, ``clients.forms.plans``…)."""
