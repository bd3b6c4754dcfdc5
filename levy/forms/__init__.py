"""Flask-WTF forms rendered with GOV.UK Frontend widgets (govuk-frontend-wtf)."""
