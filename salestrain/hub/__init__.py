"""The live classroom: a JupyterHub for a room, and the classroom service behind it.

``salestrain hub`` writes a JupyterHub configuration from :class:`HubSettings` and runs
JupyterHub (with configurable-http-proxy from npm). Learners log in with the class code
and their name (:mod:`.auth`), and each gets a Jupyter server in a bubblewrap sandbox that
sees only their own folder (:mod:`.spawner`). The classroom service (:mod:`.service`),
managed by the hub, is the one place that writes the room's shared store: submissions
(graded as they arrive), live role-play tables and their offers, and polls.

Layer: above ``apps`` and ``grading`` (the service grades; the learner pages are apps),
below ``cli``.
"""
