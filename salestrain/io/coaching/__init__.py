"""Coaching files: instruments, assessments, mentorship records."""
