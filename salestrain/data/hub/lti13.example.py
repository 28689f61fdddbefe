# Learners log in from the company's learning platform (LMS) through LTI 1.3, instead of
# typing a class code. Copy these lines to the end of the hub's jupyterhub_config.py
# (a laptop or server hub), or, on Kubernetes, into hub.extraConfig of values.yaml
# without the first line (there `c` already exists). Then restart the hub.
#
# Register the hub in the LMS first (Moodle: Site administration > Plugins > Activity
# modules > External tool > Manage tools > configure a tool manually; LTI version 1.3):
#   Tool URL                 https://HUB/
#   Initiate login URL       https://HUB/hub/lti13/oauth_login
#   Redirection URI(s)       https://HUB/hub/lti13/oauth_callback
#   Default launch container New window (inside the LMS's frame, browsers refuse the hub's cookie)
#   Privacy                  share the launcher's email with the tool
# where HUB is the hub's address with its HTTPS certificate. The LMS then shows the four
# values below ("Tool configuration details" in Moodle).
c = get_config()  # noqa: F821  (JupyterHub's configuration object)

from salestrain.hub.lti import configure_lti13  # noqa: E402

configure_lti13(
    c,
    issuer="https://moodle.example.com",  # "Platform ID": the LMS's address, nothing after it
    client_id="kT3x9ZQWpL2mN8v",  # "Client ID"; several registrations: ["id1", "id2"]
    authorize_url="https://moodle.example.com/mod/lti/auth.php",  # "Authentication request URL"
    jwks_endpoint="https://moodle.example.com/mod/lti/certs.php",  # "Public keyset URL"
    # The claim that names each learner's hub account. It must differ for every learner
    # (two learners with one name would share a server and grades): "email" is unique
    # and readable in your reports; "sub" is the LMS's own opaque ID.
    username_key="email",
)
