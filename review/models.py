"""Editorial work on the record (annotations and corrections come here)."""
