"""Views of the clients app, one module per area: caseload and intake, participant, plans, consents."""
