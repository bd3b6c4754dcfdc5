"""Reading workbooks: validate everything first, then write all or nothing."""
