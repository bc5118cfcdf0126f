"""Corpus building and trainers for the translators shipped in attnviz/weights."""
