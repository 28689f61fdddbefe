"""Assessment: no-code question kinds and how an answer earns its points (pure; no widgets, no files)."""
