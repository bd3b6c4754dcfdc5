"""Insight (issue 15): expiry traced to directorates, the account reconciled with the
apprenticeship service's download, and the quarterly report. Pure: no Flask, no
SQLAlchemy, no clock (see ``docs/insight.md``)."""
