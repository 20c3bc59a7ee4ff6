"""Writing run outputs: tables, run metadata and plots."""
