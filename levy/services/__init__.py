"""Services load rows, call the domain, write rows and the audit entry, then flush.

They never commit: the view or CLI command that called them commits once.
"""
