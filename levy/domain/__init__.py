"""Pure domain rules: Decimal money, first-of-month dates, dated rule tables.

Nothing in this package imports Flask or SQLAlchemy, and nothing reads the
clock: every function that needs "today" takes it as an argument.
"""
