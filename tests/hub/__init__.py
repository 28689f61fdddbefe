"""The live classroom: the hub, its service, its cluster and LMS set-ups."""
