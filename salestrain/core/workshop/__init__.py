"""The workshop day: agenda, buying centre of a case, the start-here demo."""
