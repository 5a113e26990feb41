"""The outputs: one package per builder (see ARCHITECTURE.md)."""
