"""Sources → model: read and validate a project's files (YAML, Markdown, images) into one ``Corpus``."""
